using System.Diagnostics;
using System.Text;

namespace Tarn.Streaming;

/// <summary>
/// Durations of the phases of one epoch commit and the GC pause time during it, for <c>TARN_JOB_TRACE=1</c>: a
/// latency tail shows up as one phase (or a GC pause) that is long in the slow epochs.
/// </summary>
internal sealed class EpochPhases
{
    private readonly StringBuilder _text = new();
    private readonly long _pauseAtStart = GC.GetTotalPauseDuration().Ticks;
    private readonly int _gen2AtStart = GC.CollectionCount(2);
    private long _last = Stopwatch.GetTimestamp();

    public void Mark(string phase)
    {
        var now = Stopwatch.GetTimestamp();
        _text.Append($" {phase} {Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds:F1}");
        _last = now;
    }

    public override string ToString()
    {
        var pause = TimeSpan.FromTicks(GC.GetTotalPauseDuration().Ticks - _pauseAtStart).TotalMilliseconds;
        return $" |{_text} gc-pause {pause:F1} gen2 {GC.CollectionCount(2) - _gen2AtStart}";
    }
}
