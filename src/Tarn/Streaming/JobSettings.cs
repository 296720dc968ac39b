using Tarn.Internal;
using Tarn.State;

namespace Tarn.Streaming;

/// <summary>Job options read from the session settings a job was submitted with.</summary>
internal static class JobSettings
{
    /// <summary>Rows a source returns per poll (one column batch).</summary>
    public const int BatchRows = 8192;

    /// <summary>An epoch lasts at least this many times the duration of the previous epoch's state checkpoint.</summary>
    public const int EpochToCheckpointRatio = 4;

    /// <summary>
    /// How long an epoch may last while input keeps arriving (<c>execution.checkpointing.interval</c>, Flink's option;
    /// default 200 ms). When the input runs dry the job commits at once, so a lightly loaded job has low latency.
    /// </summary>
    public static TimeSpan CommitInterval(IReadOnlyDictionary<string, string> options)
    {
        if (!options.TryGetValue("execution.checkpointing.interval", out var text)) return TimeSpan.FromMilliseconds(200);
        if (!SettingValues.TryParseDuration(text, out var interval) || interval < TimeSpan.Zero)
            throw new TarnException(SqlStates.InvalidParameterValue, $"'execution.checkpointing.interval' must be a duration such as '200 ms' or '5 s', got '{text}'");
        return interval;
    }

    /// <summary>
    /// The job's state store layout. <c>state.memory</c> (a size such as '64 mb', at least 1 mb) bounds the memory of
    /// the job's state store: its hash index and the in-memory part of its log (Flink sizes RocksDB's memory with
    /// <c>taskmanager.memory.managed.size</c>). State beyond it stays on disk and is read back when touched. Unset:
    /// the store's defaults (a 4 MB index and 64 MB of log memory).
    /// </summary>
    public static StateStoreOptions StateStore(IReadOnlyDictionary<string, string> options, string directory)
    {
        var store = new StateStoreOptions { Directory = directory };
        if (!options.TryGetValue(StateMemoryKey, out var text)) return store;
        return StateMemoryBudget.Apply(store, ParseStateMemory(text));
    }

    public const string StateMemoryKey = "state.memory";

    /// <summary>The bytes of a <c>state.memory</c> value; throws 22023 for anything else than a size of 1 mb or more.</summary>
    public static long ParseStateMemory(string text, SourcePosition? position = null)
    {
        if (SettingValues.TryParseMemorySize(text, out var bytes) && bytes >= StateMemoryBudget.MinimumBytes) return bytes;
        var message = $"'{StateMemoryKey}' must be a memory size of at least 1 mb, such as '64 mb' or '1 gb', got '{text}'";
        throw position is { } at ? new TarnException(SqlStates.InvalidParameterValue, message, at) : new TarnException(SqlStates.InvalidParameterValue, message);
    }

    public const string StateCheckpointIntervalKey = "state.checkpoint-interval";

    /// <summary>
    /// <c>state.checkpoint-interval</c>: the least time between two checkpoints of a job's state (JOB-004). Default 0:
    /// every epoch commit checkpoints the state. Longer: epochs commit output without a checkpoint in between, and a
    /// restart replays the input since the last checkpoint (at most about this long) to re-derive the state.
    /// </summary>
    public static TimeSpan StateCheckpointInterval(IReadOnlyDictionary<string, string> options)
    {
        if (!options.TryGetValue(StateCheckpointIntervalKey, out var text)) return TimeSpan.Zero;
        if (!SettingValues.TryParseDuration(text, out var interval) || interval < TimeSpan.Zero)
            throw new TarnException(SqlStates.InvalidParameterValue, $"'{StateCheckpointIntervalKey}' must be a duration such as '10 s' or '0' (every epoch), got '{text}'");
        return interval;
    }

    /// <summary>
    /// How long a watermarked source may produce nothing before it is idle and left out of merged watermarks
    /// (<c>table.exec.source.idle-timeout</c>, Flink's option; default 0 = never idle).
    /// </summary>
    public static TimeSpan SourceIdleTimeout(IReadOnlyDictionary<string, string> options)
    {
        if (!options.TryGetValue("table.exec.source.idle-timeout", out var text)) return TimeSpan.Zero;
        if (!SettingValues.TryParseDuration(text, out var timeout) || timeout < TimeSpan.Zero)
            throw new TarnException(SqlStates.InvalidParameterValue, $"'table.exec.source.idle-timeout' must be a duration such as '0 ms' or '5 s', got '{text}'");
        return timeout;
    }

    public static long DirectorySize(string directory)
    {
        try
        {
            long total = 0;
            foreach (var f in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)) total += f.Length;
            return total;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
