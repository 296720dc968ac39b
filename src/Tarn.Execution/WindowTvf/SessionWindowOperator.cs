using Tarn.Execution.Vectors;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.WindowTvf;

/// <summary>
/// SESSION windows over an input sorted by the partition columns and then the time column (NULL times last): per
/// partition, rows whose [time, time + gap) windows touch or overlap merge into one session (Flink's
/// TimeWindow.intersects), whose window is [first time, last time + gap). Rows with a NULL time fall in no window.
/// The whole input is read before the first batch is returned (a session's end is known only after its last row).
/// </summary>
public sealed class SessionWindowOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly ExecutionContext _context;
    private readonly int _timeColumn;
    private readonly int[] _partitionColumns;
    private readonly long _gap;
    private readonly WindowClock _clock;
    private List<Output>? _outputs;
    private int _next;

    private sealed record Output(ColumnBatch Rows, int[] Keep, long[] Starts, long[] Ends, long[] WindowTimes);

    public SessionWindowOperator(IBatchOperator sortedInput, LogicalWindowTvf node, ExecutionContext context)
    {
        if (node.Kind != WindowTvfKind.Session) throw new ArgumentException("only SESSION windows", nameof(node));
        _input = sortedInput;
        _context = context;
        _timeColumn = node.TimeColumn;
        _partitionColumns = [.. node.PartitionColumns];
        _gap = node.SizeMillis;
        _clock = new WindowClock(sortedInput.OutputTypes[node.TimeColumn], context.SessionTimeZone);
        OutputTypes = [.. sortedInput.OutputTypes, .. WindowTvfOperator.WindowColumnTypes(_clock.IsLtz)];
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        _outputs ??= AssignSessions();
        while (_next < _outputs.Count)
        {
            var o = _outputs[_next++];
            if (o.Keep.Length == 0) continue;
            var rows = o.Keep.Length == o.Rows.RowCount ? o.Rows : o.Rows.Gather(o.Keep);
            return WindowTvfOperator.WithWindowColumns(rows, Pick(o.Starts, o.Keep), Pick(o.Ends, o.Keep), Pick(o.WindowTimes, o.Keep), o.Keep.Length, OutputTypes);
        }
        return null;
    }

    private static long[] Pick(long[] values, int[] keep)
    {
        if (keep.Length == values.Length) return values;
        var picked = new long[Math.Max(1, keep.Length)];
        for (var i = 0; i < keep.Length; i++) picked[i] = values[keep[i]];
        return picked;
    }

    private List<Output> AssignSessions()
    {
        var outputs = new List<Output>();
        var open = new List<(int Batch, int Row)>(); // the rows of the session being built
        long sessionStart = 0, sessionEnd = 0;
        ColumnBatch? previousBatch = null;
        var previousRow = -1;

        void Close()
        {
            if (open.Count == 0) return;
            var windowTime = _clock.WindowTimeMicros(sessionEnd);
            foreach (var (b, r) in open)
            {
                outputs[b].Starts[r] = sessionStart * 1000;
                outputs[b].Ends[r] = sessionEnd * 1000;
                outputs[b].WindowTimes[r] = windowTime;
            }
            open.Clear();
        }

        while (_input.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            var n = batch.RowCount;
            var keep = new List<int>(n);
            var output = new Output(batch, [], new long[n], new long[n], new long[n]);
            outputs.Add(output);
            var batchIndex = outputs.Count - 1;
            var time = (PrimitiveVector<long>)batch[_timeColumn];
            for (var r = 0; r < n; r++)
            {
                if (time.IsNull(r)) continue;
                var t = _clock.ToMillis(time.Values[r]);
                var samePartition = previousBatch is not null && SamePartition(previousBatch, previousRow, batch, r);
                if (!samePartition || t > sessionEnd)
                {
                    Close();
                    sessionStart = t;
                }
                sessionEnd = Math.Max(samePartition && open.Count > 0 ? sessionEnd : long.MinValue, t + _gap);
                open.Add((batchIndex, r));
                keep.Add(r);
                previousBatch = batch;
                previousRow = r;
            }
            outputs[batchIndex] = output with { Keep = [.. keep] };
        }
        Close();
        return outputs;
    }

    /// <summary>Whether two rows have equal partition values (NULLs equal: they form one partition, as in GROUP BY).</summary>
    private bool SamePartition(ColumnBatch a, int rowA, ColumnBatch b, int rowB)
    {
        // Compared once per row against its predecessor in the sorted input, through physical values (boxed; SESSION
        // over a batch input is not a hot path).
        foreach (var c in _partitionColumns)
        {
            var x = PhysicalValues.Get(a[c], rowA);
            var y = PhysicalValues.Get(b[c], rowB);
            if (x is byte[] bx && y is byte[] by)
            {
                if (!bx.AsSpan().SequenceEqual(by)) return false;
            }
            else if (!Equals(x, y)) return false;
        }
        return true;
    }

    public void Dispose() => _input.Dispose();
}
