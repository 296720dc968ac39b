using System.Globalization;
using System.Text.RegularExpressions;
using Tarn.Catalog.Options;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// The options of a <c>'connector' = 'kafka'</c> table with Flink's names: <c>topic</c> (one, or a <c>;</c>-list) or
/// <c>topic-pattern</c>, <c>properties.*</c> (handed to librdkafka), <c>scan.startup.mode</c> (+
/// <c>scan.startup.specific-offsets</c> / <c>scan.startup.timestamp-millis</c>), <c>scan.bounded.mode</c> (+
/// <c>scan.bounded.specific-offsets</c> / <c>scan.bounded.timestamp-millis</c>),
/// <c>scan.topic-partition-discovery.interval</c>, <c>format</c> / <c>value.format</c>, <c>key.format</c>,
/// <c>key.fields</c>, <c>key.fields-prefix</c>, <c>value.fields-include</c>. The legacy descriptor keys of old Flink
/// scripts (<c>'connector.type' = 'kafka'</c>, <c>connector.topic</c>, <c>connector.properties.*</c> including the
/// <c>connector.properties.N.key/value</c> pairs, <c>connector.startup-mode</c>, <c>connector.specific-offsets</c>,
/// <c>connector.startup-timestamp-millis</c>, <c>format.type</c>, <c>format.*</c>) mean the same.
/// </summary>
internal sealed record KafkaOptions
{
    public required IReadOnlyList<string> Topics { get; init; }
    public Regex? TopicPattern { get; init; }

    /// <summary>librdkafka configuration from <c>properties.*</c>.</summary>
    public required IReadOnlyDictionary<string, string> Properties { get; init; }

    public required KafkaOffsetSpec<KafkaStartupMode> Startup { get; init; }
    public required KafkaOffsetSpec<KafkaBoundedMode> Bounded { get; init; }

    /// <summary>How often to look for new partitions (and topics matching the pattern); null = never after the start.</summary>
    public TimeSpan? DiscoveryInterval { get; init; }

    public required string ValueFormat { get; init; }
    public string? KeyFormat { get; init; }
    public required IReadOnlyList<string> KeyFields { get; init; }
    public string KeyFieldsPrefix { get; init; } = "";

    /// <summary><c>value.fields-include</c> = EXCEPT_KEY: the value holds only the columns not in <see cref="KeyFields"/>.</summary>
    public bool ValueExceptKey { get; init; }

    /// <summary>The options with legacy keys renamed (format options are read from here).</summary>
    public required IReadOnlyDictionary<string, string> All { get; init; }

    public bool IsBounded => Bounded.Mode != KafkaBoundedMode.Unbounded;

    private static readonly string[] KnownKeys =
    [
        "connector", "topic", "topic-pattern", "format", "value.format", "key.format", "key.fields", "key.fields-prefix", "value.fields-include",
        "scan.startup.mode", "scan.startup.specific-offsets", "scan.startup.timestamp-millis",
        "scan.bounded.mode", "scan.bounded.specific-offsets", "scan.bounded.timestamp-millis",
        "scan.topic-partition-discovery.interval", "scan.parallelism", "scan.watermark.idle-timeout", "scan.watermark.emit.strategy",
        "scan.watermark.alignment.group", "scan.watermark.alignment.max-drift", "scan.watermark.alignment.update-interval",
        "sink.partitioner", "sink.semantic", "sink.delivery-guarantee", "sink.transactional-id-prefix", "sink.parallelism",
        "sink.buffer-flush.max-rows", "sink.buffer-flush.interval", "update-mode",
    ];

