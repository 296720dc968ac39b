using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tarn.Execution.Formatting;
using Tarn.Execution.Text;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>json</c> format, writing: one row as one JSON object of its columns. Numbers are JSON numbers (DECIMAL
/// exactly, as plain digits; NaN and infinities as strings, which the reader accepts back), BYTES are base64 strings,
/// DATE/TIME/TIMESTAMP strings follow <c>json.timestamp-format.standard</c> (TIMESTAMP_LTZ in UTC with a trailing
/// <c>Z</c>, as Flink writes it). With <c>json.encode.ignore-null-fields</c> NULL fields are left out.
/// </summary>
internal sealed class JsonRowEncoder : IRowEncoder
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly IReadOnlyList<DataType> _types;
    private readonly JsonEncodedText[] _names;
    private readonly TimestampStandard _standard;
    private readonly bool _ignoreNullFields;
    private readonly TimeZoneInfo _zone;
    private readonly Utf8JsonWriter _writer = new(new ArrayBufferWriter<byte>(1), WriterOptions);

    public JsonRowEncoder(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types, TimeZoneInfo zone)
    {
        options.CheckKnown(JsonRowDecoder.KnownOptions);
        _standard = JsonColumnWriter.ParseStandard(options);
        _ignoreNullFields = options.Flag("encode.ignore-null-fields");
        _types = types;
        _zone = zone;
        _names = new JsonEncodedText[names.Count];
        for (var i = 0; i < names.Count; i++) _names[i] = JsonEncodedText.Encode(names[i], WriterOptions.Encoder);
    }

    public void Encode(ColumnBatch batch, int row, IBufferWriter<byte> output)
    {
        var writer = _writer;
        writer.Reset(output);
        writer.WriteStartObject();
        for (var c = 0; c < _types.Count; c++)
        {
            var column = batch.Columns[c];
            if (column.IsNull(row))
            {
                if (!_ignoreNullFields) writer.WriteNull(_names[c]);
                continue;
            }
            writer.WritePropertyName(_names[c]);
            WriteValue(writer, _types[c], column, row);
        }
        writer.WriteEndObject();
        writer.Flush();
    }

    private void WriteValue(Utf8JsonWriter writer, DataType type, ColumnVector column, int row)
    {
        switch (type.Kind)
        {
            case TypeKind.Boolean: writer.WriteBooleanValue(((PrimitiveVector<bool>)column).Values[row]); break;
            case TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt:
                writer.WriteNumberValue(EncodedValues.Integer(column, row));
                break;
            case TypeKind.Float:
            {
                var f = ((PrimitiveVector<float>)column).Values[row];
                if (float.IsFinite(f)) writer.WriteNumberValue(f);
                else writer.WriteStringValue(NumberText.FormatFloat(f));
                break;
            }
            case TypeKind.Double:
            {
                var d = ((PrimitiveVector<double>)column).Values[row];
                if (double.IsFinite(d)) writer.WriteNumberValue(d);
                else writer.WriteStringValue(NumberText.FormatDouble(d));
                break;
            }
            case TypeKind.Decimal:
                writer.WriteRawValue(ValueConverter.DecimalToString(EncodedValues.Unscaled(column, row), type.Scale), skipInputValidation: true);
                break;
            case TypeKind.Char or TypeKind.Varchar: writer.WriteStringValue(EncodedValues.Bytes(column, row)); break;
            case TypeKind.Binary or TypeKind.Varbinary: writer.WriteBase64StringValue(EncodedValues.Bytes(column, row)); break;
            case TypeKind.Date: writer.WriteStringValue(DateTimeText.FormatDate(EncodedValues.Integer(column, row))); break;
            case TypeKind.Time: writer.WriteStringValue(DateTimeText.FormatTime(EncodedValues.Integer(column, row), type)); break;
            case TypeKind.Timestamp or TypeKind.TimestampLtz:
            {
                // TIMESTAMP_LTZ values are UTC instants: written as UTC wall time plus 'Z'
                var text = DateTimeText.FormatTimestamp(EncodedValues.Integer(column, row), type);
                if (_standard == TimestampStandard.Iso8601 && text.Length > 10 && text[10] == ' ') text = string.Concat(text.AsSpan(0, 10), "T", text.AsSpan(11));
                writer.WriteStringValue(type.Kind == TypeKind.TimestampLtz ? text + "Z" : text);
                break;
            }
            default: writer.WriteStringValue(ValueFormatter.Format(column, row, _zone)); break;
        }
    }
}
