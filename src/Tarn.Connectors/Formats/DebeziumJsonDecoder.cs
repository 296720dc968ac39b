using System.Text.Json;
using Tarn.Connectors.FileSystem;
using Tarn.Storage.Tables;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>debezium-json</c> changelog format: <c>{"before": {...}, "after": {...}, "op": "c|r|u|d"}</c>, optionally
/// wrapped as <c>{"schema": ..., "payload": {...}}</c> (<c>debezium-json.schema-include</c>; the wrapper is also
/// recognised without the option). Creates and snapshot reads are +I of <c>after</c>, updates -U of <c>before</c> then
/// +U of <c>after</c>, deletes -D of <c>before</c>; tombstones have no rows.
/// </summary>
internal sealed class DebeziumJsonDecoder : IRowDecoder
{
    public static readonly string[] KnownOptions =
        ["schema-include", "ignore-parse-errors", "timestamp-format.standard", "map-null-key.mode", "map-null-key.literal", "encode.decimal-as-plain-number", "encode.ignore-null-fields"];

    private static readonly string[] EnvelopeFields = ["before", "after", "op", "payload"];
    private const int Before = 0, After = 1, Op = 2, Payload = 3;

    private readonly JsonScanner _envelope = new(EnvelopeFields);
    private readonly JsonScanner _scanner;
    private readonly JsonColumnWriter _writer;
    private readonly JsonValueRef[] _top = new JsonValueRef[EnvelopeFields.Length];
    private readonly JsonValueRef[] _before;
    private readonly JsonValueRef[] _after;
    private readonly bool _ignoreErrors;
    private RowKind _first;

    public DebeziumJsonDecoder(FormatOptions options, IReadOnlyList<string> names, CsvColumnBuilder?[] builders)
    {
        options.CheckKnown(KnownOptions);
        options.Flag("schema-include");
        _ignoreErrors = options.Flag("ignore-parse-errors");
        _scanner = new JsonScanner(names);
        _writer = new JsonColumnWriter(_scanner, names, builders, JsonColumnWriter.ParseStandard(options), _ignoreErrors);
        _before = new JsonValueRef[names.Count];
        _after = new JsonValueRef[names.Count];
    }

    public bool ProducesChanges => true;

    public int Prepare(ReadOnlySpan<byte> message, bool isNull)
    {
        if (isNull) return 0;
        var rows = TryPrepare(message, out var error);
        if (rows >= 0) return rows;
        if (_ignoreErrors) return -1;
        throw new RowDecodeException($"malformed debezium-json message: {error}");
    }

    private int TryPrepare(ReadOnlySpan<byte> message, out string? error)
    {
        _envelope.Reset();
        _scanner.Reset();
        if (!_envelope.TryLocate(message, 0, message.Length, _top, out error)) return -1;
        if (_top[Op].IsMissing && _top[Payload].Token == JsonTokenType.StartObject)
        {
            var payload = _top[Payload];
            if (!_envelope.TryLocate(message, payload.Start, payload.Start + payload.Length, _top, out error)) return -1;
        }
        if (_top[Op].Token != JsonTokenType.String) { error = "no \"op\" field"; return -1; }
        var op = _envelope.Bytes(message, _top[Op]);
        if (op.SequenceEqual("c"u8) || op.SequenceEqual("r"u8))
        {
            _first = RowKind.Insert;
            return Locate(message, After, _after, out error) ? 1 : -1;
        }
        if (op.SequenceEqual("u"u8))
        {
            _first = RowKind.UpdateBefore;
            if (_top[Before].Token != JsonTokenType.StartObject)
            {
                error = "the \"before\" field of an UPDATE message is null (a Postgres source table needs REPLICA IDENTITY FULL)";
                return -1;
            }
            return Locate(message, Before, _before, out error) && Locate(message, After, _after, out error) ? 2 : -1;
        }
        if (op.SequenceEqual("d"u8))
        {
            _first = RowKind.Delete;
            if (_top[Before].Token != JsonTokenType.StartObject)
            {
                error = "the \"before\" field of a DELETE message is null (a Postgres source table needs REPLICA IDENTITY FULL)";
                return -1;
            }
            return Locate(message, Before, _before, out error) ? 1 : -1;
        }
        error = $"unknown \"op\" value '{System.Text.Encoding.UTF8.GetString(op)}'";
        return -1;
    }

    private bool Locate(ReadOnlySpan<byte> message, int field, JsonValueRef[] into, out string? error)
    {
        var value = _top[field];
        if (value.Token != JsonTokenType.StartObject)
        {
            error = $"\"{EnvelopeFields[field]}\" is not an object";
            return false;
        }
        return _scanner.TryLocate(message, value.Start, value.Start + value.Length, into, out error);
    }

    public RowKind AppendRow(ReadOnlySpan<byte> message, int row)
    {
        if (_first == RowKind.UpdateBefore && row == 1)
        {
            _writer.AppendRow(message, _after);
            return RowKind.UpdateAfter;
        }
        _writer.AppendRow(message, _first == RowKind.Insert ? _after : _before);
        return _first;
    }
}