    public static KafkaOptions Parse(string table, IReadOnlyDictionary<string, string> raw)
    {
        var o = Normalize(table, raw);
        string Owner() => $"kafka table '{table}'";
        var topics = o.TryGetValue("topic", out var t)
            ? t.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        Regex? pattern = null;
        if (o.TryGetValue("topic-pattern", out var p))
        {
            if (topics.Length > 0) throw Invalid($"{Owner()}: give either 'topic' or 'topic-pattern', not both");
            try
            {
                pattern = new Regex($"^(?:{p})$", RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw Invalid($"{Owner()}: 'topic-pattern' is not a valid regular expression: {e.Message}");
            }
        }
        else if (topics.Length == 0) throw Invalid($"{Owner()} needs a 'topic' (or 'topic-pattern') option");

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in o)
            if (key.StartsWith("properties.", StringComparison.Ordinal)) properties[key["properties.".Length..]] = value;
        if (!properties.ContainsKey("bootstrap.servers")) throw Invalid($"{Owner()} needs 'properties.bootstrap.servers'");

        foreach (var key in o.Keys)
        {
            if (key.StartsWith("properties.", StringComparison.Ordinal) || Array.IndexOf(KnownKeys, key) >= 0) continue;
            if (IsFormatOption(key, o)) continue;
            throw Invalid($"{Owner()}: unknown option '{key}'");
        }

        var startupMode = Enum<KafkaStartupMode>(o, "scan.startup.mode", KafkaStartupMode.GroupOffsets, Owner());
        var startup = new KafkaOffsetSpec<KafkaStartupMode>(startupMode,
            Millis(o, "scan.startup.timestamp-millis", startupMode == KafkaStartupMode.Timestamp, Owner()),
            Offsets(o, "scan.startup.specific-offsets", startupMode == KafkaStartupMode.SpecificOffsets, Owner()));
        var boundedMode = o.TryGetValue("scan.bounded.mode", out var bm) && bm.Equals("unbounded", StringComparison.OrdinalIgnoreCase)
            ? KafkaBoundedMode.Unbounded
            : Enum<KafkaBoundedMode>(o, "scan.bounded.mode", KafkaBoundedMode.Unbounded, Owner());
        var bounded = new KafkaOffsetSpec<KafkaBoundedMode>(boundedMode,
            Millis(o, "scan.bounded.timestamp-millis", boundedMode == KafkaBoundedMode.Timestamp, Owner()),
            Offsets(o, "scan.bounded.specific-offsets", boundedMode == KafkaBoundedMode.SpecificOffsets, Owner()));
        // Flink's default startup mode is group-offsets; without a group it starts at the earliest offsets instead.
        if ((boundedMode == KafkaBoundedMode.GroupOffsets || (startupMode == KafkaStartupMode.GroupOffsets && o.ContainsKey("scan.startup.mode")))
            && !properties.ContainsKey("group.id"))
            throw Invalid($"{Owner()}: 'group-offsets' needs 'properties.group.id'");

        TimeSpan? discovery = null;
        if (o.TryGetValue("scan.topic-partition-discovery.interval", out var d))
        {
            if (!DurationText.TryParse(d, out var interval)) throw Invalid($"{Owner()}: 'scan.topic-partition-discovery.interval' is not a duration: '{d}'");
            if (interval > TimeSpan.Zero) discovery = interval;
        }
        else if (boundedMode == KafkaBoundedMode.Unbounded) discovery = TimeSpan.FromMinutes(5); // Flink's default

        var valueFormat = o.TryGetValue("value.format", out var vf) ? vf : o.TryGetValue("format", out var f) ? f : null;
        if (o.ContainsKey("value.format") && o.ContainsKey("format")) throw Invalid($"{Owner()}: give either 'format' or 'value.format', not both");
        if (valueFormat is null) throw Invalid($"{Owner()} needs a 'format' (or 'value.format') option");
        var keyFields = o.TryGetValue("key.fields", out var kf)
            ? kf.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        o.TryGetValue("key.format", out var keyFormat);
        if (keyFormat is null && keyFields.Length > 0) throw Invalid($"{Owner()}: 'key.fields' needs a 'key.format'");
        if (keyFormat is not null && keyFields.Length == 0) throw Invalid($"{Owner()}: 'key.format' needs 'key.fields' (the columns the key holds)");
        var include = o.TryGetValue("value.fields-include", out var vi) ? vi : "ALL";
        if (!include.Equals("ALL", StringComparison.OrdinalIgnoreCase) && !include.Equals("EXCEPT_KEY", StringComparison.OrdinalIgnoreCase))
            throw Invalid($"{Owner()}: 'value.fields-include' must be 'ALL' or 'EXCEPT_KEY', got '{include}'");
        var prefix = o.TryGetValue("key.fields-prefix", out var kp) ? kp : "";
        if (prefix.Length > 0 && !include.Equals("EXCEPT_KEY", StringComparison.OrdinalIgnoreCase))
            throw Invalid($"{Owner()}: 'key.fields-prefix' needs 'value.fields-include' = 'EXCEPT_KEY'");

        return new KafkaOptions
        {
            Topics = topics,
            TopicPattern = pattern,
            Properties = properties,
            Startup = startup,
            Bounded = bounded,
            DiscoveryInterval = discovery,
            ValueFormat = valueFormat,
            KeyFormat = keyFormat,
            KeyFields = keyFields,
            KeyFieldsPrefix = prefix,
            ValueExceptKey = include.Equals("EXCEPT_KEY", StringComparison.OrdinalIgnoreCase),
            All = o,
        };
    }

    /// <summary>Options of the key or value format (<c>json.x</c>, <c>value.json.x</c>, <c>key.json.x</c>).</summary>
    private static bool IsFormatOption(string key, IReadOnlyDictionary<string, string> o)
    {
        foreach (var formatKey in (ReadOnlySpan<string>)["format", "value.format", "key.format"])
        {
            if (!o.TryGetValue(formatKey, out var format)) continue;
            var lower = format.ToLowerInvariant();
            if (key.StartsWith(lower + ".", StringComparison.Ordinal) && formatKey != "key.format") return true;
            if (key.StartsWith(formatKey[..^"format".Length] + lower + ".", StringComparison.Ordinal) && formatKey != "format") return true;
        }
        return false;
    }

