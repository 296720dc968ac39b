using Tarn.Execution.Streaming.EventTime;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// The temporal join's watermark without an idle side: a versioned table that receives no new versions for the idle
/// timeout no longer holds the probe rows back (they join the latest version known).
/// </summary>
public sealed partial class StreamTemporalJoin
{
    private IdleInputs? _idle;

    private void AddIdleSource(int input, SourceActivity source)
    {
        _idle ??= new IdleInputs(2);
        _idle.Add(input, source, AdvanceWatermark);
    }

    private long CombinedIgnoringIdle() => _idle!.Min(_watermarks);
}
