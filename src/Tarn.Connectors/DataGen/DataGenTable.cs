using Tarn.Catalog.Model;
using Tarn.Connectors.Generators;

namespace Tarn.Connectors.DataGen;

/// <summary>
/// A <c>'connector' = 'datagen'</c> table: its options and a generator per physical column. Bounded when
/// <c>number-of-rows</c> is set or a column is a sequence (it ends with the shortest sequence), unbounded otherwise.
/// </summary>
internal sealed class DataGenTable
{
    private DataGenTable(DataGenOptions options, DataGenColumn[] columns, long? limit)
    {
        Options = options;
        Columns = columns;
        Limit = limit;
    }

    public DataGenOptions Options { get; }

    /// <summary>The generator of each physical column, in declaration order.</summary>
    public IReadOnlyList<DataGenColumn> Columns { get; }

    /// <summary>Rows in all, or null when unbounded.</summary>
    public long? Limit { get; }

    public GeneratorPacing Pacing => new(Options.RowsPerSecond, Limit);

    public static bool Is(TableDef table) => string.Equals(table.Connector, "datagen", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks a table definition (at CREATE TABLE and when opened); throws 22023 / 42703 / 0A000 with the reason.</summary>
    public static DataGenTable From(TableDef table)
    {
        var options = DataGenOptions.Parse(table);
        var physical = table.Columns.Where(c => c.IsPhysical).ToList();
        foreach (var name in options.Fields.Keys)
            if (!physical.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
                throw new TarnException(SqlStates.UndefinedColumn, $"datagen option 'fields.{name}.*' of table '{table.Name}' names no physical column");
        var columns = new DataGenColumn[physical.Count];
        var limit = options.NumberOfRows;
        for (var i = 0; i < physical.Count; i++)
        {
            var spec = options.Fields.TryGetValue(physical[i].Name, out var s) ? s : new DataGenFieldSpec();
            columns[i] = new DataGenColumn(table.Name, physical[i].Name, i, physical[i].Type, spec, options.Seed);
            if (columns[i].SequenceLength is { } n) limit = limit is { } l ? Math.Min(l, n) : n;
        }
        return new DataGenTable(options, columns, limit);
    }

    /// <summary>A generator of the physical columns at <paramref name="columnIndexes"/>, times relative to now.</summary>
    public DataGenGenerator Generator(IReadOnlyList<int> columnIndexes)
    {
        var selected = new DataGenColumn[columnIndexes.Count];
        for (var i = 0; i < selected.Length; i++) selected[i] = Columns[columnIndexes[i]];
        return new DataGenGenerator(selected, Options.Seed, Options.RowsPerSecond ?? DataGenOptions.DefaultRowsPerSecond, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }
}
