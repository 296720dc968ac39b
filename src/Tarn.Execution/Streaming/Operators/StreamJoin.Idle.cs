using Tarn.Execution.Streaming.EventTime;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>The join's output watermark: the minimum of its sides', without a side whose sources are idle.</summary>
public sealed partial class StreamJoin
{
    private IdleInputs? _idle;

    private void AddIdleSource(int side, SourceActivity source)
    {
        _idle ??= new IdleInputs(2);
        _idle.Add(side, source, AdvanceWatermark);
    }

    private void AdvanceWatermark()
    {
        var min = _idle is null ? Math.Min(_watermarks[0], _watermarks[1]) : _idle.Min(_watermarks);
        if (min <= _emittedWatermark) return;
        _emittedWatermark = min;
        _output.Watermark(min);
    }
}
