using Tarn.Connectors.FileSystem;
using Tarn.Storage.Tables;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>json</c> format: a message is one JSON object whose fields fill the columns of the same name (nested
/// objects fill STRING columns with their text). Options: <c>json.ignore-parse-errors</c> (skip malformed messages,
/// NULL for values that do not fit), <c>json.fail-on-missing-field</c>, <c>json.timestamp-format.standard</c>.
/// A tombstone (null message) has no row.
/// </summary>
internal sealed class JsonRowDecoder : IRowDecoder
{
    public static readonly string[] KnownOptions =
        ["ignore-parse-errors", "fail-on-missing-field", "timestamp-format.standard", "map-null-key.mode", "map-null-key.literal",
         "encode.decimal-as-plain-number", "encode.ignore-null-fields", "decode.json-parser.enabled"];

    private readonly JsonScanner _scanner;
    private readonly JsonColumnWriter _writer;
    private readonly JsonValueRef[] _values;
    private readonly IReadOnlyList<string> _names;
    private readonly bool _ignoreErrors;
    private readonly bool _failOnMissing;

    public JsonRowDecoder(FormatOptions options, IReadOnlyList<string> names, CsvColumnBuilder?[] builders)
    {
        options.CheckKnown(KnownOptions);
        _ignoreErrors = options.Flag("ignore-parse-errors");
        _failOnMissing = options.Flag("fail-on-missing-field");
        if (_ignoreErrors && _failOnMissing)
            throw new TarnException(SqlStates.InvalidParameterValue, $"{options.Owner}: 'json.fail-on-missing-field' and 'json.ignore-parse-errors' cannot both be true");
        _names = names;
        _scanner = new JsonScanner(names);
        _writer = new JsonColumnWriter(_scanner, names, builders, JsonColumnWriter.ParseStandard(options), _ignoreErrors);
        _values = new JsonValueRef[names.Count];
    }

    public bool ProducesChanges => false;

    public int Prepare(ReadOnlySpan<byte> message, bool isNull)
    {
        if (isNull) return 0;
        _scanner.Reset();
        if (!_scanner.TryLocate(message, 0, message.Length, _values, out var error))
        {
            if (_ignoreErrors) return -1;
            throw new RowDecodeException($"malformed JSON: {error}");
        }
        if (_failOnMissing)
            for (var i = 0; i < _values.Length; i++)
                if (_values[i].IsMissing) throw new RowDecodeException($"field '{_names[i]}' is missing ('json.fail-on-missing-field' is true)");
        return 1;
    }

    public RowKind AppendRow(ReadOnlySpan<byte> message, int row)
    {
        _writer.AppendRow(message, _values);
        return RowKind.Insert;
    }
}
