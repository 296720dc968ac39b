using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// ORDER BY ... LIMIT limit OFFSET offset without sorting the whole input: it keeps at most about
/// 2 × (limit + offset) rows, and whenever the buffer fills it sorts it and drops everything past the first
/// limit + offset rows. Memory stays proportional to limit + offset.
/// </summary>
public sealed class TopNOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly SortBuffer _buffer;
    private readonly ExecutionContext _context;
    private readonly long _limit;
    private readonly long _offset;
    private readonly int _keep;
    private int[]? _order;
    private int _emitted;

    public TopNOperator(IBatchOperator input, IReadOnlyList<BoundSortKey> keys, long limit, long offset, ExecutionContext context)
    {
        if (limit < 0 || offset < 0) throw new TarnException(SqlStates.InvalidParameterValue, "LIMIT and OFFSET must not be negative");
        _input = input;
        _context = context;
        _limit = limit;
        _offset = offset;
        _keep = (int)Math.Min(int.MaxValue / 4, limit + offset);
        _buffer = new SortBuffer(input.OutputTypes, keys, context, "ORDER BY ... LIMIT");
    }

    public IReadOnlyList<DataType> OutputTypes => _input.OutputTypes;

    public ColumnBatch? Next()
    {
        if (_order is null)
        {
            var threshold = Math.Max(2L * _keep, 4096);
            while (_keep > 0 && _input.Next() is { } batch)
            {
                _context.ThrowIfCanceled();
                _buffer.Add(batch);
                if (_buffer.Rows.Count >= threshold) Compact();
            }
            var sorted = _buffer.Sort();
            var start = (int)Math.Min(_offset, sorted.Length);
            var end = (int)Math.Min(sorted.Length, _offset + _limit);
            _order = sorted[start..end];
        }
        if (_emitted >= _order.Length) return null;
        var count = Math.Min(_context.BatchSize, _order.Length - _emitted);
        var result = _buffer.Output(_order.AsSpan(_emitted, count));
        _emitted += count;
        return result;
    }

    private void Compact()
    {
        var sorted = _buffer.Sort();
        _buffer.Retain(sorted.AsSpan(0, Math.Min(_keep, sorted.Length)));
    }

    public void Dispose()
    {
        _buffer.Dispose();
        _input.Dispose();
    }
}
