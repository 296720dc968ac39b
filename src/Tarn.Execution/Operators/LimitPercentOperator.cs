using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// DuckDB's <c>LIMIT p % OFFSET m</c> (the lowering of <c>LogicalLimitPercent</c>): reads the whole input, keeping the
/// rows after the offset, then returns the first floor(p / 100 × n) of them, where n counts every input row (the
/// skipped ones too, as DuckDB does). The kept rows count against the query memory limit.
/// </summary>
public sealed class LimitPercentOperator(IBatchOperator input, double percent, long offset, ExecutionContext context) : IBatchOperator
{
    private readonly List<ColumnBatch> _kept = [];
    private readonly MemoryReservation _memory = new(context.Memory, "LIMIT PERCENT");
    private bool _loaded;
    private int _next;
    private long _remaining;

    public IReadOnlyList<DataType> OutputTypes => input.OutputTypes;

    public ColumnBatch? Next()
    {
        if (!_loaded) Load();
        while (_remaining > 0 && _next < _kept.Count)
        {
            var batch = _kept[_next];
            _kept[_next++] = null!; // emitted batches belong to the consumer now
            var take = (int)Math.Min(batch.RowCount, _remaining);
            _remaining -= take;
            return take == batch.RowCount ? batch : batch.Slice(0, take);
        }
        return null;
    }

    private void Load()
    {
        _loaded = true;
        long total = 0, toSkip = offset, bytes = 0;
        while (input.Next() is { } batch)
        {
            context.ThrowIfCanceled();
            var n = batch.RowCount;
            total += n;
            if (toSkip >= n)
            {
                toSkip -= n;
                continue;
            }
            var kept = toSkip == 0 ? batch : batch.Slice((int)toSkip, n - (int)toSkip);
            toSkip = 0;
            _kept.Add(kept);
            for (var c = 0; c < kept.ColumnCount; c++) bytes += VectorAppend.EstimateBytes(kept[c]);
            _memory.SetSize(bytes);
        }
        var limit = (long)Math.Floor(percent / 100 * total);
        _remaining = Math.Min(limit, Math.Max(0, total - offset));
    }

    public void Dispose()
    {
        _memory.Dispose();
        input.Dispose();
    }
}
