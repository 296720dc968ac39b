namespace Tarn.Connectors.Formats;

/// <summary>
/// A format and its options with the format prefix removed (<c>'json.ignore-parse-errors'</c> or
/// <c>'value.json.ignore-parse-errors'</c> become <c>ignore-parse-errors</c>), as Flink's format factories see them.
/// </summary>
internal sealed class FormatOptions
{
    public FormatOptions(string format, IReadOnlyDictionary<string, string> options, string owner)
    {
        Format = format.ToLowerInvariant();
        Options = options;
        Owner = owner;
    }

    /// <summary>The format's identifier, lower case (<c>json</c>, <c>debezium-json</c>, ...).</summary>
    public string Format { get; }

    /// <summary>The options of this format, keys without the format prefix.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>Names the table (and key or value side) in errors.</summary>
    public string Owner { get; }

    /// <summary>
    /// Collects the options of <paramref name="format"/> from a table's options: <c>{prefix}{format}.x</c> and, for the
    /// value side (<paramref name="prefix"/> <c>value.</c>), also the unprefixed <c>{format}.x</c>.
    /// </summary>
    public static FormatOptions From(string format, IReadOnlyDictionary<string, string> tableOptions, string prefix, string owner)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lower = format.ToLowerInvariant();
        var plain = lower + ".";
        var prefixed = prefix + lower + ".";
        foreach (var (key, value) in tableOptions)
        {
            if (prefix == "value." && key.StartsWith(plain, StringComparison.Ordinal)) result.TryAdd(key[plain.Length..], value);
            else if (key.StartsWith(prefixed, StringComparison.Ordinal)) result[key[prefixed.Length..]] = value;
        }
        return new FormatOptions(lower, result, owner);
    }

    public bool Flag(string key, bool defaultValue = false)
    {
        if (!Options.TryGetValue(key, out var text)) return defaultValue;
        return bool.TryParse(text, out var b) ? b
            : throw new TarnException(SqlStates.InvalidParameterValue, $"{Owner}: '{Format}.{key}' must be 'true' or 'false', got '{text}'");
    }

    public string? Get(string key) => Options.TryGetValue(key, out var v) ? v : null;

    /// <summary>Rejects options the format does not know (a typo would otherwise be silently ignored).</summary>
    public void CheckKnown(params string[] known)
    {
        foreach (var key in Options.Keys)
            if (Array.IndexOf(known, key) < 0)
                throw new TarnException(SqlStates.InvalidParameterValue,
                    $"{Owner}: unknown {Format} format option '{Format}.{key}' (known: {string.Join(", ", known.Select(k => Format + "." + k))})");
    }
}
