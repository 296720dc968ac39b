using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tarn.Console.Cli;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Console.Printing;

/// <summary>
/// JSON: one array of objects per result, one row object per line, keys = column names. Numbers are JSON numbers
/// (NaN and infinities, which JSON cannot express, become strings), booleans true/false, NULL null, everything else a
/// string in the display format. Statements without rows write their status to <paramref name="messages"/> (stderr).
/// </summary>
internal sealed class JsonPrinter(TextWriter output, TextWriter messages) : ResultPrinter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override OutputFormat Format => OutputFormat.Json;

    public override void Print(TarnResult result)
    {
        if (!result.HasRows)
        {
            messages.WriteLine(StatusText.For(result));
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, Options);
        var first = true;
        output.Write('[');
        foreach (var batch in result.Batches)
        {
            for (var r = 0; r < batch.RowCount; r++)
            {
                if (!first) output.Write(",\n");
                first = false;
                json.Reset(buffer);
                WriteRow(json, result.Columns, batch, r);
                json.Flush();
                output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
                buffer.ResetWrittenCount();
            }
        }
        output.Write("]\n");
        output.Flush();
    }

    private void WriteRow(Utf8JsonWriter json, IReadOnlyList<TarnColumn> columns, ColumnBatch batch, int row)
    {
        json.WriteStartObject();
        for (var c = 0; c < columns.Count; c++)
        {
            json.WritePropertyName(columns[c].Name);
            WriteValue(json, columns[c].Type, batch.Columns[c], row);
        }
        json.WriteEndObject();
    }

    private void WriteValue(Utf8JsonWriter json, DataType type, ColumnVector vector, int row)
    {
        if (vector.IsNull(row)) { json.WriteNullValue(); return; }
        if (type.Kind == TypeKind.Boolean && vector.GetValue(row) is bool b) { json.WriteBooleanValue(b); return; }
        var text = ValueText.Format(vector, row, TimeZone);
        if (text is null) json.WriteNullValue();
        else if (type.IsNumeric && IsJsonNumber(text)) json.WriteRawValue(text, skipInputValidation: true);
        else json.WriteStringValue(text);
    }

    /// <summary>Matches the JSON number grammar: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>.</summary>
    internal static bool IsJsonNumber(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-') i++;
        if (i >= text.Length || !char.IsAsciiDigit(text[i])) return false;
        if (text[i] == '0') i++;
        else while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (i >= text.Length || !char.IsAsciiDigit(text[i])) return false;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-') i++;
            if (i >= text.Length || !char.IsAsciiDigit(text[i])) return false;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        return i == text.Length;
    }
}
