using Tarn.Execution.Aggregation;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// SELECT DISTINCT over all input columns (NULLs equal). Streaming: each batch yields the rows whose value
/// combination has not been seen before, so a LIMIT above it stops early.
/// </summary>
public sealed class DistinctOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly IGroupTable _seen;
    private readonly ExecutionContext _context;
    private readonly MemoryReservation _memory;
    private int[] _ids = [];

    public DistinctOperator(IBatchOperator input, ExecutionContext context)
    {
        _input = input;
        _context = context;
        var types = input.OutputTypes;
        _seen = GroupTables.Create(types);
        _memory = new MemoryReservation(context.Memory, "DISTINCT");
    }

    public IReadOnlyList<DataType> OutputTypes => _input.OutputTypes;

    public ColumnBatch? Next()
    {
        while (_input.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            var n = batch.RowCount;
            if (_ids.Length < n) _ids = new int[n];
            var before = _seen.Count;
            _seen.FindOrInsert(batch.Columns, n, _ids);
            _memory.SetSize(_seen.MemoryBytes);
            var added = _seen.Count - before;
            if (added == 0) continue;
            var rows = FirstOccurrences.Rows(_ids, n, before, added);
            return rows.Length == n ? batch : batch.Gather(rows);
        }
        return null;
    }

    public void Dispose()
    {
        _memory.Dispose();
        _input.Dispose();
    }
}
