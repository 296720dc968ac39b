using System.Globalization;

namespace Tarn.Planner.Logical;

/// <summary>Flink's <c>lookup.cache</c>: no cache, a partial (LRU) cache of looked-up keys, or the whole table.</summary>
public enum LookupCacheMode { None, Partial, Full }

/// <summary>
/// The lookup-cache options of a table used as the dimension side of a lookup join (Flink's LookupOptions, shared by
/// native tables and connectors): <c>'lookup.cache' = 'NONE' | 'PARTIAL' | 'FULL'</c>, for PARTIAL
/// <c>lookup.partial-cache.max-rows</c>, <c>.expire-after-write</c>, <c>.expire-after-access</c> (at least one of the
/// three) and <c>.cache-missing-key</c> (default true); for FULL <c>lookup.full-cache.reload-strategy</c> (PERIODIC
/// only) and <c>lookup.full-cache.periodic-reload.interval</c> (default 1 h). Bad values are 22023 errors.
/// </summary>
public sealed record LookupCacheOptions(
    LookupCacheMode Mode,
    long? MaxRows = null,
    TimeSpan? ExpireAfterWrite = null,
    TimeSpan? ExpireAfterAccess = null,
    bool CacheMissingKey = true,
    TimeSpan? ReloadInterval = null)
{
    public static readonly LookupCacheOptions NoCache = new(LookupCacheMode.None);

    private const string Prefix = "lookup.";

    /// <summary>Parses and validates the <c>lookup.*</c> options of <paramref name="table"/>'s option map.</summary>
    public static LookupCacheOptions Parse(IReadOnlyDictionary<string, string> options, string table)
    {
        string? Get(string key) => options.TryGetValue(key, out var v) ? v : null;
        foreach (var key in options.Keys)
            if (key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !Known.Contains(key))
                throw Invalid($"unknown lookup option '{key}' on table '{table}'");
        if (Get("lookup.async") is { } async && !bool.TryParse(async.Trim(), out _))
            throw Invalid($"'lookup.async' of table '{table}' must be 'true' or 'false', got '{async}'");
        if (Get("lookup.cache") is null && Legacy(options, table) is { } legacy) return legacy;
        var mode = Get("lookup.cache")?.Trim().ToUpperInvariant() switch
        {
            null or "NONE" => LookupCacheMode.None,
            "PARTIAL" => LookupCacheMode.Partial,
            "FULL" => LookupCacheMode.Full,
            var other => throw Invalid($"'lookup.cache' of table '{table}' must be 'NONE', 'PARTIAL' or 'FULL', got '{other}'"),
        };
        var maxRows = Get("lookup.partial-cache.max-rows") is { } m ? PositiveLong("lookup.partial-cache.max-rows", m, table) : (long?)null;
        var write = Get("lookup.partial-cache.expire-after-write") is { } w ? Duration("lookup.partial-cache.expire-after-write", w, table) : (TimeSpan?)null;
        var access = Get("lookup.partial-cache.expire-after-access") is { } a ? Duration("lookup.partial-cache.expire-after-access", a, table) : (TimeSpan?)null;
        var missing = Get("lookup.partial-cache.cache-missing-key") is { } k
            ? bool.TryParse(k.Trim(), out var b) ? b : throw Invalid($"'lookup.partial-cache.cache-missing-key' of table '{table}' must be 'true' or 'false', got '{k}'")
            : true;
        var strategy = Get("lookup.full-cache.reload-strategy")?.Trim().ToUpperInvariant();
        if (strategy is not (null or "PERIODIC"))
            throw Invalid($"'lookup.full-cache.reload-strategy' of table '{table}' supports only 'PERIODIC', got '{Get("lookup.full-cache.reload-strategy")}'");
        var interval = Get("lookup.full-cache.periodic-reload.interval") is { } i ? Duration("lookup.full-cache.periodic-reload.interval", i, table) : (TimeSpan?)null;

        var partialSet = maxRows is not null || write is not null || access is not null || Get("lookup.partial-cache.cache-missing-key") is not null;
        var fullSet = strategy is not null || interval is not null;
        if (mode != LookupCacheMode.Partial && partialSet)
            throw Invalid($"'lookup.partial-cache.*' options of table '{table}' need 'lookup.cache' = 'PARTIAL'");
        if (mode != LookupCacheMode.Full && fullSet)
            throw Invalid($"'lookup.full-cache.*' options of table '{table}' need 'lookup.cache' = 'FULL'");
        if (mode == LookupCacheMode.Partial && maxRows is null && write is null && access is null)
            throw Invalid($"'lookup.cache' = 'PARTIAL' on table '{table}' needs 'lookup.partial-cache.max-rows', 'lookup.partial-cache.expire-after-write' or 'lookup.partial-cache.expire-after-access'");
        return new LookupCacheOptions(mode, maxRows, write, access, missing, mode == LookupCacheMode.Full ? interval ?? TimeSpan.FromHours(1) : null);
    }

    /// <summary>
    /// The JDBC connector's older options: <c>lookup.cache.max-rows</c> (a positive number turns on a PARTIAL cache
    /// of that many keys) with <c>lookup.cache.ttl</c> (expire after write, default 10 s) and
    /// <c>lookup.cache.caching-missing-key</c> (also with a <c>connector.</c> prefix). Null when they ask for no cache.
    /// </summary>
    private static LookupCacheOptions? Legacy(IReadOnlyDictionary<string, string> options, string table)
    {
        // The legacy descriptor ('connector.type' = 'jdbc') spells them with a 'connector.' prefix.
        var maxRows = (options.TryGetValue("lookup.cache.max-rows", out var m) || options.TryGetValue("connector.lookup.cache.max-rows", out m))
            ? m.Trim() == "-1" ? -1 : PositiveLong("lookup.cache.max-rows", m, table) : -1;
        var ttl = options.TryGetValue("lookup.cache.ttl", out var t) || options.TryGetValue("connector.lookup.cache.ttl", out t)
            ? Duration("lookup.cache.ttl", t, table) : TimeSpan.FromSeconds(10);
        var missing = !options.TryGetValue("lookup.cache.caching-missing-key", out var k) || (bool.TryParse(k.Trim(), out var b)
            ? b
            : throw Invalid($"'lookup.cache.caching-missing-key' of table '{table}' must be 'true' or 'false', got '{k}'"));
        return maxRows > 0 ? new LookupCacheOptions(LookupCacheMode.Partial, maxRows, ttl, null, missing) : null;
    }

    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "lookup.cache", "lookup.partial-cache.max-rows", "lookup.partial-cache.expire-after-write", "lookup.partial-cache.expire-after-access",
        "lookup.partial-cache.cache-missing-key", "lookup.full-cache.reload-strategy", "lookup.full-cache.periodic-reload.interval",
        "lookup.cache.max-rows", "lookup.cache.ttl", "lookup.cache.caching-missing-key",
        // lookup.max-retries is read by connectors that can fail (SQLite); a native lookup never fails. lookup.async is
        // accepted for Flink DDL: lookups are batched per probe batch already (nothing to gain from asynchronous ones).
        "lookup.max-retries", "lookup.async",
    };

    private static long PositiveLong(string key, string text, string table) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw Invalid($"'{key}' of table '{table}' must be a positive integer, got '{text}'");

    /// <summary>A Flink duration (<see cref="Catalog.Options.DurationText"/>) greater than zero.</summary>
    private static TimeSpan Duration(string key, string text, string table) =>
        Catalog.Options.DurationText.TryParse(text, out var d) && d > TimeSpan.Zero
            ? d
            : throw Invalid($"'{key}' of table '{table}' must be a positive duration such as '10 s' or '5 min', got '{text}'");

    private static TarnException Invalid(string message) => new(SqlStates.InvalidParameterValue, message);
}
