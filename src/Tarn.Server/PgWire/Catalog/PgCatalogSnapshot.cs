using Tarn.Catalog.Model;
using Tarn.Types;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>One column of a relation as pg_attribute shows it (attnum from 1).</summary>
internal sealed record PgAttribute(int Number, string Name, PgColumnType Type, bool NotNull, string? Default);

/// <summary>
/// A relation as pg_class shows it: a Tarn table ('r'), view ('v'), the index standing for a table's primary key
/// ('i', named table_pkey) or one of the endpoint's own pg_catalog/information_schema relations.
/// </summary>
internal sealed record PgRelation(
    int Oid,
    int Namespace,
    string Schema,
    string Name,
    char Kind,
    IReadOnlyList<PgAttribute> Columns,
    IReadOnlyList<string> PrimaryKey,
    string? Comment)
{
    /// <summary>The OID of the primary key's index (0 when the table has none).</summary>
    public int IndexOid { get; init; }

    public string IndexName => Name + "_pkey";

    /// <summary>attnums of the primary key columns, in key order.</summary>
    public IEnumerable<int> PrimaryKeyNumbers()
    {
        foreach (var key in PrimaryKey)
            foreach (var c in Columns)
                if (string.Equals(c.Name, key, StringComparison.OrdinalIgnoreCase)) yield return c.Number;
    }
}

internal sealed record PgNamespace(int Oid, string Name, string Owner);

/// <summary>
/// What the PostgreSQL endpoint shows of Tarn's live catalog for one session: the databases of the session's catalog
/// (pg_database, <c>\l</c>) and the tables and views of its current database, which appear in schema <c>public</c>
/// (a Tarn database is a PostgreSQL database: connecting with a database name selects it). Taken per statement, so
/// a DDL is visible to the next catalog query.
/// </summary>
internal sealed class PgCatalogSnapshot
{
    public const string Owner = "tarn";
    public const string PublicSchema = "public";

    private PgCatalogSnapshot(string catalog, string database, IReadOnlyList<string> databases, IReadOnlyList<PgNamespace> namespaces, IReadOnlyList<PgRelation> relations,
        PgSessionUser user, IReadOnlyList<PgRole> roles)
    {
        User = user;
        Roles = roles;
        Catalog = catalog;
        Database = database;
        Databases = databases;
        Namespaces = namespaces;
        Relations = relations;
    }

    public string Catalog { get; }

    public string Database { get; }

    public IReadOnlyList<string> Databases { get; }

    /// <summary>The connection's user (current_user, session_user).</summary>
    public PgSessionUser User { get; }

    /// <summary>pg_roles: the owner, Tarn's users and the trust-mode user.</summary>
    public IReadOnlyList<PgRole> Roles { get; }

    public IReadOnlyList<PgNamespace> Namespaces { get; }

    /// <summary>User relations first (tables, views, primary key indexes), then the system relations.</summary>
    public IReadOnlyList<PgRelation> Relations { get; }

    public int DatabaseOid(string database) => PgOids.Stable("database", Catalog, database);

    public PgRelation? FindRelation(int oid)
    {
        foreach (var r in Relations) if (r.Oid == oid) return r;
        return null;
    }

    /// <summary>
    /// Reads the catalog; a view's columns are learnt by running <c>SELECT * ... LIMIT 0</c> on it (the catalog keeps
    /// only its query text), and a view that no longer binds shows no columns.
    /// </summary>
    public static async Task<PgCatalogSnapshot> TakeAsync(TarnSession session, PgSessionUser? user, CancellationToken cancellation)
    {
        var snapshot = Take(session, user);
        if (!snapshot.Relations.Any(r => r.Kind == 'v' && r.Namespace == PgOids.PublicNamespace)) return snapshot;
        var relations = new List<PgRelation>(snapshot.Relations.Count);
        foreach (var r in snapshot.Relations)
        {
            if (r.Kind != 'v' || r.Namespace != PgOids.PublicNamespace) { relations.Add(r); continue; }
            var path = "`" + snapshot.Catalog.Replace("`", "``", StringComparison.Ordinal) + "`.`" + snapshot.Database.Replace("`", "``", StringComparison.Ordinal)
                + "`.`" + r.Name.Replace("`", "``", StringComparison.Ordinal) + "`";
            try
            {
                var result = await session.ExecuteAsync("SELECT * FROM " + path + " LIMIT 0", TarnParameters.None, cancellation);
                var columns = new List<PgAttribute>();
                foreach (var c in result.Columns) columns.Add(new PgAttribute(columns.Count + 1, c.Name, PgColumnTypes.For(c.Type), !c.Type.Nullable, null));
                relations.Add(r with { Columns = columns });
            }
            catch (TarnException)
            {
                relations.Add(r);
            }
        }
        return new PgCatalogSnapshot(snapshot.Catalog, snapshot.Database, snapshot.Databases, snapshot.Namespaces, relations, snapshot.User, snapshot.Roles);
    }

