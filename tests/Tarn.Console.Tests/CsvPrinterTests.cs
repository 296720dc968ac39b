using CsCheck;
using Tarn.Console.Printing;
using Tarn.Types;

namespace Tarn.Console.Tests;

public class CsvPrinterTests
{
    private static (string Out, string Messages) Print(TarnResult result)
    {
        var output = new StringWriter();
        var messages = new StringWriter();
        new CsvPrinter(output, messages).Print(result);
        return (output.ToString(), messages.ToString());
    }

    [Fact]
    public void Quotes_only_fields_that_need_it_and_writes_null_as_an_empty_field()
    {
        var result = Results.Strings(
            ["name", "note, with comma"],
            [["plain", "a,b"], ["say \"hi\"", null], ["", "line1\nline2"], ["cr\r", " spaced "]]);

        Assert.Equal(
            "name,\"note, with comma\"\n" +
            "plain,\"a,b\"\n" +
            "\"say \"\"hi\"\"\",\n" +
            "\"\",\"line1\nline2\"\n" +
            "\"cr\r\", spaced \n",
            Print(result).Out);
    }

    [Fact]
    public void Numbers_and_booleans_are_bare()
    {
        var result = Results.Columns(("n", DataType.Int, [1, null, -3]), ("b", DataType.Boolean, [true, false, null]));

        Assert.Equal("n,b\n1,TRUE\n,FALSE\n-3,\n", Print(result).Out);
    }

    [Fact]
    public void Statements_without_rows_write_nothing_to_stdout()
    {
        var (output, messages) = Print(TarnResult.Ok(StatementKind.Ddl, "Table created"));

        Assert.Equal("", output);
        Assert.Equal("Table created", messages.TrimEnd());
    }

    /// <summary>Any text without lone surrogates (UTF-8 storage cannot hold those), biased towards CSV's special characters.</summary>
    private static readonly Gen<string?> Field =
        Gen.OneOf(
                Gen.Char['\0', '\uD7FF'].Array[0, 12].Select(chars => new string(chars)),
                Gen.String["ab ,\"\r\n\t'x"])
            .Null(0.15);

    [Fact]
    public void Any_strings_round_trip_through_an_rfc4180_reader()
    {
        Gen.Select(Gen.Int[1, 4], Gen.Int[0, 6])
            .SelectMany((columns, rows) => Gen.Select(
                Gen.String["abc ,\"\n"].Array[columns],
                Field.Array[columns].Array[rows]))
            .Sample((names, rows) =>
            {
                var result = Results.SplitIntoBatches(Results.Strings(names, rows), 2);

                var records = Rfc4180.Parse(Print(result).Out);

                Assert.Equal(rows.Length + 1, records.Count);
                Assert.Equal(names, records[0]);
                for (var r = 0; r < rows.Length; r++) Assert.Equal(rows[r], records[r + 1]);
            });
    }
}
