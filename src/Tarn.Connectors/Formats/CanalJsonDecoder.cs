using System.Text.Json;
using System.Text.RegularExpressions;
using Tarn.Connectors.FileSystem;
using Tarn.Storage.Tables;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>canal-json</c> changelog format: <c>{"data": [{...}], "old": [{...}], "type": "INSERT|UPDATE|DELETE",
/// "database": ..., "table": ...}</c>. Each element of <c>data</c> is a row: +I for INSERT, -D for DELETE; for UPDATE
/// -U of the old row (the element of <c>old</c> holds the changed fields' old values, the rest are as in <c>data</c>)
/// then +U of <c>data</c>. DDL events (<c>"isDdl": true</c> or type CREATE) have no rows. Options:
/// <c>canal-json.ignore-parse-errors</c>, <c>canal-json.timestamp-format.standard</c>, and
/// <c>canal-json.database.include</c> / <c>canal-json.table.include</c> (regular expressions; other events are skipped).
/// </summary>
internal sealed class CanalJsonDecoder : IRowDecoder
{
    public static readonly string[] KnownOptions =
        ["ignore-parse-errors", "timestamp-format.standard", "database.include", "table.include", "map-null-key.mode", "map-null-key.literal", "encode.decimal-as-plain-number", "encode.ignore-null-fields"];

    private static readonly string[] EnvelopeFields = ["data", "old", "type", "database", "table", "isDdl"];
    private const int Data = 0, Old = 1, Type = 2, Database = 3, Table = 4, IsDdl = 5;

    private readonly JsonScanner _envelope = new(EnvelopeFields);
    private readonly JsonScanner _scanner;
    private readonly JsonColumnWriter _writer;
    private readonly JsonValueRef[] _top = new JsonValueRef[EnvelopeFields.Length];
    private readonly List<(int Start, int End)> _dataObjects = [];
    private readonly List<(int Start, int End)> _oldObjects = [];
    private readonly List<JsonValueRef[]> _rows = [];
    private readonly List<RowKind> _kinds = [];
    private readonly int _fieldCount;
    private readonly bool _ignoreErrors;
    private readonly Regex? _database;
    private readonly Regex? _table;

    public CanalJsonDecoder(FormatOptions options, IReadOnlyList<string> names, CsvColumnBuilder?[] builders)
    {
        options.CheckKnown(KnownOptions);
        _ignoreErrors = options.Flag("ignore-parse-errors");
        _scanner = new JsonScanner(names);
        _writer = new JsonColumnWriter(_scanner, names, builders, JsonColumnWriter.ParseStandard(options), _ignoreErrors);
        _fieldCount = names.Count;
        _database = Pattern(options, "database.include");
        _table = Pattern(options, "table.include");
    }

    public bool ProducesChanges => true;

    public int Prepare(ReadOnlySpan<byte> message, bool isNull)
    {
        if (isNull) return 0;
        _kinds.Clear();
        var rows = TryPrepare(message, out var error);
        if (rows >= 0) return rows;
        if (_ignoreErrors) return -1;
        throw new RowDecodeException($"malformed canal-json message: {error}");
    }

    public RowKind AppendRow(ReadOnlySpan<byte> message, int row)
    {
        _writer.AppendRow(message, _rows[row]);
        return _kinds[row];
    }

    private int TryPrepare(ReadOnlySpan<byte> message, out string? error)
    {
        _envelope.Reset();
        _scanner.Reset();
        if (!_envelope.TryLocate(message, 0, message.Length, _top, out error)) return -1;
        if (_top[IsDdl].Token == JsonTokenType.True) return 0;
        if (!Included(message, Database, _database) || !Included(message, Table, _table)) return 0;
        if (_top[Type].Token != JsonTokenType.String) { error = "no \"type\" field"; return -1; }
        var type = _envelope.Bytes(message, _top[Type]);
        RowKind kind;
        if (type.SequenceEqual("INSERT"u8)) kind = RowKind.Insert;
        else if (type.SequenceEqual("UPDATE"u8)) kind = RowKind.UpdateAfter;
        else if (type.SequenceEqual("DELETE"u8)) kind = RowKind.Delete;
        else if (type.SequenceEqual("CREATE"u8)) return 0;
        else { error = $"unknown \"type\" value '{System.Text.Encoding.UTF8.GetString(type)}'"; return -1; }
        if (_top[Data].Token != JsonTokenType.StartArray) { error = "\"data\" is not an array"; return -1; }
        if (!JsonScanner.TryListObjects(message, _top[Data], _dataObjects, out error)) return -1;
        if (kind == RowKind.UpdateAfter)
        {
            if (_top[Old].Token != JsonTokenType.StartArray) { error = "the \"old\" field of an UPDATE message is not an array"; return -1; }
            if (!JsonScanner.TryListObjects(message, _top[Old], _oldObjects, out error)) return -1;
            if (_oldObjects.Count != _dataObjects.Count) { error = $"\"old\" has {_oldObjects.Count} elements but \"data\" has {_dataObjects.Count}"; return -1; }
        }
        var count = 0;
        for (var i = 0; i < _dataObjects.Count; i++)
        {
            var after = Row(count + (kind == RowKind.UpdateAfter ? 1 : 0));
            if (!_scanner.TryLocate(message, _dataObjects[i].Start, _dataObjects[i].End, after, out error)) return -1;
            if (kind == RowKind.UpdateAfter)
            {
                var before = Row(count);
                if (!_scanner.TryLocate(message, _oldObjects[i].Start, _oldObjects[i].End, before, out error)) return -1;
                for (var f = 0; f < _fieldCount; f++)
                    if (before[f].IsMissing) before[f] = after[f]; // unchanged fields are only in "data"
                _kinds.Add(RowKind.UpdateBefore);
                count++;
            }
            _kinds.Add(kind);
            count++;
        }
        return count;
    }

    private JsonValueRef[] Row(int index)
    {
        while (_rows.Count <= index) _rows.Add(new JsonValueRef[_fieldCount]);
        return _rows[index];
    }

    private bool Included(ReadOnlySpan<byte> message, int field, Regex? pattern)
    {
        if (pattern is null) return true;
        var value = _top[field];
        if (value.Token != JsonTokenType.String) return false;
        return pattern.IsMatch(System.Text.Encoding.UTF8.GetString(_envelope.Bytes(message, value)));
    }

    private static Regex? Pattern(FormatOptions options, string key)
    {
        if (options.Get(key) is not { } text) return null;
        try
        {
            return new Regex($"^(?:{text})$", RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new TarnException(SqlStates.InvalidParameterValue, $"{options.Owner}: 'canal-json.{key}' is not a valid regular expression: {e.Message}");
        }
    }
}
