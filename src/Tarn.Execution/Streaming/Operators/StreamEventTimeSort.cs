using Tarn.Execution.Streaming.EventTime;
using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Holds insert-only rows until the watermark passes their event time, then releases them sorted by that time
/// (arrival order within a millisecond): what Flink's row-time OVER functions do before computing a frame, placed
/// in front of a <see cref="StreamOverAggregate"/> so it sees every partition's rows in time order even when they
/// arrive out of order within the watermark delay. A row whose time is below the watermark when it arrives (or
/// NULL) is late: dropped and counted in <see cref="LateRows"/>, as Flink does (and reported, event time = the row's
/// time, when the job routes late rows to a table). Flink also drops a row exactly at
/// the watermark; Tarn advances the watermark after every row (Flink every 200 ms), so with a zero delay
/// (<c>WATERMARK FOR ts AS ts</c>) that would drop every row sharing the previous row's time: such a row is kept, and
/// rows are released only once the watermark has passed them (time &lt; watermark). Rows wait in the state store
/// (<see cref="EventTimeBuffer"/>); released batches are cut only between milliseconds, so rows with equal times
/// (RANGE peers) reach the aggregate together.
/// </summary>
public sealed class StreamEventTimeSort : IChangeConsumer, ILateRowOperator
{
    private const byte RowSpace = 1;
    private const int ReleaseBatchRows = 4096;

    private readonly int _timeColumn;
    private readonly long _unitsPerMilli;
    private readonly DataType[] _types;
    private readonly EventTimeBuffer _buffer;
    private readonly IChangeConsumer _output;
    private readonly ByteWriter _row = new(256);

    public StreamEventTimeSort(int timeColumn, IReadOnlyList<DataType> inputTypes, OperatorState state, IChangeConsumer output)
    {
        _timeColumn = timeColumn;
        _types = [.. inputTypes];
        _unitsPerMilli = _types[timeColumn].Precision > 6 ? 1_000_000 : 1_000;
        _buffer = new EventTimeBuffer(state, RowSpace);
        _output = output;
    }

    /// <summary>Rows dropped because the watermark had passed their time when they arrived.</summary>
    public long LateRows { get; private set; }

    public LateRowReporter? LateRowReporter { get; set; }

    /// <summary>Rows waiting for the watermark.</summary>
    public long BufferedRows => _buffer.Count;

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        batch.RequireInsertOnly("event-time OVER aggregation");
        _buffer.EnsureLoaded();
        var time = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(batch.Rows[_timeColumn]);
        var watermark = _buffer.Watermark;
        List<int>? late = null;
        List<long>? lateTimes = null;
        for (var r = 0; r < n; r++)
        {
            // A NULL time is reported with the sentinel long.MinValue, which the late-row table shows as NULL.
            var millis = time.IsNull(r) ? long.MinValue : FloorMillis(time.Values[r]);
            if (time.IsNull(r) || millis < watermark)
            {
                LateRows++;
                if (LateRowReporter is not null)
                {
                    (late ??= []).Add(r);
                    (lateTimes ??= []).Add(millis);
                }
                continue;
            }
            _row.Clear();
            RowCodec.Write(_row, batch.Rows, r);
            _buffer.Add(millis, _row.WrittenSpan);
        }
        if (late is not null) LateRowReporter!.Report(batch.Rows, [.. late], [.. lateTimes!], watermark);
    }

    private long FloorMillis(long units) => units >= 0 ? units / _unitsPerMilli : (units - _unitsPerMilli + 1) / _unitsPerMilli;

    public void Watermark(long watermark)
    {
        _buffer.EnsureLoaded();
        if (watermark > _buffer.Watermark)
        {
            _buffer.Watermark = watermark;
            var last = watermark == long.MaxValue ? long.MaxValue : watermark - 1; // the end of a bounded input releases everything
            if (_buffer.HasUpTo(last)) Release(_buffer.TakeUpTo(last));
        }
        _output.Watermark(watermark);
    }

    private void Release(List<(long Bucket, byte[] Value)> rows)
    {
        var start = 0;
        while (start < rows.Count)
        {
            var end = Math.Min(rows.Count, start + ReleaseBatchRows);
            while (end < rows.Count && rows[end].Bucket == rows[end - 1].Bucket) end++;
            var columns = RowCodec.NewColumns(_types, end - start);
            for (var i = start; i < end; i++)
            {
                var reader = new ByteReader(rows[i].Value, "buffered row");
                RowCodec.ReadInto(ref reader, columns);
            }
            _output.Push(new ChangeBatch(new ColumnBatch(columns, end - start)));
            start = end;
        }
    }

    public void Flush()
    {
        _buffer.Save();
        _output.Flush();
    }

    public void Finish() => _output.Finish();
}
