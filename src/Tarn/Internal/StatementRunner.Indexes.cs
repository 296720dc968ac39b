using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Sql.Ast;

namespace Tarn.Internal;

/// <summary>
/// CREATE INDEX and DROP INDEX, accepted so scripts written for SQLite, DuckDB or PostgreSQL run unchanged. Tarn has no
/// secondary indexes yet: scans are pruned by partition and by per-chunk min/max statistics instead. An index is
/// recorded durably as the table option <c>index.&lt;name&gt;.columns</c> (visible in SHOW CREATE TABLE), so names
/// are unique per database and DROP INDEX finds it; UNIQUE is not enforced, like Flink's NOT ENFORCED keys.
/// </summary>
internal static partial class StatementRunner
{
    private const string IndexOptionPrefix = "index.";
    private const string IndexOptionSuffix = ".columns";

    private static async Task<TarnResult> CreateIndexAsync(TarnSession session, CreateIndexStatement create)
    {
        var path = PathOf(session, create.Table);
        var catalog = session.Core.Catalog;
        var table = catalog.FindTable(path)
            ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist at {create.Table.Position}", create.Table.Position);
        foreach (var column in create.Columns)
        {
            if (table.FindColumn(column.Value) is null)
                throw new TarnException(SqlStates.UndefinedColumn, $"column '{column.Value}' does not exist in table '{path}' at {column.Position}", column.Position);
        }
        var name = create.Name.Value;
        if (FindIndex(catalog, path.Catalog, path.Database, name) is not null)
        {
            if (create.IfNotExists) return TarnResult.Ok(StatementKind.Ddl, $"Index {name} already exists");
            throw new TarnException(SqlStates.DuplicateObject, $"index '{name}' already exists at {create.Name.Position}", create.Name.Position);
        }
        var key = IndexOptionPrefix + name.ToLowerInvariant() + IndexOptionSuffix;
        var columns = string.Join(",", create.Columns.Select(c => c.Value));
        await catalog.SetTableOptionsAsync(path, new Dictionary<string, string> { [key] = columns }, []).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"Index {name} created");
    }

    private static async Task<TarnResult> DropIndexAsync(TarnSession session, DropIndexStatement drop)
    {
        var parts = drop.Name.Parts;
        var catalogName = parts.Count >= 3 ? parts[^3].Value : session.CurrentCatalog;
        var database = parts.Count >= 2 ? parts[^2].Value : session.CurrentDatabase;
        var name = parts[^1].Value;
        var catalog = session.Core.Catalog;
        if (FindIndex(catalog, catalogName, database, name) is not { } table)
        {
            if (drop.IfExists) return TarnResult.Ok(StatementKind.Ddl, $"Index {name} does not exist");
            throw new TarnException(SqlStates.UndefinedObject, $"index '{name}' does not exist at {drop.Name.Position}", drop.Name.Position);
        }
        var key = IndexOptionPrefix + name.ToLowerInvariant() + IndexOptionSuffix;
        await catalog.SetTableOptionsAsync(new ObjectPath(catalogName, database, table.Name), new Dictionary<string, string>(), [key]).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"Index {name} dropped");
    }

    /// <summary>The table in the database that records the index <paramref name="name"/>, if any.</summary>
    private static TableDef? FindIndex(CatalogManager catalog, string catalogName, string database, string name)
    {
        var key = IndexOptionPrefix + name.ToLowerInvariant() + IndexOptionSuffix;
        var db = catalog.FindDatabase(catalogName, database);
        if (db is null) return null;
        foreach (var t in db.Tables)
        {
            if (t.Options.ContainsKey(key)) return t;
        }
        return null;
    }
}
