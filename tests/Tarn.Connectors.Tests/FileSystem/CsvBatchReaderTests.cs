using System.Globalization;
using System.Text;
using CsCheck;
using Tarn.Connectors.FileSystem;
using Tarn.Execution.Formatting;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.FileSystem;

public class CsvBatchReaderTests
{
    private static readonly DataType[] Types = [DataType.Int, DataType.Decimal(12, 2), DataType.Varchar(40), DataType.Date];
    private static readonly string[] Names = ["i", "d", "s", "dt"];

    private static List<string?[]> ReadAll(byte[] bytes, CsvFormatOptions options, int bufferSize, int batchSize, DataType[]? types = null, int[]? outputOfField = null)
    {
        types ??= Types;
        outputOfField ??= Enumerable.Range(0, types.Length).ToArray();
        var outputTypes = new DataType[outputOfField.Count(o => o >= 0)];
        for (var f = 0; f < outputOfField.Length; f++) if (outputOfField[f] >= 0) outputTypes[outputOfField[f]] = types[f];
        var builders = outputTypes.Select(t => new CsvColumnBuilder(t, TimeZoneInfo.Utc, batchSize)).ToArray();
        using var reader = new CsvBatchReader(new MemoryStream(bytes), "t.csv", options, Names[..types.Length], outputOfField, builders, bufferSize);
        var rows = new List<string?[]>();
        while (reader.ReadBatch(batchSize) is { } batch)
        {
            Assert.InRange(batch.RowCount, 1, batchSize);
            for (var r = 0; r < batch.RowCount; r++)
                rows.Add(batch.Columns.Select(c => ValueFormatter.Format(c, r)).ToArray());
        }
        return rows;
    }

