using System.Globalization;
using System.Text.RegularExpressions;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>
/// Answers the catalog queries psql's meta-commands send (psql 15's describe.c; captured with <c>psql -E</c> against
/// PostgreSQL 15): <c>\l</c>, <c>\d</c>/<c>\dt</c>/<c>\dv</c>/<c>\di</c> lists, <c>\dn</c> and the query series behind
/// <c>\d name</c>. They use PostgreSQL-only syntax (<c>OPERATOR(pg_catalog.~)</c>, <c>::regclass</c>, catalog functions),
/// so each known shape is recognised by its FROM clause and answered from the live catalog; the SELECT list is read
/// item by item (by alias or by the column it mentions), so version differences in column lists still line up.
/// Every value is text, which is all psql reads.
/// </summary>
internal static partial class PgPsqlQueries
{
    /// <summary>Relations psql asks about that Tarn never has rows in (policies, publications, inheritance, ...).</summary>
    private static readonly string[] EmptyRelations =
    [
        "pg_policy", "pg_statistic_ext", "pg_publication", "pg_publication_rel", "pg_publication_namespace", "pg_inherits", "pg_trigger",
        "pg_rewrite", "pg_foreign_table", "pg_partitioned_table", "pg_sequence", "pg_event_trigger", "pg_extension", "pg_foreign_server",
    ];

