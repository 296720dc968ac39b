using System.Buffers;
using Tarn.Execution.Streaming;
using Tarn.Storage.Tables;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>debezium-json</c> format, writing: +I (and a +U without its -U) as <c>{"before":null,"after":{...},"op":"c"}</c>,
/// an -U followed by its +U as <c>{"before":{...},"after":{...},"op":"u"}</c>, -D (and a lone -U) as
/// <c>{"before":{...},"after":null,"op":"d"}</c>. Rows are encoded by <see cref="JsonRowEncoder"/> with the
/// debezium-json options (<c>timestamp-format.standard</c>, <c>encode.ignore-null-fields</c>). Flink writes
/// -U as a delete and +U as a create; pairing them as one update is what Debezium itself produces and what
/// <see cref="DebeziumJsonDecoder"/> reads back as -U/+U.
/// </summary>
internal sealed class DebeziumJsonEncoder : IChangeEncoder
{
    private readonly JsonRowEncoder _row;

    public DebeziumJsonEncoder(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<Types.DataType> types, TimeZoneInfo zone)
    {
        options.CheckKnown(DebeziumJsonDecoder.KnownOptions);
        options.Flag("schema-include");
        _row = new JsonRowEncoder(JsonOptions(options), names, types, zone);
    }

    /// <summary>The options the row encoder understands (json's), from a changelog format's options.</summary>
    internal static FormatOptions JsonOptions(FormatOptions options)
    {
        var json = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in (ReadOnlySpan<string>)["timestamp-format.standard", "encode.ignore-null-fields", "encode.decimal-as-plain-number", "map-null-key.mode", "map-null-key.literal"])
            if (options.Get(key) is { } value) json[key] = value;
        return new FormatOptions("json", json, options.Owner);
    }

    public int Encode(ChangeBatch batch, int row, IBufferWriter<byte> output, out bool isNull)
    {
        isNull = false;
        var kind = batch.KindOf(row);
        if (kind == RowKind.UpdateBefore && row + 1 < batch.RowCount && batch.KindOf(row + 1) == RowKind.UpdateAfter)
        {
            output.Write("{\"before\":"u8);
            _row.Encode(batch.Rows, row, output);
            output.Write(",\"after\":"u8);
            _row.Encode(batch.Rows, row + 1, output);
            output.Write(",\"op\":\"u\"}"u8);
            return 2;
        }
        if (kind is RowKind.Insert or RowKind.UpdateAfter)
        {
            output.Write("{\"before\":null,\"after\":"u8);
            _row.Encode(batch.Rows, row, output);
            output.Write(",\"op\":\"c\"}"u8);
        }
        else
        {
            output.Write("{\"before\":"u8);
            _row.Encode(batch.Rows, row, output);
            output.Write(",\"after\":null,\"op\":\"d\"}"u8);
        }
        return 1;
    }
}
