using System.Globalization;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>
/// The rows of each system relation, computed from a snapshot of the live catalog. Values are the CLR types of the
/// columns declared in <see cref="PgSystemRelations"/> (int for oid/int4, short for int2, string, bool).
/// </summary>
internal static class PgSystemRows
{
    private const string Owner = PgCatalogSnapshot.Owner;

    public static IEnumerable<object?[]> None(PgCatalogSnapshot snapshot) => [];

    public static IEnumerable<object?[]> Namespaces(PgCatalogSnapshot s)
    {
        foreach (var n in s.Namespaces) yield return [n.Oid, n.Name, PgOids.OwnerRole, null];
    }

    public static IEnumerable<object?[]> Classes(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
        {
            var isTable = r.Kind == 'r';
            yield return
            [
                r.Oid, r.Name, r.Namespace, 0, 0, PgOids.OwnerRole, r.Kind == 'i' ? PgOids.BtreeAccessMethod : isTable ? PgOids.HeapAccessMethod : 0,
                r.Oid, 0, 0, -1f, 0, 0, r.IndexOid != 0, false, "p", r.Kind.ToString(), (short)r.Columns.Count, (short)0, false, false, false, false,
                false, true, r.Kind == 'i' ? "n" : "d", false, null, null,
            ];
        }
    }

    public static IEnumerable<object?[]> Attributes(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
            foreach (var a in r.Columns)
            {
                var type = PgBuiltinTypes.Find(a.Type.Oid);
                yield return
                [
                    r.Oid, a.Name, a.Type.Oid, -1, type?.Length ?? (short)-1, (short)a.Number, type?.IsArray == true ? 1 : 0, -1, a.Type.TypMod,
                    type?.ByValue ?? false, "i", type?.Length == -1 ? "x" : "p", "", a.NotNull, a.Default is not null, false, "", "", false, true, 0,
                    a.Type.Oid is PgTypeOids.Text or PgTypeOids.Varchar or PgTypeOids.BpChar ? 100 : 0,
                ];
            }
    }

    public static IEnumerable<object?[]> Types(PgCatalogSnapshot s)
    {
        foreach (var t in PgBuiltinTypes.All)
        {
            var isPseudo = t.TypType == 'p';
            var typeName = t.IsArray ? "array" : t.Name;
            yield return
            [
                t.Oid, t.Name, PgBuiltinTypes.PgCatalogNamespace, PgOids.OwnerRole, t.Length, t.ByValue, t.TypType.ToString(), t.Category.ToString(),
                false, true, t.Oid == 603 ? ";" : ",", 0, t.Element, t.ArrayOid, (isPseudo ? t.Name : typeName) + "_in", (isPseudo ? t.Name : typeName) + "_out",
                t.Receive, (isPseudo ? t.Name : typeName) + "_send", t.Length is 8 ? "d" : t.Length is 2 ? "s" : t.Length is 1 ? "c" : "i",
                t.Length == -1 ? "x" : "p", false, 0, -1, 0, t.Category == 'S' ? 100 : 0,
            ];
        }
    }

    public static IEnumerable<object?[]> Databases(PgCatalogSnapshot s)
    {
        foreach (var d in s.Databases)
            yield return [s.DatabaseOid(d), d, PgOids.OwnerRole, 6, "c", false, true, -1, "C", "C", null, null];
    }

    public static IEnumerable<object?[]> Indexes(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
        {
            if (r.IndexOid == 0) continue;
            var keys = string.Join(' ', r.PrimaryKeyNumbers().Select(n => n.ToString(CultureInfo.InvariantCulture)));
            var count = (short)r.PrimaryKey.Count;
            yield return [r.IndexOid, r.Oid, count, count, true, true, false, true, false, true, true, true, false, keys];
        }
    }

    public static IEnumerable<object?[]> Constraints(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
        {
            if (r.IndexOid == 0) continue;
            var keys = "{" + string.Join(',', r.PrimaryKeyNumbers().Select(n => n.ToString(CultureInfo.InvariantCulture))) + "}";
            yield return [r.IndexOid + 1, r.IndexName, r.Namespace, "p", false, false, true, r.Oid, 0, r.IndexOid, 0, keys];
        }
    }

    public static IEnumerable<object?[]> Tables(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
            if (r.Kind == 'r') yield return [r.Schema, r.Name, Owner, null, r.IndexOid != 0, false, false, false];
    }

    public static IEnumerable<object?[]> Views(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
            if (r.Kind == 'v' && r.Namespace == PgOids.PublicNamespace) yield return [r.Schema, r.Name, Owner, null];
    }

