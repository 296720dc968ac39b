using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// Repeats each input row as many times as its BIGINT count column says (NULL or &lt;= 0: dropped) and outputs the
/// columns before the count column (the lowering of <c>LogicalReplicateRows</c>). Output batches hold at most
/// <see cref="ExecutionContext.BatchSize"/> rows; a row repeated more often than that spans several batches.
/// </summary>
public sealed class ReplicateRowsOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly int _countColumn;
    private readonly ExecutionContext _context;
    private readonly int[] _columns;
    private ColumnBatch? _current;
    private long[] _counts = [];
    private int _row;
    private long _emittedOfRow;
    private int[] _gather = [];

    public ReplicateRowsOperator(IBatchOperator input, int countColumn, ExecutionContext context)
    {
        _input = input;
        _countColumn = countColumn;
        _context = context;
        _columns = [.. Enumerable.Range(0, countColumn)];
        OutputTypes = [.. input.OutputTypes.Take(countColumn)];
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        var capacity = Math.Max(1, _context.BatchSize);
        if (_gather.Length < capacity) _gather = new int[capacity];
        while (true)
        {
            _context.ThrowIfCanceled();
            if (_current is null || _row >= _current.RowCount)
            {
                _current = _input.Next();
                if (_current is null) return null;
                _row = 0;
                _emittedOfRow = 0;
                LoadCounts(_current);
            }
            var n = 0;
            var counts = _counts;
            while (_row < _current.RowCount && n < capacity)
            {
                var remaining = counts[_row] - _emittedOfRow;
                if (remaining <= 0)
                {
                    _row++;
                    _emittedOfRow = 0;
                    continue;
                }
                var take = (int)Math.Min(remaining, capacity - n);
                _gather.AsSpan(n, take).Fill(_row);
                n += take;
                _emittedOfRow += take;
            }
            if (n > 0) return _current.Project(_columns).Gather(_gather.AsSpan(0, n));
        }
    }

    private void LoadCounts(ColumnBatch batch)
    {
        var n = batch.RowCount;
        if (_counts.Length < n) _counts = new long[n];
        var vector = (PrimitiveVector<long>)batch[_countColumn];
        var values = vector.Values;
        var nulls = vector.Nulls;
        for (var i = 0; i < n; i++) _counts[i] = nulls is not null && nulls[i] != 0 ? 0 : values[i];
    }

    public void Dispose() => _input.Dispose();
}
