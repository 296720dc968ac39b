using System.Globalization;
using Tarn.Catalog.Model;
using Tarn.Catalog.Options;

namespace Tarn.Connectors.DataGen;

/// <summary>
/// The options of a <c>'connector' = 'datagen'</c> table, Flink's names: <c>rows-per-second</c> (default 10000; 0 for
/// as fast as possible), <c>number-of-rows</c> (bounded; unbounded when absent), and per column <c>fields.#.kind</c>
/// (<c>random</c> or <c>sequence</c>), <c>.min</c>, <c>.max</c>, <c>.max-past</c>, <c>.length</c>, <c>.var-len</c>,
/// <c>.start</c>, <c>.end</c>, <c>.null-rate</c>. Tarn adds <c>seed</c>: the same seed gives the same rows, which is
/// what lets a streaming job replay its input after a crash.
/// </summary>
internal sealed record DataGenOptions
{
    public const double DefaultRowsPerSecond = 10_000;

    private static readonly string[] TableKeys = ["connector", "rows-per-second", "number-of-rows", "seed", "scan.parallelism"];
    private static readonly string[] FieldKeys = ["kind", "min", "max", "max-past", "length", "var-len", "start", "end", "null-rate"];

    /// <summary>Rows per second of a stream, or null for as fast as the job reads.</summary>
    public double? RowsPerSecond { get; init; } = DefaultRowsPerSecond;

    public long? NumberOfRows { get; init; }

    public ulong Seed { get; init; }

    /// <summary>The spec of each column, by lower-case name.</summary>
    public IReadOnlyDictionary<string, DataGenFieldSpec> Fields { get; init; } = new Dictionary<string, DataGenFieldSpec>();

    public static DataGenOptions Parse(TableDef table)
    {
        var name = table.Name;
        var options = new DataGenOptions();
        var fields = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in table.Options)
        {
            if (key.StartsWith("fields.", StringComparison.Ordinal))
            {
                var dot = key.LastIndexOf('.');
                var column = dot > "fields.".Length ? key["fields.".Length..dot] : "";
                var option = key[(dot + 1)..];
                if (column.Length == 0 || Array.IndexOf(FieldKeys, option) < 0)
                    throw Invalid($"unknown datagen option '{key}' of table '{name}'; per-column options are fields.<column>.{string.Join("|", FieldKeys)}");
                if (!fields.TryGetValue(column, out var o)) fields[column] = o = new Dictionary<string, string>(StringComparer.Ordinal);
                o[option] = value;
                continue;
            }
            switch (key)
            {
                case "rows-per-second":
                    var rate = Number(key, value, name);
                    options = options with { RowsPerSecond = rate == 0 ? null : rate };
                    break;
                case "number-of-rows":
                    options = options with { NumberOfRows = (long)WholeNumber(key, value, name) };
                    break;
                case "seed":
                    options = options with { Seed = ulong.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : throw Invalid($"'seed' of table '{name}' must be a non-negative integer, got '{value}'") };
                    break;
                default:
                    if (Array.IndexOf(TableKeys, key) < 0 && !key.StartsWith("connector.", StringComparison.Ordinal))
                        throw Invalid($"unknown datagen option '{key}' of table '{name}'; supported: {string.Join(", ", TableKeys)}, fields.<column>.<option>");
                    break;
            }
        }
        var specs = new Dictionary<string, DataGenFieldSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var (column, o) in fields) specs[column] = Field(name, column, o);
        return options with { Fields = specs };
    }

    private static DataGenFieldSpec Field(string table, string column, Dictionary<string, string> o)
    {
        var kind = o.TryGetValue("kind", out var k) ? k.Trim().ToLowerInvariant() : "random";
        if (kind is not ("random" or "sequence"))
            throw Invalid($"'fields.{column}.kind' of table '{table}' must be 'random' or 'sequence', got '{k}'");
        var sequence = kind == "sequence";
        foreach (var key in sequence ? new[] { "min", "max", "max-past", "length", "var-len" } : ["start", "end"])
            if (o.ContainsKey(key))
                throw Invalid($"'fields.{column}.{key}' of table '{table}' does not apply to a {kind} field");
        if (sequence && (!o.ContainsKey("start") || !o.ContainsKey("end")))
            throw Invalid($"sequence field '{column}' of table '{table}' needs 'fields.{column}.start' and 'fields.{column}.end'");
        var spec = new DataGenFieldSpec { Sequence = sequence };
        if (sequence) spec = spec with { Min = o["start"], Max = o["end"] };
        else spec = spec with { Min = o.GetValueOrDefault("min"), Max = o.GetValueOrDefault("max") };
        if (o.TryGetValue("max-past", out var past))
            spec = spec with { MaxPast = DurationText.TryParse(past, out var d) ? d : throw Invalid($"'fields.{column}.max-past' of table '{table}' must be a duration such as '10 s', got '{past}'") };
        if (o.TryGetValue("length", out var length))
        {
            var n = WholeNumber($"fields.{column}.length", length, table);
            spec = spec with { Length = n is >= 1 and <= 1 << 20 ? (int)n : throw Invalid($"'fields.{column}.length' of table '{table}' must be between 1 and 1048576, got '{length}'") };
        }
        if (o.TryGetValue("var-len", out var varLen))
            spec = spec with { VariableLength = bool.TryParse(varLen.Trim(), out var b) ? b : throw Invalid($"'fields.{column}.var-len' of table '{table}' must be true or false, got '{varLen}'") };
        if (o.TryGetValue("null-rate", out var nullRate))
        {
            var rate = Number($"fields.{column}.null-rate", nullRate, table);
            spec = spec with { NullRate = rate <= 1 ? rate : throw Invalid($"'fields.{column}.null-rate' of table '{table}' must be between 0 and 1, got '{nullRate}'") };
        }
        return spec;
    }

    private static double Number(string key, string text, string table) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d)
            ? d
            : throw Invalid($"'{key}' of table '{table}' must be a non-negative number, got '{text}'");

    private static double WholeNumber(string key, string text, string table) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Invalid($"'{key}' of table '{table}' must be a non-negative integer, got '{text}'");

    private static TarnException Invalid(string message) => new(SqlStates.InvalidParameterValue, message);
}