    private static string Quote(string s) =>
        s.Length == 0 || s.AsSpan().IndexOfAny("|\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    [Fact]
    public void Any_rows_written_as_csv_read_back_at_any_buffer_and_batch_size()
    {
        var text = Gen.String["ab |\"\r\né,"].Select(s => s.Length > 40 ? s[..40] : s);
        var row = Gen.Select(Gen.Int.Nullable(), Gen.Long[-99_999_999_999, 99_999_999_999], text, Gen.Int[-20_000, 40_000]);
        Gen.Select(row.List[0, 30], Gen.Int[16, 200], Gen.Int[1, 7], Gen.Bool, Gen.Bool)
            .Sample((rows, bufferSize, batchSize, crlf, finalNewline) =>
            {
                var sb = new StringBuilder();
                for (var r = 0; r < rows.Count; r++)
                {
                    var (i, d, s, days) = rows[r];
                    sb.Append(i?.ToString(CultureInfo.InvariantCulture)).Append('|')
                        .Append(ValueConverter.DecimalToString(d, 2)).Append('|')
                        .Append(Quote(s)).Append('|')
                        .Append(DateOnly.FromDayNumber(DateOnly.FromDateTime(new DateTime(1970, 1, 1)).DayNumber + days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    if (r < rows.Count - 1 || finalNewline) sb.Append(crlf ? "\r\n" : "\n");
                }
                var options = CsvFormatOptions.Default with { FieldDelimiter = (byte)'|' };
                var read = ReadAll(Encoding.UTF8.GetBytes(sb.ToString()), options, bufferSize, batchSize);
                Assert.Equal(rows.Count, read.Count);
                for (var r = 0; r < rows.Count; r++)
                {
                    var (i, d, s, days) = rows[r];
                    Assert.Equal(i?.ToString(CultureInfo.InvariantCulture), read[r][0]);
                    Assert.Equal(ValueConverter.DecimalToString(d, 2), read[r][1]);
                    Assert.Equal(s, read[r][2]);
                    Assert.Equal(Tarn.Execution.Text.DateTimeText.FormatDate(days), read[r][3]);
                }
            });
    }

    [Fact]
    public void Unread_columns_are_skipped_and_read_ones_keep_their_output_order()
    {
        var bytes = "1|2.50|x|2024-01-02\n3|4.00|y|2024-02-03\n"u8.ToArray();
        var rows = ReadAll(bytes, CsvFormatOptions.Default with { FieldDelimiter = (byte)'|' }, 1024, 10, outputOfField: [-1, 1, -1, 0]);
        Assert.Equal([["2024-01-02", "2.50"], ["2024-02-03", "4.00"]], rows);
    }

    [Fact]
    public void Null_literal_empty_numbers_byte_order_mark_and_comments()
    {
        var bytes = "\uFEFF1,,\\N,2024-01-01\n# a comment\n,1.5,\"\",\n"u8.ToArray();
        var options = CsvFormatOptions.Default with { NullLiteral = "\\N"u8.ToArray(), AllowComments = true };
        var rows = ReadAll(bytes, options, 1024, 10);
        Assert.Equal([["1", null, null, "2024-01-01"], [null, "1.50", "", null]], rows);
    }

    [Theory]
    [InlineData("1|2.5|x|2024-01-01\n2|abc|y|2024-01-01\n", "t.csv:2:3: invalid value 'abc' for column d DECIMAL(12, 2)")]
    [InlineData("1|2.5|x|2024-13-01\n", "t.csv:1:9: invalid value '2024-13-01' for column dt DATE")]
    [InlineData("1|2.5|x\n", "t.csv:1:1: expected 4 fields, found 3")]
    [InlineData("99999999999|2.5|x|2024-01-01\n", "t.csv:1:1: invalid value '99999999999' for column i INT")]
    [InlineData("1|2.5|\"unterminated|2024-01-01\n", "unterminated quoted field")]
    public void Bad_fields_name_file_line_and_column_with_22P02(string csv, string message)
    {
        var e = Assert.Throws<TarnException>(() => ReadAll(Encoding.UTF8.GetBytes(csv), CsvFormatOptions.Default with { FieldDelimiter = (byte)'|' }, 64, 10));
        Assert.Equal(SqlStates.InvalidTextRepresentation, e.SqlState);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignoring_parse_errors_nulls_bad_fields_and_skips_rows_with_the_wrong_field_count()
    {
        var csv = "1|abc|x|2024-01-01\n2|1|y\n3|1|z|2024-01-01|extra\n4|1.25|w|bad\n"u8.ToArray();
        var rows = ReadAll(csv, CsvFormatOptions.Default with { FieldDelimiter = (byte)'|', IgnoreParseErrors = true }, 64, 10);
        Assert.Equal([["1", null, "x", "2024-01-01"], ["4", "1.25", "w", null]], rows);
    }

    [Fact]
    public void Char_columns_are_blank_padded_and_too_long_text_is_rejected()
    {
        var types = new[] { DataType.Char(4) };
        Assert.Equal([["ab  "]], ReadAll("ab\n"u8.ToArray(), CsvFormatOptions.Default, 64, 10, types));
        var e = Assert.Throws<TarnException>(() => ReadAll("abcde\n"u8.ToArray(), CsvFormatOptions.Default, 64, 10, types));
        Assert.Equal(SqlStates.InvalidTextRepresentation, e.SqlState);
    }

    [Theory]
    [InlineData("csv.field-delimiter", "ab")]
    [InlineData("csv.ignore-parse-errors", "maybe")]
    [InlineData("csv.no-such-option", "x")]
    public void Bad_format_options_are_rejected(string key, string value)
    {
        var e = Assert.Throws<TarnException>(() => CsvFormatOptions.From(new Dictionary<string, string> { [key] = value }));
        Assert.Equal(SqlStates.InvalidParameterValue, e.SqlState);
    }

    [Fact]
    public void Tab_delimiter_may_be_written_as_an_escape()
    {
        Assert.Equal((byte)'\t', CsvFormatOptions.From(new Dictionary<string, string> { ["csv.field-delimiter"] = "\\t" }).FieldDelimiter);
    }
}
