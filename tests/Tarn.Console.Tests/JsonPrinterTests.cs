using System.Text.Json;
using CsCheck;
using Tarn.Console.Printing;
using Tarn.Types;

namespace Tarn.Console.Tests;

public class JsonPrinterTests
{
    private static (string Out, string Messages) Print(TarnResult result)
    {
        var output = new StringWriter();
        var messages = new StringWriter();
        new JsonPrinter(output, messages).Print(result);
        return (output.ToString(), messages.ToString());
    }

    [Fact]
    public void Writes_an_array_of_objects_with_typed_values()
    {
        var result = Results.Columns(
            ("id", DataType.BigInt, [1L, null]),
            ("price", DataType.Decimal(10, 2), [12.5m, -0.01m]),
            ("ratio", DataType.Double, [0.25, double.NaN]),
            ("ok", DataType.Boolean, [true, false]),
            ("name", DataType.String, ["a \"quoted\"\n\u00e9\u0001", null]),
            ("day", DataType.Date, [new DateOnly(2024, 5, 6), null]));

        var text = Print(result).Out;
        using var json = JsonDocument.Parse(text);
        var rows = json.RootElement.EnumerateArray().ToArray();

        Assert.Equal(2, rows.Length);
        Assert.Equal(1, rows[0].GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("id").ValueKind);
        Assert.Equal(12.50m, rows[0].GetProperty("price").GetDecimal());
        Assert.Equal(JsonValueKind.Number, rows[1].GetProperty("price").ValueKind);
        Assert.Equal(0.25, rows[0].GetProperty("ratio").GetDouble());
        Assert.Equal("NaN", rows[1].GetProperty("ratio").GetString());
        Assert.True(rows[0].GetProperty("ok").GetBoolean());
        Assert.False(rows[1].GetProperty("ok").GetBoolean());
        Assert.Equal("a \"quoted\"\n\u00e9\u0001", rows[0].GetProperty("name").GetString());
        Assert.Equal("2024-05-06", rows[0].GetProperty("day").GetString());
        Assert.Contains("\u00e9", text); // readable UTF-8, not \u00e9 escapes
        Assert.Equal(2, text.Count(ch => ch == '\n'));
    }

    [Fact]
    public void Empty_results_are_an_empty_array_and_status_goes_to_messages()
    {
        Assert.Equal("[]\n", Print(Results.Strings(["a"], [])).Out);

        var (output, messages) = Print(TarnResult.Ok(StatementKind.Ddl, "Table created"));
        Assert.Equal("", output);
        Assert.Equal("Table created", messages.TrimEnd());
    }

    [Fact]
    public void Any_strings_and_numbers_produce_valid_json_that_reads_back()
    {
        var text = Gen.Char['\0', '\uD7FF'].Array[0, 10].Select(chars => new string(chars)).Null(0.2);
        Gen.Select(text.Array[0, 5], Gen.Long.Array[5], Gen.Double.Array[5])
            .Sample((strings, longs, doubles) =>
            {
                var n = strings.Length;
                var result = Results.Columns(
                    ("s", DataType.String, strings.Cast<object?>().ToArray()),
                    ("l", DataType.BigInt, longs.Take(n).Cast<object?>().ToArray()),
                    ("d", DataType.Double, doubles.Take(n).Cast<object?>().ToArray()));

                using var json = JsonDocument.Parse(Print(result).Out);
                var rows = json.RootElement.EnumerateArray().ToArray();

                Assert.Equal(n, rows.Length);
                for (var i = 0; i < n; i++)
                {
                    var s = rows[i].GetProperty("s");
                    Assert.Equal(strings[i], s.ValueKind == JsonValueKind.Null ? null : s.GetString());
                    Assert.Equal(longs[i], rows[i].GetProperty("l").GetInt64());
                    var d = rows[i].GetProperty("d");
                    if (double.IsFinite(doubles[i])) Assert.Equal(doubles[i], d.GetDouble());
                    else Assert.Equal(JsonValueKind.String, d.ValueKind);
                }
            });
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-12.50", true)]
    [InlineData("1E+20", true)]
    [InlineData("1e-7", true)]
    [InlineData("NaN", false)]
    [InlineData("-Infinity", false)]
    [InlineData("01", false)]
    [InlineData("1.", false)]
    [InlineData("", false)]
    [InlineData("-", false)]
    public void Recognizes_json_numbers(string text, bool expected) =>
        Assert.Equal(expected, JsonPrinter.IsJsonNumber(text));
}