    public static IEnumerable<object?[]> Settings(PgCatalogSnapshot s)
    {
        foreach (var (name, value, category, description, type) in PgSettings.All)
            yield return [name, PgSettings.ValueFor(name, value, s.User), null, category, description, "user", type, "default", value, value];
    }

    public static IEnumerable<object?[]> Roles(PgCatalogSnapshot s)
    {
        foreach (var r in s.Roles)
            yield return [r.Oid, r.Name, r.IsSuperuser, true, r.IsSuperuser, r.IsSuperuser, true, -1, false, false, null, "********"];
    }

    public static IEnumerable<object?[]> Users(PgCatalogSnapshot s)
    {
        foreach (var r in s.Roles) yield return [r.Name, r.Oid, r.IsSuperuser, r.IsSuperuser, false, false, "********", null];
    }

    public static IEnumerable<object?[]> AccessMethods(PgCatalogSnapshot s) =>
        [[PgOids.HeapAccessMethod, "heap", "t"], [PgOids.BtreeAccessMethod, "btree", "i"]];

    public static IEnumerable<object?[]> Descriptions(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
            if (r.Comment is { } comment) yield return [r.Oid, 1259, 0, comment];
    }

    public static IEnumerable<object?[]> Schemata(PgCatalogSnapshot s)
    {
        foreach (var n in s.Namespaces) yield return [s.Database, n.Name, Owner, null, null, null, null];
    }

    public static IEnumerable<object?[]> InformationTables(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
        {
            if (r.Kind is not ('r' or 'v')) continue;
            var user = r.Namespace == PgOids.PublicNamespace;
            var type = r.Kind == 'v' || (!user && r.Schema == "information_schema") ? "VIEW" : "BASE TABLE";
            yield return [s.Database, r.Schema, r.Name, type, null, null, null, null, null, user && r.Kind == 'r' ? "YES" : "NO", "NO", null];
        }
    }

    public static IEnumerable<object?[]> InformationColumns(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
        {
            if (r.Kind is not ('r' or 'v')) continue;
            foreach (var a in r.Columns)
            {
                var t = a.Type;
                int? charLength = t.Oid is PgTypeOids.Varchar or PgTypeOids.BpChar ? t.Type.Length : null;
                int? octets = t.Oid is PgTypeOids.Text or PgTypeOids.Varchar or PgTypeOids.BpChar ? 1073741824 : null;
                var (precision, radix, scale) = t.Oid switch
                {
                    PgTypeOids.Int2 => (16, 2, 0),
                    PgTypeOids.Int4 => (32, 2, 0),
                    PgTypeOids.Int8 => (64, 2, 0),
                    PgTypeOids.Float4 => (24, 2, (int?)null),
                    PgTypeOids.Float8 => (53, 2, null),
                    PgTypeOids.Numeric => (t.Type.Precision, 10, t.Type.Scale),
                    _ => ((int?)null, (int?)null, (int?)null),
                };
                int? datetime = t.Oid switch
                {
                    PgTypeOids.Date => 0,
                    PgTypeOids.Time or PgTypeOids.Timestamp or PgTypeOids.TimestampTz or PgTypeOids.Interval => Math.Min(6, t.Type.Precision is 0 && t.Oid != PgTypeOids.Time ? 6 : t.Type.Precision),
                    _ => null,
                };
                var udt = PgBuiltinTypes.Find(t.Oid)?.Name ?? "text";
                yield return
                [
                    s.Database, r.Schema, r.Name, a.Name, a.Number, a.Default, a.NotNull ? "NO" : "YES", PgColumnTypes.StandardName(t.Oid),
                    charLength, octets, precision, radix, scale, datetime, s.Database, "pg_catalog", udt, "NO", "NEVER",
                    r.Kind == 'r' && r.Namespace == PgOids.PublicNamespace ? "YES" : "NO",
                ];
            }
        }
    }

    public static IEnumerable<object?[]> InformationViews(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
            if (r.Kind == 'v' && r.Namespace == PgOids.PublicNamespace) yield return [s.Database, r.Schema, r.Name, null, "NONE", "NO", "NO"];
    }

    public static IEnumerable<object?[]> TableConstraints(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
            if (r.IndexOid != 0) yield return [s.Database, r.Schema, r.IndexName, s.Database, r.Schema, r.Name, "PRIMARY KEY", "NO", "NO", "YES"];
    }

    public static IEnumerable<object?[]> KeyColumnUsage(PgCatalogSnapshot s)
    {
        foreach (var r in s.Relations)
        {
            if (r.IndexOid == 0) continue;
            for (var i = 0; i < r.PrimaryKey.Count; i++)
                yield return [s.Database, r.Schema, r.IndexName, s.Database, r.Schema, r.Name, r.PrimaryKey[i], i + 1, null];
        }
    }
}
