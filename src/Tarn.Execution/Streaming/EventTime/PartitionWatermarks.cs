namespace Tarn.Execution.Streaming.EventTime;

/// <summary>
/// The event-time progress of each partition of one partitioned source (<see cref="IPartitionedStreamSource"/>): the
/// largest watermark-strategy value per partition, and their minimum over the partitions that are not idle (Flink's
/// per-partition watermarks in the Kafka source). A partition without rows yet counts with no progress, so it holds
/// the minimum back until it turns idle (<c>table.exec.source.idle-timeout</c>); when every partition is idle the
/// largest of them counts, like <see cref="IdleInputs"/>.
/// </summary>
public sealed class PartitionWatermarks
{
    private readonly SourceIdleness? _idleness;
    private readonly Action? _becameIdle;
    private long[] _max = [];
    private SourceActivity?[] _activity = [];

    /// <param name="idleness">The job's idle-source detection, or null when off.</param>
    /// <param name="becameIdle">Runs (on the job's thread) when a partition turns idle, so the minimum may advance.</param>
    public PartitionWatermarks(SourceIdleness? idleness, Action? becameIdle)
    {
        _idleness = idleness is { Enabled: true } ? idleness : null;
        _becameIdle = becameIdle;
    }

    public int Count => _max.Length;

    /// <summary>Makes partitions 0 .. <paramref name="count"/> - 1 known (new ones start without progress, active from now).</summary>
    public void EnsurePartitions(int count)
    {
        var old = _max.Length;
        if (count <= old) return;
        Array.Resize(ref _max, count);
        Array.Resize(ref _activity, count);
        for (var p = old; p < count; p++)
        {
            _max[p] = long.MinValue;
            if (_idleness is null) continue;
            var activity = _idleness.Track();
            if (_becameIdle is { } changed) activity.OnBecameIdle(changed);
            _activity[p] = activity;
        }
    }

    /// <summary>Partition <paramref name="partition"/> produced rows (it is active again).</summary>
    public void MarkActive(int partition) => _activity[partition]?.MarkActive();

    /// <summary>The progress of <paramref name="partition"/> so far.</summary>
    public long this[int partition] => _max[partition];

    /// <summary>Raises the progress of <paramref name="partition"/>; true when it grew.</summary>
    public bool Advance(int partition, long value)
    {
        if (value <= _max[partition]) return false;
        _max[partition] = value;
        return true;
    }

    /// <summary>The minimum progress over the active partitions (or the largest one when all are idle); MinValue when none is known.</summary>
    public long Min()
    {
        var min = long.MaxValue;
        var maxIdle = long.MinValue;
        var anyActive = false;
        for (var p = 0; p < _max.Length; p++)
        {
            if (_activity[p] is { IsIdle: true })
            {
                maxIdle = Math.Max(maxIdle, _max[p]);
                continue;
            }
            anyActive = true;
            min = Math.Min(min, _max[p]);
        }
        return anyActive ? min : maxIdle;
    }
}
