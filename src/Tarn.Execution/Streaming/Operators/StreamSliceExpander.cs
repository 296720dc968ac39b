using Tarn.Execution.WindowTvf;
using Tarn.Planner.Logical;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Second half of a sliced HOP aggregate: re-labels each slice's partial result (keys, partial aggregates; the
/// window_start/window_end keys holding the slice's bounds) with every HOP window that contains the slice, so a window
/// aggregate above it merges a window's slices. A slice [s, e) lies in the windows that hold its last millisecond,
/// because slices are aligned to both the slide and the size. Stateless.
/// </summary>
public sealed class StreamSliceExpander(int windowStartColumn, int windowEndColumn, long sizeMillis, long stepMillis, long offsetMillis,
    IChangeConsumer output) : IChangeConsumer
{
    private int[] _gather = [];
    private long[] _starts = [];
    private long[] _ends = [];

    public void Push(ChangeBatch batch)
    {
        var rows = batch.Rows;
        var n = rows.RowCount;
        if (n == 0) return;
        var sliceEnds = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(rows[windowEndColumn]);
        var perSlice = (int)((sizeMillis + stepMillis - 1) / stepMillis);
        var capacity = n * perSlice;
        if (_gather.Length < capacity)
        {
            _gather = new int[capacity];
            _starts = new long[capacity];
            _ends = new long[capacity];
        }
        var count = 0;
        for (var r = 0; r < n; r++)
        {
            if (sliceEnds.IsNull(r)) continue;
            var last = FloorMillis(sliceEnds.Values[r]) - 1;
            var windows = WindowAssignment.Count(WindowTvfKind.Hop, last, sizeMillis, stepMillis, offsetMillis);
            for (var w = 0; w < windows; w++)
            {
                var (start, end) = WindowAssignment.Window(WindowTvfKind.Hop, last, sizeMillis, stepMillis, offsetMillis, w);
                _gather[count] = r;
                _starts[count] = start * 1000;
                _ends[count++] = end * 1000;
            }
        }
        if (count == 0) return;
        var selection = _gather.AsSpan(0, count);
        var columns = rows.Gather(selection).Columns;
        columns[windowEndColumn] = new PrimitiveVector<long>(rows[windowEndColumn].Type, _ends.AsSpan(0, count).ToArray(), count);
        if (windowStartColumn >= 0)
            columns[windowStartColumn] = new PrimitiveVector<long>(rows[windowStartColumn].Type, _starts.AsSpan(0, count).ToArray(), count);
        output.Push(new ChangeBatch(new ColumnBatch(columns, count)));
    }

    private static long FloorMillis(long micros) => micros >= 0 ? micros / 1000 : (micros - 999) / 1000;

    public void Watermark(long watermark) => output.Watermark(watermark);

    public void Flush() => output.Flush();

    public void Finish() => output.Finish();
}
