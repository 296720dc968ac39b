using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary><c>LIMIT limit OFFSET offset</c> (limit null = no limit). Stops pulling its input once the limit is reached.</summary>
public sealed class LimitOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private long _toSkip;
    private long _remaining;

    public LimitOperator(IBatchOperator input, long? limit, long offset = 0)
    {
        if (limit < 0) throw new TarnException(SqlStates.InvalidParameterValue, "LIMIT must not be negative");
        if (offset < 0) throw new TarnException(SqlStates.InvalidParameterValue, "OFFSET must not be negative");
        _input = input;
        _toSkip = offset;
        _remaining = limit ?? long.MaxValue;
    }

    public IReadOnlyList<DataType> OutputTypes => _input.OutputTypes;

    public ColumnBatch? Next()
    {
        while (_remaining > 0)
        {
            var batch = _input.Next();
            if (batch is null) return null;
            var n = batch.RowCount;
            if (_toSkip >= n)
            {
                _toSkip -= n;
                continue;
            }
            var start = (int)_toSkip;
            _toSkip = 0;
            var take = (int)Math.Min(n - start, _remaining);
            _remaining -= take;
            if (take == 0) continue;
            return batch.Slice(start, take);
        }
        return null;
    }

    public void Dispose() => _input.Dispose();
}