    /// <summary>The catalog without views' columns (enough for statements that list no view's columns); <paramref name="user"/> defaults to the session's principal.</summary>
    public static PgCatalogSnapshot Take(TarnSession session, PgSessionUser? user = null)
    {
        user ??= PgSessionUser.Of(session, null);
        var image = session.CatalogSnapshot;
        var catalog = image.FindCatalog(session.CurrentCatalog);
        var databases = new List<string>();
        if (catalog is not null) foreach (var d in catalog.Databases) databases.Add(d.Name);
        databases.Sort(StringComparer.Ordinal);
        var namespaces = new List<PgNamespace>
        {
            new(PgBuiltinTypes.PgCatalogNamespace, "pg_catalog", Owner),
            new(PgOids.PublicNamespace, PublicSchema, Owner),
            new(PgOids.InformationSchemaNamespace, "information_schema", Owner),
        };
        var relations = new List<PgRelation>();
        var used = new HashSet<int>();
        if (catalog?.FindDatabase(session.CurrentDatabase) is { } database) AddUserRelations(catalog.Name, database, relations, used);
        foreach (var system in PgSystemRelations.All)
        {
            var ns = system.Schema == "pg_catalog" ? PgBuiltinTypes.PgCatalogNamespace : PgOids.InformationSchemaNamespace;
            var columns = new List<PgAttribute>();
            for (var i = 0; i < system.Columns.Count; i++)
                columns.Add(new PgAttribute(i + 1, system.Columns[i].Name, PgColumnTypes.For(system.Columns[i].Type), false, null));
            relations.Add(new PgRelation(Unique(PgOids.Stable("system", system.Schema, system.Name), used), ns, system.Schema, system.Name, system.Kind, columns, [], null));
        }
        return new PgCatalogSnapshot(session.CurrentCatalog, session.CurrentDatabase, databases, namespaces, relations, user, PgRoles.Of(session, user));
    }

    private static void AddUserRelations(string catalog, DatabaseDef database, List<PgRelation> relations, HashSet<int> used)
    {
        foreach (var table in database.Tables)
        {
            var columns = new List<PgAttribute>();
            foreach (var c in table.Columns)
            {
                var notNull = !c.Type.Nullable || table.PrimaryKey.Contains(c.Name, StringComparer.OrdinalIgnoreCase);
                columns.Add(new PgAttribute(columns.Count + 1, c.Name, PgColumnTypes.For(c.Type), notNull, c.DefaultExpression));
            }
            var oid = Unique(PgOids.Stable("table", catalog, database.Name, table.Name), used);
            var indexOid = table.PrimaryKey.Count == 0 ? 0 : Unique(PgOids.Stable("index", catalog, database.Name, table.Name), used);
            var relation = new PgRelation(oid, PgOids.PublicNamespace, PublicSchema, table.Name, 'r', columns, table.PrimaryKey, table.Comment) { IndexOid = indexOid };
            relations.Add(relation);
            if (indexOid != 0)
            {
                var keyColumns = new List<PgAttribute>();
                foreach (var n in relation.PrimaryKeyNumbers()) keyColumns.Add(columns[n - 1] with { Number = keyColumns.Count + 1 });
                relations.Add(new PgRelation(indexOid, PgOids.PublicNamespace, PublicSchema, relation.IndexName, 'i', keyColumns, [], null));
            }
        }
        foreach (var view in database.Views)
        {
            // A view's columns are known only by binding its query; the catalog keeps their names when declared.
            var columns = new List<PgAttribute>();
            if (view.ColumnNames is { } names)
                foreach (var n in names) columns.Add(new PgAttribute(columns.Count + 1, n, PgColumnTypes.For(DataType.String), false, null));
            relations.Add(new PgRelation(Unique(PgOids.Stable("view", catalog, database.Name, view.Name), used), PgOids.PublicNamespace, PublicSchema, view.Name, 'v', columns, [], view.Comment));
        }
    }

    /// <summary>A hash collision within one snapshot moves the later object to the next free OID.</summary>
    private static int Unique(int oid, HashSet<int> used)
    {
        while (!used.Add(oid)) oid = oid == int.MaxValue ? PgOids.FirstUserOid : oid + 1;
        return oid;
    }
}
