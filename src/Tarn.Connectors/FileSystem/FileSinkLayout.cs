using Tarn.Catalog.Model;
using Tarn.Execution.Formatting;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// How a filesystem sink lays rows (the table's physical columns) out: the partition columns name Hive-style
/// directories (<c>a=1/b=x</c>, <see cref="PartitionPath"/>) and are left out of the files, the other columns are
/// the files' columns.
/// </summary>
internal sealed class FileSinkLayout
{
    private readonly FileSystemTable _table;
    private readonly int[] _dataColumns;
    private readonly (int Column, string Name)[] _partitionColumns;

    public FileSinkLayout(TableDef def, FileSystemTable table)
    {
        _table = table;
        var physical = def.Columns.Where(c => c.IsPhysical).ToList();
        RowTypes = physical.Select(c => c.Type).ToArray();
        var data = new List<int>();
        for (var i = 0; i < physical.Count; i++)
            if (!table.PartitionKeys.Any(k => string.Equals(k, physical[i].Name, StringComparison.OrdinalIgnoreCase))) data.Add(i);
        _dataColumns = [.. data];
        DataNames = data.Select(i => physical[i].Name).ToArray();
        DataTypes = data.Select(i => physical[i].Type).ToArray();
        _partitionColumns = table.PartitionKeys
            .Select(k => physical.FindIndex(c => string.Equals(c.Name, k, StringComparison.OrdinalIgnoreCase)))
            .Select(i => (i, physical[i].Name)).ToArray();
    }

    /// <summary>The types of the rows the sink receives (every physical column).</summary>
    public IReadOnlyList<DataType> RowTypes { get; }

    public IReadOnlyList<string> DataNames { get; }

    public IReadOnlyList<DataType> DataTypes { get; }

    public bool IsPartitioned => _partitionColumns.Length > 0;

    /// <summary>
    /// The rows of <paramref name="batch"/> by partition: the partition's directory relative to the table's path
    /// (<c>""</c> for an unpartitioned table, <c>/</c>-separated) and its rows' data columns.
    /// </summary>
    public List<(string Partition, ColumnBatch Data)> Split(ColumnBatch batch, TimeZoneInfo zone)
    {
        if (!IsPartitioned) return [("", Project(batch, null))];
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var parts = new string[_partitionColumns.Length];
        for (var r = 0; r < batch.RowCount; r++)
        {
            for (var k = 0; k < parts.Length; k++)
            {
                var (column, name) = _partitionColumns[k];
                var text = ValueFormatter.Format(batch.Columns[column], r, zone);
                parts[k] = PartitionPath.Escape(name) + "=" + PartitionPath.Escape(text is null || text.Length == 0 ? _table.DefaultPartitionName : text);
            }
            var key = string.Join('/', parts);
            if (!groups.TryGetValue(key, out var rows)) groups[key] = rows = [];
            rows.Add(r);
        }
        var result = new List<(string, ColumnBatch)>(groups.Count);
        foreach (var (key, rows) in groups) result.Add((key, Project(batch, rows.Count == batch.RowCount ? null : rows.ToArray())));
        return result;
    }

    /// <summary>The directory of <paramref name="partition"/> (a key from <see cref="Split"/>).</summary>
    public string DirectoryOf(string partition) =>
        partition.Length == 0 ? _table.Path : Path.Combine(_table.Path, partition.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The data columns of <paramref name="batch"/>, of the rows <paramref name="selection"/> or all.</summary>
    private ColumnBatch Project(ColumnBatch batch, int[]? selection)
    {
        var columns = new ColumnVector[_dataColumns.Length];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = selection is null ? batch.Columns[_dataColumns[i]] : batch.Columns[_dataColumns[i]].Gather(selection);
        return new ColumnBatch(columns, selection?.Length ?? batch.RowCount);
    }
}
