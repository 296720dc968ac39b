using System.Buffers;
using Tarn.Connectors.FileSystem;
using Tarn.Execution.Streaming;
using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Connectors.Formats;

/// <summary>The message formats connectors can write: row encoders (json, csv, raw) and change encoders (those plus debezium-json, canal-json).</summary>
internal static class RowEncoders
{
    public static readonly string[] Supported = ["json", "csv", "raw", "avro", "avro-confluent", "debezium-json", "canal-json"];

    /// <summary>
    /// An encoder of a plain format (json, csv, raw, avro, avro-confluent) for fields <paramref name="names"/> of
    /// <paramref name="types"/>; throws 22023 / 0A000. <paramref name="subject"/> is avro-confluent's default subject
    /// (Flink's <c>&lt;topic&gt;-value</c> or <c>-key</c>).
    /// </summary>
    public static IRowEncoder CreateRow(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types, TimeZoneInfo zone, string? subject = null)
    {
        CheckTypes(options, types);
        return options.Format switch
        {
            "json" => new JsonRowEncoder(options, names, types, zone),
            "csv" => new CsvRowEncoder(CsvOptions(options), types, zone),
            "raw" => new RawRowEncoder(options, names, types),
            "avro" => new AvroRowEncoder(options, names, types),
            "avro-confluent" => new AvroConfluentEncoder(options, names, types, subject
                ?? throw new TarnException(SqlStates.InvalidParameterValue, $"{options.Owner}: avro-confluent needs 'avro-confluent.subject' here")),
            _ => throw new TarnException(SqlStates.FeatureNotSupported,
                $"{options.Owner}: format '{options.Format}' cannot be written here (supported: json, csv, raw, avro, avro-confluent)"),
        };
    }

    /// <summary>An encoder of changes in any writable format; plain formats accept inserted rows only.</summary>
    public static IChangeEncoder CreateChange(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types, TimeZoneInfo zone, string? subject = null)
    {
        CheckTypes(options, types);
        return options.Format switch
        {
            "debezium-json" => new DebeziumJsonEncoder(options, names, types, zone),
            "canal-json" => new CanalJsonEncoder(options, names, types, zone),
            "json" or "csv" or "raw" or "avro" or "avro-confluent" => new InsertEncoder(CreateRow(options, names, types, zone, subject), options.Format == "raw", options.Owner),
            _ => throw new TarnException(SqlStates.FeatureNotSupported,
                $"{options.Owner}: format '{options.Format}' cannot be written (supported: {string.Join(", ", Supported)})"),
        };
    }

    private static void CheckTypes(FormatOptions options, IReadOnlyList<DataType> types)
    {
        foreach (var type in types)
            if (type.Kind is TypeKind.Row or TypeKind.Array or TypeKind.Null)
                throw new TarnException(SqlStates.FeatureNotSupported, $"{options.Owner}: the {options.Format} format cannot write {type.ToSql()} columns yet");
    }

    private static CsvFormatOptions CsvOptions(FormatOptions options)
    {
        var prefixed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options.Options) prefixed["csv." + key] = value;
        try
        {
            return CsvFormatOptions.From(prefixed);
        }
        catch (TarnException e)
        {
            throw new TarnException(e.SqlState, $"{options.Owner}: {e.Message}");
        }
    }

    /// <summary>A plain format as a change encoder: inserts only (the sink's planning rejects anything else).</summary>
    private sealed class InsertEncoder(IRowEncoder row, bool raw, string owner) : IChangeEncoder
    {
        public int Encode(ChangeBatch batch, int r, IBufferWriter<byte> output, out bool isNull)
        {
            if (batch.KindOf(r) != RowKind.Insert)
                throw new TarnException(SqlStates.FeatureNotSupported, $"{owner}: an append-only format cannot write the change {batch.KindOf(r)}");
            isNull = raw && RawRowEncoder.IsNull(batch.Rows, r);
            if (!isNull) row.Encode(batch.Rows, r, output);
            return 1;
        }
    }
}
