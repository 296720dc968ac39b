using Tarn.Catalog.Model;
using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;

namespace Tarn.Catalog;

/// <summary>
/// The catalog of one database: catalogs, databases, tables and views, stored in the database's commit log and
/// manifests (each DDL statement is one atomic commit carrying the whole new catalog image together with any storage
/// change). DDL is serialized; lookups read an immutable image and never block.
/// </summary>
public sealed partial class CatalogManager
{
    private readonly StorageEngine _engine;
    private readonly SemaphoreSlim _ddl = new(1, 1);
    private volatile CatalogImage _image;

    public CatalogManager(StorageEngine engine)
    {
        _engine = engine;
        _image = CatalogCodec.Decode(engine.Current.CatalogImage.Span, engine.Directory);
    }

    public CatalogImage Current => _image;
    public StorageEngine Storage => _engine;

    public TableDef? FindTable(ObjectPath path) =>
        _image.FindCatalog(path.Catalog)?.FindDatabase(path.Database)?.FindTable(path.Name);

    public ViewDef? FindView(ObjectPath path) =>
        _image.FindCatalog(path.Catalog)?.FindDatabase(path.Database)?.FindView(path.Name);

    public DatabaseDef? FindDatabase(string catalog, string database) => _image.FindCatalog(catalog)?.FindDatabase(database);

    public DatabaseDef GetDatabase(string catalog, string database)
    {
        var c = _image.FindCatalog(catalog) ?? throw new TarnException(SqlStates.InvalidCatalogName, $"catalog '{catalog}' does not exist");
        return c.FindDatabase(database) ?? throw new TarnException(SqlStates.InvalidSchemaName, $"database '{catalog}.{database}' does not exist");
    }

    private async Task<T> DdlAsync<T>(Func<CatalogImage, (CatalogImage Image, List<LogOp> Ops, T Result)> change)
    {
        await _ddl.WaitAsync().ConfigureAwait(false);
        try
        {
            var (image, ops, result) = change(_image);
            if (ReferenceEquals(image, _image) && ops.Count == 0) return result;
            ops.Add(new CatalogOp(CatalogCodec.Encode(image)));
            await _engine.CommitAsync(ops).ConfigureAwait(false);
            _image = image;
            return result;
        }
        finally
        {
            _ddl.Release();
        }
    }

    public Task CreateCatalogAsync(string name, IReadOnlyDictionary<string, string> options, bool ifNotExists) => DdlAsync(image =>
    {
        if (image.FindCatalog(name) is not null)
        {
            if (ifNotExists) return (image, [], true);
            throw new TarnException(SqlStates.DuplicateObject, $"catalog '{name}' already exists");
        }
        // Every catalog starts with Flink's default database so USE CATALOG leaves the session somewhere valid.
        var catalog = new CatalogDef(name, options, [new DatabaseDef(CatalogImage.DefaultDatabase, null, new Dictionary<string, string>(), [], [])]);
        return (image with { Catalogs = [.. image.Catalogs, catalog] }, new List<LogOp>(), true);
    });

    public Task DropCatalogAsync(string name, bool ifExists) => DdlAsync(image =>
    {
        var c = image.FindCatalog(name);
        if (c is null)
        {
            if (ifExists) return (image, [], true);
            throw new TarnException(SqlStates.InvalidCatalogName, $"catalog '{name}' does not exist");
        }
        if (string.Equals(c.Name, CatalogImage.DefaultCatalog, StringComparison.OrdinalIgnoreCase))
            throw new TarnException(SqlStates.ObjectInUse, "the default catalog cannot be dropped");
        if (c.Databases.Any(d => !d.IsEmpty))
            throw new TarnException(SqlStates.ObjectInUse, $"catalog '{name}' is not empty; drop its tables, views, functions and sequences first");
        return (image with { Catalogs = image.Catalogs.Where(x => x != c).ToList() }, new List<LogOp>(), true);
    });

    public Task CreateDatabaseAsync(string catalog, string name, string? comment, IReadOnlyDictionary<string, string> options, bool ifNotExists) => DdlAsync(image =>
    {
        var c = image.FindCatalog(catalog) ?? throw new TarnException(SqlStates.InvalidCatalogName, $"catalog '{catalog}' does not exist");
        if (c.FindDatabase(name) is not null)
        {
            if (ifNotExists) return (image, [], true);
            throw new TarnException(SqlStates.DuplicateObject, $"database '{catalog}.{name}' already exists");
        }
        var updated = c with { Databases = [.. c.Databases, new DatabaseDef(name, comment, options, [], [])] };
        return (Replace(image, c, updated), new List<LogOp>(), true);
    });