    public static TarnResult? TryAnswer(string sql, Func<PgCatalogSnapshot> snapshot)
    {
        var norm = WhiteSpace().Replace(sql, " ").Trim();
        if (!norm.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase)) return null;
        if (norm.Contains("FROM pg_catalog.pg_database d", StringComparison.Ordinal) && norm.Contains("AS \"", StringComparison.OrdinalIgnoreCase))
            return Databases(norm, snapshot());
        if (norm.StartsWith("SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c", StringComparison.Ordinal))
            return RelationLookup(norm, snapshot());
        if (norm.StartsWith("SELECT c.relchecks, c.relkind", StringComparison.Ordinal))
            return PerRelation(norm, snapshot(), RelationInfoValue);
        if (norm.Contains("FROM pg_catalog.pg_attribute a", StringComparison.Ordinal) && OidIn(norm, "a.attrelid") is { } attrelid)
            return Attributes(norm, snapshot(), attrelid);
        if (norm.Contains("FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i", StringComparison.Ordinal))
            return PerRelation(norm, snapshot(), IndexValue, onlyWithPrimaryKey: true);
        if (norm.Contains("FROM pg_catalog.pg_index i, pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_am a", StringComparison.Ordinal))
            return PerRelation(norm, snapshot(), IndexDetailValue, onlyIndexes: true);
        if (norm.Contains("FROM pg_catalog.pg_class c", StringComparison.Ordinal) && norm.Contains("as \"Schema\"", StringComparison.OrdinalIgnoreCase))
            return RelationList(norm, snapshot());
        if (norm.Contains("FROM pg_catalog.pg_namespace n", StringComparison.Ordinal) && norm.Contains("AS \"Name\"", StringComparison.OrdinalIgnoreCase))
            return Schemas(norm, snapshot());
        if (norm.StartsWith("SELECT r.rolname", StringComparison.Ordinal) && norm.Contains("FROM pg_catalog.pg_roles r", StringComparison.Ordinal))
            return Roles(norm, snapshot());
        if (InnerJoinsEmptyRelation(norm)) return PgCatalogResult.Build(Columns(PgSelectList.Items(norm)), []);
        return null;
    }

    private static TarnResult Databases(string norm, PgCatalogSnapshot s)
    {
        var items = PgSelectList.Items(norm);
        var pattern = Pattern(norm, "d.datname");
        var rows = new List<object?[]>();
        foreach (var d in s.Databases)
        {
            if (pattern is not null && !pattern.IsMatch(d)) continue;
            rows.Add(Values(items, item => item.Alias switch
            {
                "Name" => d,
                "Owner" => PgCatalogSnapshot.Owner,
                "Encoding" => "UTF8",
                "Collate" or "Ctype" => "C",
                "Locale Provider" => "libc",
                "Tablespace" => "pg_default",
                _ => null,
            }));
        }
        return PgCatalogResult.Build(Columns(items), rows);
    }

    private static TarnResult Schemas(string norm, PgCatalogSnapshot s)
    {
        var items = PgSelectList.Items(norm);
        var pattern = Pattern(norm, "n.nspname");
        var hideSystem = norm.Contains("n.nspname !~ '^pg_'", StringComparison.Ordinal);
        var rows = new List<object?[]>();
        foreach (var n in s.Namespaces.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (pattern is not null && !pattern.IsMatch(n.Name)) continue;
            if (hideSystem && n.Oid != PgOids.PublicNamespace) continue;
            rows.Add(Values(items, item => item.Alias switch
            {
                "Name" => n.Name,
                "Owner" => n.Owner,
                _ => null,
            }));
        }
        return PgCatalogResult.Build(Columns(items), rows);
    }

    /// <summary>\du and \dg: the roles (optionally matching a pattern) with their attributes; no role is a member of another.</summary>
    private static TarnResult Roles(string norm, PgCatalogSnapshot s)
    {
        var items = PgSelectList.Items(norm);
        var pattern = Pattern(norm, "r.rolname");
        var rows = new List<object?[]>();
        foreach (var r in s.Roles)
        {
            if (pattern is not null && !pattern.IsMatch(r.Name)) continue;
            rows.Add(Values(items, item =>
            {
                if (item.Alias == "memberof") return "{}";
                if (item.Alias == "description" || item.Mentions("rolvaliduntil")) return null;
                if (item.Mentions("rolname")) return r.Name;
                if (item.Mentions("rolsuper") || item.Mentions("rolcreaterole") || item.Mentions("rolcreatedb")) return Bool(r.IsSuperuser);
                if (item.Mentions("rolinherit") || item.Mentions("rolcanlogin")) return "t";
                if (item.Mentions("rolconnlimit")) return "-1";
                return "f"; // rolreplication, rolbypassrls
            }));
        }
        return PgCatalogResult.Build(Columns(items), rows);
    }

    /// <summary>\d, \dt, \dv, \di, \dS...: the relations of the listed kinds, optionally matching name and schema patterns.</summary>
    private static TarnResult RelationList(string norm, PgCatalogSnapshot s)
    {
        var items = PgSelectList.Items(norm);
        var kinds = RelKinds().Match(norm) is { Success: true } m ? m.Groups[1].Value : "rvmSfp";
        var rows = new List<(string Schema, string Name, object?[] Row)>();
        foreach (var r in Visible(norm, s))
        {
            if (!kinds.Contains(r.Kind, StringComparison.Ordinal)) continue;
            var table = r.Kind == 'i' ? s.Relations.FirstOrDefault(t => t.IndexOid == r.Oid)?.Name : null;
            rows.Add((r.Schema, r.Name, Values(items, item => item.Alias switch
            {
                "Schema" => r.Schema,
                "Name" => r.Name,
                "Type" => KindName(r.Kind),
                "Owner" => PgCatalogSnapshot.Owner,
                "Table" => table,
                "Persistence" => "permanent",
                "Access method" => r.Kind == 'i' ? "btree" : r.Kind == 'r' ? "heap" : null,
                "Description" => r.Comment,
                _ => null,
            })));
        }
        rows.Sort((a, b) => a.Schema != b.Schema ? string.CompareOrdinal(a.Schema, b.Schema) : string.CompareOrdinal(a.Name, b.Name));
        return PgCatalogResult.Build(Columns(items), rows.Select(r => r.Row));
    }

    /// <summary>The first step of \d name: which relations the pattern names (oid, schema, name).</summary>
    private static TarnResult RelationLookup(string norm, PgCatalogSnapshot s)
    {
        var rows = Visible(norm, s)
            .OrderBy(r => r.Schema, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new object?[] { r.Oid.ToString(CultureInfo.InvariantCulture), r.Schema, r.Name });
        return PgCatalogResult.Build(PgCatalogResult.TextColumns("oid", "nspname", "relname"), rows);
    }

    /// <summary>Relations matching the query's relname/nspname patterns; without a schema pattern, those of public and pg_catalog (the search path).</summary>
    private static IEnumerable<PgRelation> Visible(string norm, PgCatalogSnapshot s)
    {
        var name = Pattern(norm, "c.relname");
        var schema = Pattern(norm, "n.nspname");
        var hideSystem = norm.Contains("n.nspname <> 'pg_catalog'", StringComparison.Ordinal);
        foreach (var r in s.Relations)
        {
            if (name is not null && !name.IsMatch(r.Name)) continue;
            if (schema is not null ? !schema.IsMatch(r.Schema) : r.Namespace == PgOids.InformationSchemaNamespace) continue;
            if (schema is null && hideSystem && r.Namespace != PgOids.PublicNamespace) continue;
            yield return r;
        }
    }

    private static TarnResult PerRelation(string norm, PgCatalogSnapshot s, Func<PgSelectItem, PgRelation, PgCatalogSnapshot, object?> value, bool onlyWithPrimaryKey = false, bool onlyIndexes = false)
    {
        var items = PgSelectList.Items(norm);
        var rows = new List<object?[]>();
        if (OidIn(norm, "c.oid") is { } oid && s.FindRelation(oid) is { } r && (!onlyWithPrimaryKey || r.IndexOid != 0) && (!onlyIndexes || r.Kind == 'i'))
            rows.Add(Values(items, item => value(item, r, s)));
        return PgCatalogResult.Build(Columns(items), rows);
    }

    private static object? RelationInfoValue(PgSelectItem item, PgRelation r, PgCatalogSnapshot s)
    {
        if (item.Mentions("relchecks")) return "0";
        if (item.Mentions("relkind")) return r.Kind.ToString();
        if (item.Mentions("relhasindex")) return Bool(r.IndexOid != 0);
        if (item.Mentions("reltablespace")) return "0";
        if (item.Mentions("reloftype") || item.Mentions("reloptions")) return "";
        if (item.Mentions("relpersistence")) return "p";
        if (item.Mentions("relreplident")) return r.Kind == 'i' ? "n" : "d";
        if (item.Mentions("amname")) return r.Kind == 'i' ? "btree" : r.Kind == 'r' ? "heap" : null;
        if (item.Text == "''") return "";
        return item.Mentions("rel") || item.Mentions("false") ? "f" : null;
    }

    private static object? IndexValue(PgSelectItem item, PgRelation r, PgCatalogSnapshot s)
    {
        var keys = string.Join(", ", r.PrimaryKey);
        if (item.Mentions("pg_get_indexdef")) return $"CREATE UNIQUE INDEX {r.IndexName} ON {r.Schema}.{r.Name} USING btree ({keys})";
        if (item.Mentions("pg_get_constraintdef")) return $"PRIMARY KEY ({keys})";
        if (item.Mentions("c2.relname")) return r.IndexName;
        if (item.Mentions("indisprimary") || item.Mentions("indisunique") || item.Mentions("indisvalid")) return "t";
        if (item.Mentions("contype")) return "p";
        if (item.Mentions("reltablespace")) return "0";
        return "f";
    }

    /// <summary>\d of an index: its flags, access method and table.</summary>
    private static object? IndexDetailValue(PgSelectItem item, PgRelation index, PgCatalogSnapshot s)
    {
        if (item.Mentions("pg_get_expr")) return null;
        if (item.Mentions("amname")) return "btree";
        if (item.Mentions("c2.relname")) return s.Relations.FirstOrDefault(t => t.IndexOid == index.Oid)?.Name;
        if (item.Mentions("condeferrable") || item.Mentions("condeferred")) return "f";
        if (item.Mentions("indisunique") || item.Mentions("indisprimary") || item.Mentions("indisvalid")) return "t";
        return "f";
    }

    private static TarnResult Attributes(string norm, PgCatalogSnapshot s, int relationOid)
    {
        var items = PgSelectList.Items(norm);
        var rows = new List<object?[]>();
        if (s.FindRelation(relationOid) is { } r)
            foreach (var a in r.Columns)
                rows.Add(Values(items, item => AttributeValue(item, a)));
        return PgCatalogResult.Build(Columns(items), rows);
    }

    private static object? AttributeValue(PgSelectItem item, PgAttribute a)
    {
        if (item.Mentions("pg_get_expr")) return a.Default;
        if (item.Mentions("collname")) return null;
        if (item.Mentions("format_type")) return a.Type.Formatted;
        if (item.Mentions("is_key")) return "yes";
        if (item.Mentions("indexdef")) return a.Name;
        if (item.Mentions("attnotnull")) return Bool(a.NotNull);
        if (item.Mentions("attidentity") || item.Mentions("attgenerated") || item.Mentions("attcompression")) return "";
        if (item.Mentions("attstorage")) return PgBuiltinTypes.Find(a.Type.Oid)?.Length == -1 ? "x" : "p";
        if (item.Mentions("attstattarget")) return "-1";
        if (item.Mentions("attname")) return a.Name;
        return null;
    }

    /// <summary>A query that (inner-)joins a relation Tarn never has rows in returns no rows.</summary>
    private static bool InnerJoinsEmptyRelation(string norm)
    {
        foreach (var name in EmptyRelations)
        {
            var at = 0;
            while ((at = norm.IndexOf("pg_catalog." + name + " ", at, StringComparison.Ordinal)) >= 0)
            {
                var before = norm[..at].TrimEnd();
                if (!before.EndsWith("LEFT JOIN", StringComparison.OrdinalIgnoreCase)) return true;
                at += name.Length;
            }
        }
        return false;
    }

    private static object?[] Values(List<PgSelectItem> items, Func<PgSelectItem, object?> value)
    {
        var row = new object?[items.Count];
        for (var i = 0; i < row.Length; i++) row[i] = value(items[i]);
        return row;
    }

    private static PgSystemColumn[] Columns(List<PgSelectItem> items) =>
        PgCatalogResult.TextColumns(items.Select(i => i.ColumnName).ToArray());

    private static string Bool(bool value) => value ? "t" : "f";

    private static string KindName(char kind) => kind switch
    {
        'r' => "table",
        'v' => "view",
        'm' => "materialized view",
        'i' => "index",
        'S' => "sequence",
        'f' => "foreign table",
        'p' => "partitioned table",
        _ => kind.ToString(),
    };

    /// <summary>The regular expression psql built from a pattern (<c>column OPERATOR(pg_catalog.~) '^(t1)$'</c>); names match case-insensitively, as Tarn's do.</summary>
    private static Regex? Pattern(string norm, string column)
    {
        var at = norm.IndexOf(column + " OPERATOR(pg_catalog.~) '", StringComparison.Ordinal);
        if (at < 0) return null;
        var start = norm.IndexOf('\'', at) + 1;
        var end = start;
        while (end < norm.Length && !(norm[end] == '\'' && (end + 1 >= norm.Length || norm[end + 1] != '\''))) end += norm[end] == '\'' ? 2 : 1;
        var regex = norm[start..Math.Min(end, norm.Length)].Replace("''", "'", StringComparison.Ordinal);
        try
        {
            return new Regex(regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return new Regex("^" + Regex.Escape(regex) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The OID in <c>column = '16384'</c>, as psql writes it.</summary>
    private static int? OidIn(string norm, string column)
    {
        var m = Regex.Match(norm, Regex.Escape(column) + @" = '(\d+)'", RegexOptions.None, TimeSpan.FromSeconds(1));
        return m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var oid) ? oid : null;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"c\.relkind IN \(([^)]*)\)")]
    private static partial Regex RelKinds();
}