    /// <summary>The options with legacy descriptor keys renamed to the current ones (a current key wins).</summary>
    private static Dictionary<string, string> Normalize(string table, IReadOnlyDictionary<string, string> options)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        options.TryGetValue("format.type", out var legacyFormat);
        var pairs = new SortedDictionary<int, (string? Key, string? Value)>();
        foreach (var (key, value) in options)
        {
            string? current;
            if (key.StartsWith("connector.properties.", StringComparison.Ordinal))
            {
                var rest = key["connector.properties.".Length..];
                var dot = rest.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && int.TryParse(rest.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    && rest[(dot + 1)..] is "key" or "value")
                {
                    var pair = pairs.TryGetValue(index, out var pv) ? pv : (null, null);
                    pairs[index] = rest[(dot + 1)..] == "key" ? (value, pair.Value) : (pair.Key, value);
                    continue;
                }
                current = "properties." + rest;
            }
            else current = key switch
            {
                "connector.type" => "connector",
                "connector.topic" => "topic",
                "connector.startup-mode" => "scan.startup.mode",
                "connector.specific-offsets" => "scan.startup.specific-offsets",
                "connector.startup-timestamp-millis" => "scan.startup.timestamp-millis",
                "connector.sink-partitioner" => "sink.partitioner",
                "connector.version" or "connector.property-version" or "connector.sink-partitioner-class" => null,
                "format.type" => "format",
                "format.derive-schema" or "format.property-version" or "format.json-schema" or "format.schema" => null,
                _ when key.StartsWith("format.", StringComparison.Ordinal) && legacyFormat is not null => legacyFormat.ToLowerInvariant() + "." + key["format.".Length..],
                _ when key.StartsWith("connector.", StringComparison.Ordinal) =>
                    throw Invalid($"kafka table '{table}': unknown legacy option '{key}'"),
                _ => null,
            };
            if (current is not null) result.TryAdd(current, value);
        }
        foreach (var (_, (key, value)) in pairs)
        {
            if (key is null || value is null) throw Invalid($"kafka table '{table}': 'connector.properties.N.key' and '.value' must come in pairs");
            result.TryAdd("properties." + key, value);
        }
        foreach (var (key, value) in options)
            if (!key.StartsWith("connector.", StringComparison.Ordinal) && !key.StartsWith("format.", StringComparison.Ordinal)) result[key] = value;
        return result;
    }

    private static T Enum<T>(IReadOnlyDictionary<string, string> o, string key, T defaultValue, string owner) where T : struct, Enum
    {
        if (!o.TryGetValue(key, out var text)) return defaultValue;
        var name = text.Replace("-", "", StringComparison.Ordinal);
        foreach (var value in System.Enum.GetValues<T>())
            if (value.ToString().Equals(name, StringComparison.OrdinalIgnoreCase) && !value.ToString().Equals("Unbounded", StringComparison.Ordinal)) return value;
        var names = string.Join(", ", System.Enum.GetValues<T>().Where(v => v.ToString() != "Unbounded").Select(v => Dashed(v.ToString())));
        throw Invalid($"{owner}: '{key}' must be one of {names}, got '{text}'");
    }

    private static string Dashed(string name) => Regex.Replace(name, "(?<!^)([A-Z])", "-$1").ToLowerInvariant();

    private static long? Millis(IReadOnlyDictionary<string, string> o, string key, bool required, string owner)
    {
        if (!o.TryGetValue(key, out var text))
            return required ? throw Invalid($"{owner}: the 'timestamp' mode needs '{key}'") : null;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var millis) && millis >= 0
            ? millis
            : throw Invalid($"{owner}: '{key}' must be milliseconds since the epoch, got '{text}'");
    }

    /// <summary>Flink's <c>'partition:0,offset:42;partition:1,offset:300'</c>.</summary>
    private static Dictionary<int, long> Offsets(IReadOnlyDictionary<string, string> o, string key, bool required, string owner)
    {
        var result = new Dictionary<int, long>();
        if (!o.TryGetValue(key, out var text))
            return required ? throw Invalid($"{owner}: the 'specific-offsets' mode needs '{key}'") : result;
        foreach (var entry in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !parts[0].StartsWith("partition:", StringComparison.Ordinal) || !parts[1].StartsWith("offset:", StringComparison.Ordinal)
                || !int.TryParse(parts[0]["partition:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(parts[1]["offset:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                throw Invalid($"{owner}: '{key}' must look like 'partition:0,offset:42;partition:1,offset:300', got '{text}'");
            result[partition] = offset;
        }
        if (required && result.Count == 0) throw Invalid($"{owner}: '{key}' names no partition");
        return result;
    }

    private static TarnException Invalid(string message) => new(SqlStates.InvalidParameterValue, message);
}
