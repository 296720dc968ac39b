using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.WindowTvf;

/// <summary>
/// TUMBLE, HOP and CUMULATE over a batch input (the batch lowering of <see cref="LogicalWindowTvf"/> for the kinds
/// whose windows depend on the row alone): each row is emitted once per window it falls in, followed by
/// window_start, window_end and window_time. Rows with a NULL time fall in no window. Output batches hold at most
/// <see cref="ExecutionContext.BatchSize"/> rows; a row in more windows than that continues in the next batch.
/// </summary>
public sealed class WindowTvfOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly ExecutionContext _context;
    private readonly WindowTvfKind _kind;
    private readonly int _timeColumn;
    private readonly long _size;
    private readonly long _step;
    private readonly long _offset;
    private readonly WindowClock _clock;
    private ColumnBatch? _current;
    private long[] _times = [];
    private int _row;
    private int _windowOfRow;
    private readonly long _maxWindowsPerRow;

    public WindowTvfOperator(IBatchOperator input, LogicalWindowTvf node, ExecutionContext context)
    {
        if (node.Kind == WindowTvfKind.Session) throw new ArgumentException("SESSION windows are assigned by SessionWindowOperator", nameof(node));
        _input = input;
        _context = context;
        _kind = node.Kind;
        _timeColumn = node.TimeColumn;
        _size = node.SizeMillis;
        _step = node.StepMillis;
        _offset = node.OffsetMillis;
        _maxWindowsPerRow = _kind switch
        {
            WindowTvfKind.Hop => (_size + _step - 1) / _step,
            WindowTvfKind.Cumulate => _size / _step,
            _ => 1,
        };
        _clock = new WindowClock(input.OutputTypes[node.TimeColumn], context.SessionTimeZone);
        OutputTypes = [.. input.OutputTypes, .. WindowColumnTypes(_clock.IsLtz)];
    }

    /// <summary>The types of window_start, window_end and window_time.</summary>
    internal static DataType[] WindowColumnTypes(bool ltz) =>
    [
        DataType.Timestamp(3).WithNullable(false),
        DataType.Timestamp(3).WithNullable(false),
        (ltz ? DataType.TimestampLtz(3) : DataType.Timestamp(3)).WithNullable(false),
    ];

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        var capacity = Math.Max(1, _context.BatchSize);
        while (true)
        {
            _context.ThrowIfCanceled();
            if (_current is null || _row >= _current.RowCount)
            {
                _current = _input.Next();
                if (_current is null) return null;
                _row = 0;
                _windowOfRow = 0;
                LoadTimes(_current);
            }
            var size = (int)Math.Min(capacity, (long)(_current.RowCount - _row) * _maxWindowsPerRow);
            var gather = new int[size];
            var starts = new long[size];
            var ends = new long[size];
            var windowTimes = new long[size];
            var n = 0;
            var times = _times;
            var rows = _current.RowCount;
            while (_row < rows && n < size)
            {
                var time = times[_row];
                var count = time == long.MinValue ? 0 : WindowAssignment.Count(_kind, time, _size, _step, _offset);
                while (_windowOfRow < count && n < size)
                {
                    var (start, end) = WindowAssignment.Window(_kind, time, _size, _step, _offset, _windowOfRow++);
                    gather[n] = _row;
                    starts[n] = start * 1000;
                    ends[n] = end * 1000;
                    windowTimes[n] = _clock.WindowTimeMicros(end);
                    n++;
                }
                if (_windowOfRow >= count)
                {
                    _row++;
                    _windowOfRow = 0;
                }
            }
            if (n > 0) return WithWindowColumns(_current.Gather(gather.AsSpan(0, n)), starts, ends, windowTimes, n, OutputTypes);
        }
    }

    internal static ColumnBatch WithWindowColumns(ColumnBatch rows, long[] starts, long[] ends, long[] windowTimes, int n, IReadOnlyList<DataType> types)
    {
        var width = rows.ColumnCount;
        var columns = new ColumnVector[width + 3];
        Array.Copy(rows.Columns, columns, width);
        columns[width] = new PrimitiveVector<long>(types[width], starts, n);
        columns[width + 1] = new PrimitiveVector<long>(types[width + 1], ends, n);
        columns[width + 2] = new PrimitiveVector<long>(types[width + 2], windowTimes, n);
        return new ColumnBatch(columns, n);
    }

    /// <summary>The time column on the window clock; long.MinValue marks NULL (such rows fall in no window).</summary>
    private void LoadTimes(ColumnBatch batch)
    {
        var n = batch.RowCount;
        if (_times.Length < n) _times = new long[n];
        var vector = (PrimitiveVector<long>)batch[_timeColumn];
        var values = vector.Values;
        var nulls = vector.Nulls;
        for (var i = 0; i < n; i++) _times[i] = nulls is not null && nulls[i] != 0 ? long.MinValue : _clock.ToMillis(values[i]);
    }

    public void Dispose() => _input.Dispose();
}
