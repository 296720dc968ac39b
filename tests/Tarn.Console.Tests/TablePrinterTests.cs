using Tarn.Console.Printing;
using Tarn.Types;

namespace Tarn.Console.Tests;

public class TablePrinterTests
{
    private static string Print(TarnResult result)
    {
        var output = new StringWriter();
        new TablePrinter(output).Print(result);
        return output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    [Fact]
    public void Aligns_columns_right_aligns_numbers_and_shows_null()
    {
        var result = Results.Columns(
            ("id", DataType.BigInt, [1L, 22L, null]),
            ("name", DataType.String, ["ann", null, "bartholomew"]),
            ("score", DataType.Double, [2.5, 10.0, -0.125]));

        Assert.Equal(
            """
               id | name        |  score
            ------+-------------+--------
                1 | ann         |    2.5
               22 | NULL        |   10.0
             NULL | bartholomew | -0.125
            (3 rows)

            """,
            Print(result));
    }

    [Fact]
    public void Singular_footer_and_empty_results()
    {
        Assert.EndsWith("(1 row)\n", Print(Results.Strings(["a"], [["x"]])), StringComparison.Ordinal);
        Assert.Equal(" a\n---\n(0 rows)\n", Print(Results.Strings(["a"], [])));
    }

    [Fact]
    public void Statements_without_rows_print_their_status()
    {
        Assert.Equal("Table created\n", Print(TarnResult.Ok(StatementKind.Ddl, "Table created")));
        Assert.Equal("3 rows affected\n", Print(new TarnResult(StatementKind.Insert, [], [], rowsAffected: 3)));
        Assert.Equal("1 row affected\n", Print(new TarnResult(StatementKind.Delete, [], [], rowsAffected: 1)));
    }

    [Fact]
    public void Multi_line_values_stay_inside_their_column_and_controls_are_neutralized()
    {
        var text = Print(Results.Strings(["plan", "k"], [["Scan\n  Filter", "\u001b[31mred"]]));

        Assert.Equal(
            """
             plan     | k
            ----------+----------
             Scan     | \uFFFD[31mred
               Filter |
            (1 row)

            """.Replace("\\uFFFD", "\uFFFD", StringComparison.Ordinal),
            text);
        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void Wide_characters_count_two_columns()
    {
        var text = Print(Results.Strings(["w", "z"], [["日本", "1"], ["abcd", "2"]]));

        Assert.Contains(" 日本 | 1\n", text, StringComparison.Ordinal);
        Assert.Contains(" abcd | 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_every_batch()
    {
        var rows = Enumerable.Range(0, 10).Select(i => new string?[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList();
        var text = Print(Results.SplitIntoBatches(Results.Strings(["n"], rows), 3));

        Assert.EndsWith(" 9\n(10 rows)\n", text, StringComparison.Ordinal);
        for (var i = 0; i < 10; i++) Assert.Contains($" {i}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Formats_values_of_each_type()
    {
        var result = Results.Columns(
            ("b", DataType.Boolean, [true]),
            ("d", DataType.Date, [new DateOnly(2024, 2, 29)]),
            ("ts", DataType.Timestamp(3), [new DateTime(2024, 1, 2, 3, 4, 5, 678)]),
            ("m", DataType.Decimal(10, 2), [12.5m]),
            ("bin", DataType.Bytes, [new byte[] { 0xDE, 0xAD }]));

        var line = Print(result).Split('\n')[2];

        Assert.Equal(" TRUE | 2024-02-29 | 2024-01-02 03:04:05.678 | 12.50 | x'dead'", line);
    }
}