    public Task DropDatabaseAsync(string catalog, string name, bool ifExists, bool cascade) => DdlAsync(image =>
    {
        var c = image.FindCatalog(catalog) ?? throw new TarnException(SqlStates.InvalidCatalogName, $"catalog '{catalog}' does not exist");
        var d = c.FindDatabase(name);
        if (d is null)
        {
            if (ifExists) return (image, [], true);
            throw new TarnException(SqlStates.InvalidSchemaName, $"database '{catalog}.{name}' does not exist");
        }
        if (!cascade && !d.IsEmpty)
            throw new TarnException(SqlStates.ObjectInUse, $"database '{catalog}.{name}' is not empty; use DROP DATABASE ... CASCADE");
        var ops = new List<LogOp>();
        foreach (var t in d.Tables) if (t.IsNative) ops.Add(new DropTableOp(t.TableId));
        var updated = c with { Databases = c.Databases.Where(x => x != d).ToList() };
        var dropped = d.Tables.Where(t => t.IsNative).Select(t => t.TableId).ToHashSet();
        return (WithoutSubscriptions(Replace(image, c, updated), dropped, c.Name, d.Name, ops), ops, true);
    });

    /// <summary>
    /// Creates a table. For a native table the storage layout is derived from the definition: partition keys, bucket
    /// count from the <c>bucket</c> option (default 1), bucket key from <c>bucket-key</c> or else the primary key.
    /// Returns the stored definition (with ids), or the existing one with IF NOT EXISTS.
    /// </summary>
    public Task<TableDef> CreateTableAsync(ObjectPath path, TableDef definition, bool ifNotExists) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        if (d.FindTable(path.Name) is { } existing)
        {
            if (ifNotExists) return (image, [], existing);
            throw new TarnException(SqlStates.DuplicateTable, $"table '{path}' already exists");
        }
        if (d.FindView(path.Name) is not null) throw new TarnException(SqlStates.DuplicateTable, $"a view named '{path}' already exists");
        var ops = new List<LogOp>();
        var def = definition with { Name = path.Name };
        if (def.StoresNatively)
        {
            RejectRowColumns(path, def.Columns);
            def = def with { TableId = _engine.AllocateTableId() };
            ops.Add(new CreateTableOp(LayoutOf(def)));
        }
        else
        {
            def = def with { TableId = 0 };
        }
        var updated = d with { Tables = [.. d.Tables, def] };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), ops, def);
    });

    public Task DropTableAsync(ObjectPath path, bool ifExists) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var t = d.FindTable(path.Name);
        if (t is null)
        {
            if (ifExists) return (image, [], true);
            throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist");
        }
        var ops = new List<LogOp>();
        if (t.IsNative) ops.Add(new DropTableOp(t.TableId));
        var updated = d with { Tables = d.Tables.Where(x => x != t).ToList() };
        var image2 = WithoutGrantsOn(Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), path);
        return (t.IsNative ? WithoutSubscriptions(image2, [t.TableId], null, null, ops) : image2, ops, true);
    });

    /// <summary>ALTER TABLE ... ADD COLUMN: new columns get fresh ids and read as NULL in existing rows, so they must be nullable.</summary>
    public Task<TableDef> AddColumnsAsync(ObjectPath path, IReadOnlyList<ColumnDef> columns) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var t = d.FindTable(path.Name) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist");
        var nextId = t.Columns.Count == 0 ? 0 : t.Columns.Max(x => x.Id) + 1;
        var added = new List<ColumnDef>();
        foreach (var col in columns)
        {
            if (t.FindColumn(col.Name) is not null || added.Any(a => string.Equals(a.Name, col.Name, StringComparison.OrdinalIgnoreCase)))
                throw new TarnException(SqlStates.DuplicateColumn, $"column '{col.Name}' already exists in '{path}'");
            if (col.IsPhysical && !col.Type.Nullable && t.IsNative)
                throw new TarnException(SqlStates.NotNullViolation, $"cannot add NOT NULL column '{col.Name}': existing rows have no value for it");
            added.Add(col with { Id = nextId++ });
        }
        if (t.IsNative) RejectRowColumns(path, added);
        var def = t with { Columns = [.. t.Columns, .. added] };
        var ops = new List<LogOp>();
        if (t.IsNative) ops.Add(new AlterSchemaOp(t.TableId, def.PhysicalSchema()));
        var updated = d with { Tables = Swap(d.Tables, t, def) };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), ops, def);
    });

    public Task RenameTableAsync(ObjectPath path, string newName) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var t = d.FindTable(path.Name) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist");
        if (d.FindTable(newName) is not null || d.FindView(newName) is not null)
            throw new TarnException(SqlStates.DuplicateTable, $"'{path.Catalog}.{path.Database}.{newName}' already exists");
        var updated = d with { Tables = Swap(d.Tables, t, t with { Name = newName }) };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), new List<LogOp>(), true);
    });

    public Task SetTableOptionsAsync(ObjectPath path, IReadOnlyDictionary<string, string> set, IReadOnlyList<string> reset) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var t = d.FindTable(path.Name) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist");
        var options = new Dictionary<string, string>(t.Options, StringComparer.Ordinal);
        foreach (var (k, v) in set)
        {
            if (k is "bucket" or "bucket-key" or "connector" && t.IsNative)
                throw new TarnException(SqlStates.FeatureNotSupported, $"option '{k}' cannot be changed after the table is created");
            options[k] = v;
        }
        foreach (var k in reset) options.Remove(k);
        var updated = d with { Tables = Swap(d.Tables, t, t with { Options = options }) };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), new List<LogOp>(), true);
    });

    public Task CreateViewAsync(ObjectPath path, ViewDef view, bool ifNotExists) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        if (d.FindView(path.Name) is not null || d.FindTable(path.Name) is not null)
        {
            if (ifNotExists) return (image, [], true);
            throw new TarnException(SqlStates.DuplicateTable, $"'{path}' already exists");
        }
        var updated = d with { Views = [.. d.Views, view with { Name = path.Name }] };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), new List<LogOp>(), true);
    });

    public Task DropViewAsync(ObjectPath path, bool ifExists) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var v = d.FindView(path.Name);
        if (v is null)
        {
            if (ifExists) return (image, [], true);
            throw new TarnException(SqlStates.UndefinedTable, $"view '{path}' does not exist");
        }
        var updated = d with { Views = d.Views.Where(x => x != v).ToList() };
        return (WithoutGrantsOn(Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), path), new List<LogOp>(), true);
    });

    /// <summary>The storage layout a native table definition implies.</summary>
    public static TableLayout LayoutOf(TableDef def)
    {
        var schema = def.PhysicalSchema();
        int IdOf(string name, string what)
        {
            var i = schema.IndexOf(name);
            if (i < 0) throw new TarnException(SqlStates.UndefinedColumn, $"{what} column '{name}' is not a physical column of the table");
            return schema[i].Id;
        }
        var partitions = def.PartitionKeys.Select(p => IdOf(p, "partition")).ToList();
        var pk = def.PrimaryKey.Select(p => IdOf(p, "primary key")).ToList();
        var buckets = 1;
        if (def.Options.TryGetValue("bucket", out var b))
        {
            if (!int.TryParse(b, out buckets) || buckets < 1 || buckets > TableLayout.MaxBuckets)
                throw new TarnException(SqlStates.InvalidParameterValue, $"option 'bucket' must be an integer from 1 to {TableLayout.MaxBuckets}, got '{b}'");
        }
        List<int> bucketKey;
        if (def.Options.TryGetValue("bucket-key", out var bk))
            bucketKey = bk.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(k => IdOf(k, "bucket key")).ToList();
        else
            bucketKey = [.. pk];
        // All versions of a key must land in one bucket for merge-on-read (storage-spec DB-050), as Paimon requires.
        foreach (var k in bucketKey)
            if (pk.Count > 0 && !pk.Contains(k))
                throw new TarnException(SqlStates.InvalidParameterValue, "option 'bucket-key' of a table with a primary key must be a subset of the primary key");
        return new TableLayout(0, schema, partitions, buckets, bucketKey, pk) with { TableId = def.TableId };
    }

    private static (CatalogDef, DatabaseDef) Locate(CatalogImage image, ObjectPath path)
    {
        var c = image.FindCatalog(path.Catalog) ?? throw new TarnException(SqlStates.InvalidCatalogName, $"catalog '{path.Catalog}' does not exist");
        var d = c.FindDatabase(path.Database) ?? throw new TarnException(SqlStates.InvalidSchemaName, $"database '{path.Catalog}.{path.Database}' does not exist");
        return (c, d);
    }

    private static CatalogImage Replace(CatalogImage image, CatalogDef old, CatalogDef updated) =>
        image with { Catalogs = Swap(image.Catalogs, old, updated) };

    private static List<T> Swap<T>(IReadOnlyList<T> list, T old, T updated) where T : class
    {
        var result = new List<T>(list.Count);
        foreach (var x in list) result.Add(ReferenceEquals(x, old) ? updated : x);
        return result;
    }
}
