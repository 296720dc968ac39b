namespace Tarn.Execution.Streaming.EventTime;

/// <summary>
/// Whether one watermarked source has produced rows lately (Flink's watermark status ACTIVE / IDLE). A source that
/// produced nothing for <c>table.exec.source.idle-timeout</c> is idle: operators that merge watermarks (UNION ALL,
/// joins) leave it out of their minimum, so an input without new rows does not hold every window back forever. Its
/// next row makes it active again (rows behind the merged watermark are then late, as in Flink).
/// </summary>
public sealed class SourceActivity
{
    private readonly List<Action> _becameIdle = [];
    private long _lastActive;

    internal SourceActivity(long now) => _lastActive = now;

    public bool IsIdle { get; private set; }

    /// <summary>Called (on the job's thread) when the source turns idle, so a merging operator can advance its watermark.</summary>
    public void OnBecameIdle(Action action) => _becameIdle.Add(action);

    /// <summary>The source produced rows.</summary>
    public void MarkActive()
    {
        _lastActive = SourceIdleness.NowMillis();
        IsIdle = false;
    }

    internal long IdleAt(long timeout) => _lastActive + timeout;

    /// <summary>Turns the source idle if it produced nothing since <paramref name="timeout"/> ms before <paramref name="now"/>.</summary>
    public bool CheckIdle(long now, long timeout)
    {
        if (IsIdle || now < IdleAt(timeout)) return false;
        IsIdle = true;
        foreach (var action in _becameIdle) action();
        return true;
    }
}

/// <summary>
/// The idle-source detection of one job (<c>table.exec.source.idle-timeout</c>, Flink's option; 0 = off, the
/// default). Idleness depends on the wall clock, so unlike the watermarks themselves it is not reproduced exactly by
/// a replay after a crash (Flink's is not either); it only decides when windows held back by a silent input fire.
/// </summary>
public sealed class SourceIdleness(TimeSpan timeout)
{
    private readonly List<SourceActivity> _sources = [];
    private readonly long _timeout = (long)timeout.TotalMilliseconds;

    public static long NowMillis() => Environment.TickCount64;

    public bool Enabled => _timeout > 0;

    /// <summary>A new watermarked source, active from now.</summary>
    public SourceActivity Track()
    {
        var activity = new SourceActivity(NowMillis());
        _sources.Add(activity);
        return activity;
    }

    /// <summary>Marks the sources silent for the timeout as idle; true if any turned idle (merged watermarks may have advanced).</summary>
    public bool Tick()
    {
        if (!Enabled) return false;
        var now = NowMillis();
        var changed = false;
        foreach (var source in _sources) changed |= source.CheckIdle(now, _timeout);
        return changed;
    }

    /// <summary>How long the job may wait for input before some active source may turn idle (infinite if none can).</summary>
    public TimeSpan UntilNextCheck()
    {
        if (!Enabled) return Timeout.InfiniteTimeSpan;
        var next = long.MaxValue;
        foreach (var source in _sources)
            if (!source.IsIdle) next = Math.Min(next, source.IdleAt(_timeout));
        return next == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(1, next - NowMillis()));
    }
}
