using System.Globalization;

namespace Tarn.Connectors.Nexmark;

/// <summary>
/// The WITH options of a <c>'connector' = 'nexmark'</c> table (GENERATOR-SPEC.md §2) plus Tarn's <c>seed</c> and
/// <c>base-time</c>, which make the stream reproducible. Unknown keys and bad values are rejected with 22023.
/// </summary>
internal sealed record NexmarkOptions
{
    /// <summary>2024-01-01 00:00:00 UTC: the default event-time origin, fixed so that every scan of a table agrees.</summary>
    public const long DefaultBaseTimeMillis = 1_704_067_200_000L;

    public long FirstEventRate { get; init; } = 10_000;
    public long NextEventRate { get; init; } = 10_000;

    /// <summary>Events to generate; 0 means unbounded.</summary>
    public long EventsNum { get; init; }

    public int PersonProportion { get; init; } = 1;
    public int AuctionProportion { get; init; } = 3;
    public int BidProportion { get; init; } = 46;
    public int PersonAvgSize { get; init; } = 200;
    public int AuctionAvgSize { get; init; } = 500;
    public int BidAvgSize { get; init; } = 100;
    public int HotAuctionRatio { get; init; } = 2;
    public int HotBiddersRatio { get; init; } = 4;
    public int HotSellersRatio { get; init; } = 4;
    public int NumInFlightAuctions { get; init; } = 100;
    public int NumActivePeople { get; init; } = 1000;
    public int OutOfOrderGroupSize { get; init; } = 1;

    /// <summary>Emit as fast as possible (true) or pace events at <see cref="FirstEventRate"/> per second.</summary>
    public bool MaxEmitSpeed { get; init; } = true;

    /// <summary>A finished bounded source stays open (emitting nothing) instead of finishing.</summary>
    public bool KeepAlive { get; init; }

    /// <summary>When ≥ 0, emission stops after this many events (the source then idles or finishes, see <see cref="KeepAlive"/>).</summary>
    public long StopAt { get; init; } = -1;

    public ulong Seed { get; init; }
    public long BaseTimeMillis { get; init; } = DefaultBaseTimeMillis;

    /// <summary>Largest avg-size: extra fields (up to avg-size + 20 %) are cut from a 1 MiB text.</summary>
    public const int MaxAvgSize = 512 * 1024;

    public int TotalProportion => PersonProportion + AuctionProportion + BidProportion;

    /// <summary>Microseconds between consecutive events (one generator: numEventGenerators = 1).</summary>
    public double InterEventDelayMicros => 1_000_000.0 / FirstEventRate;

    /// <summary>How many events the source emits before it stops, or null when it never stops.</summary>
    public long? Limit
    {
        get
        {
            long? limit = EventsNum > 0 ? EventsNum : null;
            if (StopAt >= 0) limit = limit is { } l ? Math.Min(l, StopAt) : StopAt;
            return limit;
        }
    }

    public static readonly IReadOnlyList<string> Keys =
    [
        "connector", "first-event.rate", "next-event.rate", "rate.shape", "rate.period", "rate.unit", "events.num",
        "person.proportion", "auction.proportion", "bid.proportion", "person.avg-size", "auction.avg-size", "bid.avg-size",
        "bid.hot-ratio.auctions", "bid.hot-ratio.bidders", "auction.hot-ratio.sellers", "max-emit-speed", "keep-alive",
        "stop-at", "seed", "base-time",
    ];

