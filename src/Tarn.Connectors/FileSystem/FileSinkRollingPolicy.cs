using System.Globalization;
using Tarn.Catalog.Model;
using Tarn.Catalog.Options;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// When a streaming filesystem sink rolls its in-progress part files (finishes and publishes them), Flink's rolling
/// policy: a file reached <c>sink.rolling-policy.file-size</c> (128 MB), is older than
/// <c>sink.rolling-policy.rollover-interval</c> (30 min) or got no rows for <c>sink.rolling-policy.inactivity-interval</c>
/// (30 min). Time-based conditions are also checked every <c>sink.rolling-policy.check-interval</c> (1 min) while the
/// job is idle.
/// </summary>
internal sealed record FileSinkRollingPolicy(long FileSize, TimeSpan RolloverInterval, TimeSpan InactivityInterval, TimeSpan CheckInterval)
{
    public static FileSinkRollingPolicy From(TableDef table) => new(
        Size(table, "sink.rolling-policy.file-size", 128L << 20),
        Duration(table, "sink.rolling-policy.rollover-interval", TimeSpan.FromMinutes(30)),
        Duration(table, "sink.rolling-policy.inactivity-interval", TimeSpan.FromMinutes(30)),
        Duration(table, "sink.rolling-policy.check-interval", TimeSpan.FromMinutes(1)));

    /// <summary>True when a file opened at <paramref name="created"/>, last written at <paramref name="lastWrite"/>, of <paramref name="bytes"/>, must roll at <paramref name="now"/>.</summary>
    public bool ShouldRoll(long bytes, DateTimeOffset created, DateTimeOffset lastWrite, DateTimeOffset now) =>
        bytes >= FileSize || now - created >= RolloverInterval || now - lastWrite >= InactivityInterval;

    internal static TimeSpan Duration(TableDef table, string key, TimeSpan fallback)
    {
        if (!table.Options.TryGetValue(key, out var text)) return fallback;
        if (DurationText.TryParse(text, out var d) && d >= TimeSpan.Zero) return d;
        throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}': '{key}' must be a duration such as '10 s' or '30 min', got '{text}'");
    }

    /// <summary>Flink's memory sizes: a number of bytes with an optional unit (<c>b</c>, <c>kb</c>, <c>mb</c>, <c>gb</c>).</summary>
    internal static long Size(TableDef table, string key, long fallback)
    {
        if (!table.Options.TryGetValue(key, out var text)) return fallback;
        var t = text.Trim().ToLowerInvariant();
        var digits = 0;
        while (digits < t.Length && char.IsAsciiDigit(t[digits])) digits++;
        var unit = t[digits..].Trim() switch
        {
            "" or "b" or "bytes" => 1L,
            "k" or "kb" or "kibibytes" => 1L << 10,
            "m" or "mb" or "mebibytes" => 1L << 20,
            "g" or "gb" or "gibibytes" => 1L << 30,
            _ => 0L,
        };
        if (digits == 0 || unit == 0 || !long.TryParse(t.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}': '{key}' must be a size such as '128MB', got '{text}'");
        return n * unit;
    }
}
