using Tarn.Internal;

namespace Tarn.Streaming;

/// <summary>Job options read from the session settings a job was submitted with.</summary>
internal static class JobSettings
{
    /// <summary>Rows a source returns per poll (one column batch).</summary>
    public const int BatchRows = 8192;

    /// <summary>An epoch lasts at least this many times the duration of the previous epoch's commit.</summary>
    public const int EpochToCommitRatio = 4;

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