    public static NexmarkOptions Parse(IReadOnlyDictionary<string, string> options)
    {
        var result = new NexmarkOptions();
        foreach (var (key, raw) in options)
        {
            var value = raw.Trim();
            result = key.ToLowerInvariant() switch
            {
                "connector" => result,
                "first-event.rate" => result with { FirstEventRate = Long(key, value, 1) },
                "next-event.rate" => result with { NextEventRate = Long(key, value, 1) },
                "rate.shape" => Choice(key, value, "SQUARE", "SINE") ? result : result,
                "rate.period" => result, // only the first rate is used (spec §2), so the period never matters
                "rate.unit" => Choice(key, value, "PER_SECOND") ? result : result,
                "events.num" => result with { EventsNum = Long(key, value, 0) },
                "person.proportion" => result with { PersonProportion = Int(key, value, 0) },
                "auction.proportion" => result with { AuctionProportion = Int(key, value, 0) },
                "bid.proportion" => result with { BidProportion = Int(key, value, 0) },
                "person.avg-size" => result with { PersonAvgSize = Size(key, value) },
                "auction.avg-size" => result with { AuctionAvgSize = Size(key, value) },
                "bid.avg-size" => result with { BidAvgSize = Size(key, value) },
                "bid.hot-ratio.auctions" => result with { HotAuctionRatio = Int(key, value, 1) },
                "bid.hot-ratio.bidders" => result with { HotBiddersRatio = Int(key, value, 1) },
                "auction.hot-ratio.sellers" => result with { HotSellersRatio = Int(key, value, 1) },
                "max-emit-speed" => result with { MaxEmitSpeed = Bool(key, value) },
                "keep-alive" => result with { KeepAlive = Bool(key, value) },
                "stop-at" => result with { StopAt = Long(key, value, -1) },
                "seed" => result with { Seed = unchecked((ulong)Long(key, value, long.MinValue)) },
                "base-time" => result with { BaseTimeMillis = BaseTime(value) },
                _ => throw Invalid($"unknown option '{key}' for connector 'nexmark'; known options: {string.Join(", ", Keys)}"),
            };
        }
        if (result.TotalProportion <= 0)
            throw Invalid("'person.proportion', 'auction.proportion' and 'bid.proportion' of a nexmark table must not all be 0");
        return result;
    }

    private static TarnException Invalid(string message) => new(SqlStates.InvalidParameterValue, message);

    private static long Long(string key, string value, long min)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) || v < min)
            throw Invalid($"option '{key}' of a nexmark table must be an integer ≥ {min}, not '{value}'");
        return v;
    }

    private static int Int(string key, string value, int min)
    {
        var v = Long(key, value, min);
        if (v > int.MaxValue) throw Invalid($"option '{key}' of a nexmark table is too large: '{value}'");
        return (int)v;
    }

    private static bool Bool(string key, string value) =>
        bool.TryParse(value, out var b) ? b : throw Invalid($"option '{key}' of a nexmark table must be 'true' or 'false', not '{value}'");

    private static bool Choice(string key, string value, params string[] allowed)
    {
        foreach (var a in allowed)
            if (string.Equals(a, value, StringComparison.OrdinalIgnoreCase)) return true;
        throw Invalid($"option '{key}' of a nexmark table must be one of {string.Join(", ", allowed)}, not '{value}'");
    }

    /// <summary>A byte size as Flink's MemorySize spells it: <c>200</c>, <c>200b</c>, <c>200 bytes</c>, <c>1kb</c>.</summary>
    private static int Size(string key, string value)
    {
        var digits = 0;
        while (digits < value.Length && char.IsAsciiDigit(value[digits])) digits++;
        var unit = value[digits..].Trim().ToLowerInvariant();
        long multiplier = unit switch
        {
            "" or "b" or "bytes" => 1,
            "k" or "kb" or "kibibytes" => 1024,
            "m" or "mb" or "mebibytes" => 1024 * 1024,
            _ => 0,
        };
        if (digits == 0 || multiplier == 0 || !long.TryParse(value.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n * multiplier > MaxAvgSize)
            throw Invalid($"option '{key}' of a nexmark table must be a size such as '200 b' or '1 kb' (at most 512 kb), not '{value}'");
        return (int)(n * multiplier);
    }

    /// <summary>Epoch milliseconds, or a UTC timestamp such as <c>2024-01-01 00:00:00</c>.</summary>
    private static long BaseTime(string value)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)) return ms;
        string[] formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd"];
        if (DateTime.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            return (t.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        throw Invalid($"option 'base-time' of a nexmark table must be epoch milliseconds or a UTC timestamp 'yyyy-MM-dd HH:mm:ss[.fff]', not '{value}'");
    }
}
