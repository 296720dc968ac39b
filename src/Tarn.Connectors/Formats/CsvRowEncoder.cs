using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Tarn.Connectors.FileSystem;
using Tarn.Execution.Formatting;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>csv</c> format, writing: one row as delimited fields without a line break. Values are written as
/// CAST(x AS STRING) shows them; NULL as the null literal (default: an empty field); a field holding the delimiter,
/// the quote, a line break, or text that would read back as NULL is quoted, with quotes doubled.
/// </summary>
internal sealed class CsvRowEncoder : IRowEncoder
{
    private readonly IReadOnlyList<DataType> _types;
    private readonly TimeZoneInfo _zone;
    private readonly byte _delimiter;
    private readonly byte? _quote;
    private readonly byte[] _nullLiteral;

    public CsvRowEncoder(CsvFormatOptions options, IReadOnlyList<DataType> types, TimeZoneInfo zone)
    {
        _types = types;
        _zone = zone;
        _delimiter = options.FieldDelimiter;
        _quote = options.QuoteCharacter;
        _nullLiteral = options.NullLiteral ?? [];
    }

    public void Encode(ColumnBatch batch, int row, IBufferWriter<byte> output)
    {
        for (var c = 0; c < _types.Count; c++)
        {
            if (c > 0) Write(output, _delimiter);
            var column = batch.Columns[c];
            if (column.IsNull(row)) { output.Write(_nullLiteral); continue; }
            var type = _types[c];
            switch (type.Kind)
            {
                case TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt:
                {
                    var span = output.GetSpan(20);
                    Utf8Formatter.TryFormat(EncodedValues.Integer(column, row), span, out var written);
                    output.Advance(written);
                    break;
                }
                case TypeKind.Char or TypeKind.Varchar:
                    WriteField(output, EncodedValues.Bytes(column, row));
                    break;
                default:
                    WriteField(output, Encoding.UTF8.GetBytes(ValueFormatter.Format(column, row, _zone)!));
                    break;
            }
        }
    }

    private void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> text)
    {
        if (_quote is not { } q || !NeedsQuotes(text, q)) { output.Write(text); return; }
        Write(output, q);
        while (true)
        {
            var at = text.IndexOf(q);
            if (at < 0) { output.Write(text); break; }
            output.Write(text[..(at + 1)]);
            Write(output, q);
            text = text[(at + 1)..];
        }
        Write(output, q);
    }

    private bool NeedsQuotes(ReadOnlySpan<byte> text, byte quote) =>
        text.IndexOfAny(_delimiter, quote, (byte)'\n') >= 0 || text.Contains((byte)'\r')
        || (text.IsEmpty && _nullLiteral.Length == 0) || (_nullLiteral.Length > 0 && text.SequenceEqual(_nullLiteral));

    private static void Write(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }
}
