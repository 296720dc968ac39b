using System.Buffers;
using System.Buffers.Binary;
using Tarn.Connectors.FileSystem;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Formats;

/// <summary>The options of Flink's avro-confluent format: the registry's URL and the subject records are written under.</summary>
internal static class AvroConfluentOptions
{
    public static readonly string[] Known = ["url", "schema-registry.url", "subject", "schema-registry.subject", "ignore-parse-errors"];

    public static string Url(FormatOptions options) =>
        options.Get("url") ?? options.Get("schema-registry.url")
        ?? throw new TarnException(SqlStates.InvalidParameterValue, $"{options.Owner}: the avro-confluent format needs 'avro-confluent.url' (the schema registry)");

    public static string? Subject(FormatOptions options) => options.Get("subject") ?? options.Get("schema-registry.subject");
}

/// <summary>
/// Flink's <c>avro-confluent</c> format for reading: a message is the magic byte 0, the writer schema's id (4 bytes,
/// big-endian) and the record in Avro's binary encoding. The writer schema comes from the registry (cached). When it
/// has the table's fields in the same order with the same Avro types (the null branch of a union may be either), the
/// record is decoded directly; otherwise it is resolved against the table's schema by Avro's rules
/// (<see cref="AvroSchemaResolver"/>), as Flink does with the registry's writer schema and the table's reader schema.
/// </summary>
internal sealed class AvroConfluentDecoder : IRowDecoder
{
    private readonly AvroRowDecoder _inner;
    private readonly AvroSchemaRegistry _registry;
    private readonly Dictionary<int, AvroField[]> _writers = [];
    private readonly Dictionary<int, AvroSchemaResolver> _resolvers = [];
    private AvroField[] _current = [];
    private byte[]? _resolved; // the current record re-encoded with the table's schema, when its writer schema differs
    private readonly bool _ignoreErrors;

    public AvroConfluentDecoder(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types, CsvColumnBuilder?[] builders)
    {
        options.CheckKnown(AvroConfluentOptions.Known);
        _registry = AvroSchemaRegistry.At(AvroConfluentOptions.Url(options));
        var inner = new Dictionary<string, string>();
        if (options.Get("ignore-parse-errors") is { } ignore) inner["ignore-parse-errors"] = ignore;
        _ignoreErrors = options.Flag("ignore-parse-errors");
        _inner = new AvroRowDecoder(new FormatOptions("avro-confluent", inner, options.Owner), names, types, builders);
    }

    public bool ProducesChanges => false;

    public int Prepare(ReadOnlySpan<byte> message, bool isNull)
    {
        if (isNull) return 0;
        if (message.Length < 5 || message[0] != 0)
        {
            if (_ignoreErrors) return -1;
            throw new RowDecodeException("avro-confluent: the message does not start with the schema registry's magic byte 0 and a schema id");
        }
        try
        {
            var id = BinaryPrimitives.ReadInt32BigEndian(message[1..5]);
            _current = Writer(id);
            _resolved = null;
            if (_resolvers.TryGetValue(id, out var resolver)) _resolved = resolver.Resolve(message[5..]).ToArray();
        }
        catch (RowDecodeException) when (_ignoreErrors)
        {
            return -1;
        }
        return _inner.Validate(_resolved ?? message[5..], _current);
    }

    public RowKind AppendRow(ReadOnlySpan<byte> message, int row)
    {
        _inner.Read(_resolved ?? message[5..], _current, append: true);
        return RowKind.Insert;
    }

    /// <summary>The fields to decode records of writer schema <paramref name="id"/> with (the table's own when they need resolving).</summary>
    private AvroField[] Writer(int id)
    {
        if (_writers.TryGetValue(id, out var fields)) return fields;
        var schema = _registry.SchemaById(id);
        var writer = AvroSchema.Parse(schema, out _);
        var reader = _inner.Fields;
        if (writer is null || !SameFields(writer, reader))
        {
            _resolvers[id] = AvroSchemaResolver.Create(schema, reader, id);
            writer = [.. reader];
        }
        _writers[id] = writer;
        return writer;
    }

    private static bool SameFields(AvroField[] writer, IReadOnlyList<AvroField> reader)
    {
        if (writer.Length != reader.Count) return false;
        for (var i = 0; i < writer.Length; i++)
        {
            var (w, r) = (writer[i], reader[i]);
            if (w.Name != r.Name || w.Kind != r.Kind || (w.Kind == AvroKind.Decimal && w.Scale != r.Scale)) return false;
        }
        return true;
    }
}

/// <summary>
/// Writes rows in Flink's <c>avro-confluent</c> format: the schema derived from the columns is registered under the
/// subject (Flink's default: <c>&lt;topic&gt;-value</c> / <c>&lt;topic&gt;-key</c>) on first use, and each record is
/// the magic byte 0, the schema id and the Avro binary record.
/// </summary>
internal sealed class AvroConfluentEncoder : IRowEncoder
{
    private readonly AvroRowEncoder _inner;
    private readonly AvroSchemaRegistry _registry;
    private readonly string _subject;
    private int _id = -1;

    public AvroConfluentEncoder(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types, string defaultSubject, IReadOnlyList<int>? columns = null)
    {
        options.CheckKnown(AvroConfluentOptions.Known);
        _registry = AvroSchemaRegistry.At(AvroConfluentOptions.Url(options));
        _subject = AvroConfluentOptions.Subject(options) ?? defaultSubject;
        _inner = new AvroRowEncoder(names, types, options.Owner, columns);
    }

    public string SchemaJson => _inner.SchemaJson;

    public void Encode(ColumnBatch batch, int row, IBufferWriter<byte> output)
    {
        if (_id < 0) _id = _registry.Register(_subject, _inner.SchemaJson);
        var header = output.GetSpan(5);
        header[0] = 0;
        BinaryPrimitives.WriteInt32BigEndian(header[1..5], _id);
        output.Advance(5);
        _inner.Encode(batch, row, output);
    }
}
