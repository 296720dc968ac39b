using Tarn.Execution.WindowTvf;
using Tarn.Planner.Logical;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// TUMBLE, HOP and CUMULATE over a changelog: each change is repeated once per window its time falls in, with the
/// window columns appended and its change kind kept (assignment depends only on the row, so the operator holds no
/// state). A GROUP BY window_start, window_end above it then aggregates per window, updating each window's result as
/// rows arrive, so the final content equals the batch answer. (Flink instead emits each window once when the
/// watermark closes it; that watermark-driven window aggregate is the next step.)
/// </summary>
public sealed class StreamWindowTvf : IChangeConsumer
{
    private readonly IChangeConsumer _output;
    private readonly WindowTvfKind _kind;
    private readonly int _timeColumn;
    private readonly long _size;
    private readonly long _step;
    private readonly long _offset;
    private readonly WindowClock _clock;
    private readonly Types.DataType[] _outputTypes;

    public StreamWindowTvf(LogicalWindowTvf node, ExecutionContext context, IChangeConsumer output)
    {
        if (node.Kind == WindowTvfKind.Session)
            throw new TarnException(SqlStates.FeatureNotSupported, "SESSION windows are not supported in streaming mode yet; use TUMBLE, HOP or CUMULATE, or batch mode");
        _output = output;
        _kind = node.Kind;
        _timeColumn = node.TimeColumn;
        _size = node.SizeMillis;
        _step = node.StepMillis;
        _offset = node.OffsetMillis;
        var inputTypes = node.Input.Output.Select(c => c.Type).ToList();
        _clock = new WindowClock(inputTypes[node.TimeColumn], context.SessionTimeZone);
        _outputTypes = [.. node.Output.Select(c => c.Type)];
    }

    public void Push(ChangeBatch batch)
    {
        var rows = batch.Rows;
        var n = rows.RowCount;
        if (n == 0) return;
        var vector = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(rows[_timeColumn]);
        var gather = new List<int>(n);
        var starts = new List<long>(n);
        var ends = new List<long>(n);
        var windowTimes = new List<long>(n);
        for (var r = 0; r < n; r++)
        {
            if (vector.IsNull(r)) continue;
            var time = _clock.ToMillis(vector.Values[r]);
            var count = WindowAssignment.Count(_kind, time, _size, _step, _offset);
            for (var w = 0; w < count; w++)
            {
                var (start, end) = WindowAssignment.Window(_kind, time, _size, _step, _offset, w);
                gather.Add(r);
                starts.Add(start * 1000);
                ends.Add(end * 1000);
                windowTimes.Add(_clock.WindowTimeMicros(end));
            }
        }
        if (gather.Count == 0) return;
        var selection = gather.ToArray();
        var windowed = WindowTvfOperator.WithWindowColumns(rows.Gather(selection), [.. starts], [.. ends], [.. windowTimes], selection.Length, _outputTypes);
        sbyte[]? kinds = null;
        if (batch.Kinds is { } source)
        {
            kinds = new sbyte[selection.Length];
            for (var i = 0; i < kinds.Length; i++) kinds[i] = source[selection[i]];
        }
        _output.Push(new ChangeBatch(windowed, kinds));
    }

    public void Watermark(long watermark) => _output.Watermark(watermark);

    public void Flush() => _output.Flush();

    public void Finish() => _output.Finish();
}
