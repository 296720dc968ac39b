using Tarn.Execution.Lowering;
using Tarn.Planner.Logical;
using Tarn.Storage.Engine;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Lookup;

/// <summary>
/// A native table as a lookup source: the dimension's plan (its scan and computed columns) runs in batch over the
/// table's newest committed version, indexed by key; the index is rebuilt only when a commit changed the table, so
/// lookups between commits cost one dictionary probe per key and always see the current rows.
/// </summary>
public sealed class NativeLookupSource(StorageEngine storage, long tableId, LogicalPlan dim, IReadOnlyList<int> keyColumns, ExecutionContext context)
    : ILookupSource
{
    private TableVersion? _version;
    private Dictionary<byte[], LookupRow[]> _index = [];

    public IReadOnlyList<DataType> RowTypes { get; } = [.. dim.Output.Select(c => c.Type)];

    public IReadOnlyList<int> KeyColumns => keyColumns;

    /// <summary>How many times the table was read (once per version that was looked up).</summary>
    public int Loads { get; private set; }

    public void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results)
    {
        var current = storage.GetTable(tableId)
            ?? throw new TarnException(SqlStates.UndefinedTable, $"the lookup table of a lookup join (id {tableId}) was dropped");
        if (!ReferenceEquals(current, _version))
        {
            _index = LookupKeyCodec.Index(ScanAll(), keyColumns);
            _version = current;
        }
        for (var i = 0; i < encodedKeys.Count; i++)
            results[i] = _index.TryGetValue(encodedKeys[i], out var rows) ? rows : [];
    }

    public IEnumerable<ColumnBatch> ScanAll()
    {
        Loads++;
        var batches = new List<ColumnBatch>();
        using var planner = new BatchPlanner(storage, context);
        using var op = planner.Lower(dim);
        while (op.Next() is { } batch)
            if (batch.RowCount > 0) batches.Add(batch);
        return batches;
    }

    public void Dispose() { }
}
