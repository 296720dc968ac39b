using Tarn.Types;

namespace Tarn.Catalog.Model;

/// <summary>
/// A column as declared: physical (stored), computed (<c>name AS expr</c>) or metadata (<c>METADATA FROM 'key'</c>).
/// A physical column may have a DEFAULT, kept as SQL text and bound where an INSERT or UPDATE uses it.
/// A string column's collation (<c>VARCHAR COLLATE NOCASE</c>) is part of its <see cref="Type"/> (<c>DataType.Collation</c>).
/// </summary>
public sealed record ColumnDef(
    int Id,
    string Name,
    DataType Type,
    string? Comment = null,
    string? ComputedExpression = null,
    string? MetadataKey = null,
    bool IsMetadata = false,
    bool IsVirtual = false,
    string? DefaultExpression = null)
{
    public bool IsPhysical => ComputedExpression is null && !IsMetadata;
}

/// <summary><c>WATERMARK FOR column AS expression</c>, kept as SQL text for the streaming planner.</summary>
public sealed record WatermarkDef(string Column, string Expression);

/// <summary>
/// A table as the catalog knows it. Native Tarn tables have a storage <see cref="TableId"/>; connector tables
/// (<c>'connector' = 'kafka'</c> and friends) have 0 and live outside Tarn's storage.
/// </summary>
public sealed record TableDef(
    string Name,
    long TableId,
    IReadOnlyList<ColumnDef> Columns,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<string> PartitionKeys,
    WatermarkDef? Watermark,
    IReadOnlyDictionary<string, string> Options,
    string? Comment)
{
    public bool IsNative => TableId != 0;

    public ColumnDef? FindColumn(string name)
    {
        foreach (var c in Columns) if (string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) return c;
        return null;
    }

    /// <summary>The columns stored in segments, in declaration order.</summary>
    public Schema PhysicalSchema()
    {
        var cols = new List<Column>();
        foreach (var c in Columns) if (c.IsPhysical) cols.Add(new Column(c.Id, c.Name, c.Type));
        return new Schema(cols);
    }

    /// <summary>The connector named by the options (<c>connector</c>, or the legacy <c>connector.type</c>), or null for a native table.</summary>
    public string? Connector => Options.TryGetValue("connector", out var c) ? c : Options.TryGetValue("connector.type", out var t) ? t : null;

    /// <summary>
    /// Whether the table lives in Tarn's storage: no connector, <c>'tarn'</c>, or Flink's test connector
    /// <c>'values'</c> (an in-memory table in Flink's tests; here a native table its rows are inserted into).
    /// </summary>
    public bool StoresNatively => Connector is not { } c
        || string.Equals(c, "tarn", StringComparison.OrdinalIgnoreCase) || string.Equals(c, "values", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A view: its query as SQL text, re-bound on use.</summary>
public sealed record ViewDef(string Name, string Query, IReadOnlyList<string>? ColumnNames, string? Comment);

public sealed record DatabaseDef(
    string Name,
    string? Comment,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyList<TableDef> Tables,
    IReadOnlyList<ViewDef> Views)
{
    /// <summary>Scalar SQL macros (catalog image version 3).</summary>
    public IReadOnlyList<MacroDef> Macros { get; init; } = [];

    /// <summary>Sequences (catalog image version 3).</summary>
    public IReadOnlyList<SequenceDef> Sequences { get; init; } = [];

    /// <summary>True when the database holds no table, view, macro or sequence.</summary>
    public bool IsEmpty => Tables.Count == 0 && Views.Count == 0 && Macros.Count == 0 && Sequences.Count == 0;

    public MacroDef? FindMacro(string name)
    {
        foreach (var m in Macros) if (string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)) return m;
        return null;
    }

    public SequenceDef? FindSequence(string name)
    {
        foreach (var s in Sequences) if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) return s;
        return null;
    }

    public TableDef? FindTable(string name)
    {
        foreach (var t in Tables) if (string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)) return t;
        return null;
    }

    public ViewDef? FindView(string name)
    {
        foreach (var v in Views) if (string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }
}

public sealed record CatalogDef(string Name, IReadOnlyDictionary<string, string> Options, IReadOnlyList<DatabaseDef> Databases)
{
    public DatabaseDef? FindDatabase(string name)
    {
        foreach (var d in Databases) if (string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)) return d;
        return null;
    }
}

/// <summary>The whole catalog at one point in time. Immutable; DDL produces a new one.</summary>
public sealed record CatalogImage(IReadOnlyList<CatalogDef> Catalogs)
{
    public const string DefaultCatalog = "default_catalog";
    public const string DefaultDatabase = "default_database";

    /// <summary>Users and grants (catalog image version 6); empty in older images.</summary>
    public SecurityDef Security { get; init; } = SecurityDef.Empty;

    /// <summary>Durable subscriptions to tables (catalog image version 7); empty in older images.</summary>
    public IReadOnlyList<SubscriptionDef> Subscriptions { get; init; } = [];

    public static readonly CatalogImage Initial = new([
        new CatalogDef(DefaultCatalog, new Dictionary<string, string>(), [
            new DatabaseDef(DefaultDatabase, null, new Dictionary<string, string>(), [], [])]),
    ]);

    public CatalogDef? FindCatalog(string name)
    {
        foreach (var c in Catalogs) if (string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) return c;
        return null;
    }
}
