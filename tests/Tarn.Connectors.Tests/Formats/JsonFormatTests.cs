using System.Text.Json;
using CsCheck;
using Tarn.Connectors.Formats;
using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Connectors.Tests.Formats;

public class JsonFormatTests
{
    [Fact]
    public void Fields_fill_columns_by_name_with_flinks_conversions()
    {
        var kit = new FormatTestKit("json",
        [
            ("b", DataType.Boolean), ("i", DataType.Int), ("l", DataType.BigInt), ("d", DataType.Decimal(10, 2)), ("f", DataType.Double),
            ("s", DataType.String), ("day", DataType.Date), ("nested", DataType.String), ("bytes", DataType.Bytes), ("quoted", DataType.Int), ("Mixed", DataType.String),
        ]);
        kit.Decode("""{"i": 7, "b": true, "l": -9000000000, "d": 12.5, "f": 1e3, "s": "tab\tand \"quote\" \u00e9", "day": "2024-02-29", "nested": {"a": [1, 2]}, "bytes": "AQID", "quoted": "42", "mixed": "any case", "extra": {"ignored": true}}""");
        kit.Decode("""{"i": null}""");
        var rows = kit.Rows();
        Assert.Equal([true, 7, -9000000000L, 12.50m, 1000.0, "tab\tand \"quote\" é", new DateOnly(2024, 2, 29), """{"a": [1, 2]}""", new byte[] { 1, 2, 3 }, 42, "any case"], rows[0]);
        Assert.All(rows[1], Assert.Null);
        Assert.Equal([RowKind.Insert, RowKind.Insert], kit.Kinds);
    }

    [Fact]
    public void Timestamps_follow_the_timestamp_format_standard()
    {
        var micros = new DateTimeOffset(2024, 5, 1, 12, 30, 15, 250, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        Assert.Equal(micros, new FormatTestKit("json", [("ts", DataType.Timestamp(3))]).Decode("""{"ts": "2024-05-01 12:30:15.250"}""").Units());
        Assert.Equal(micros, new FormatTestKit("json", [("ts", DataType.TimestampLtz(3))]).Decode("""{"ts": "2024-05-01 12:30:15.250Z"}""").Units());
        Assert.Equal(micros, new FormatTestKit("json", [("ts", DataType.Timestamp(3))], ("timestamp-format.standard", "ISO-8601")).Decode("""{"ts": "2024-05-01T12:30:15.250"}""").Units());
        Assert.Equal(micros, new FormatTestKit("json", [("ts", DataType.TimestampLtz(3))], ("timestamp-format.standard", "ISO-8601")).Decode("""{"ts": "2024-05-01T12:30:15.250Z"}""").Units());
        var e = Assert.Throws<RowDecodeException>(() => new FormatTestKit("json", [("ts", DataType.Timestamp(3))]).Decode("""{"ts": "2024-05-01T12:30:15.250"}"""));
        Assert.Contains("field 'ts'", e.Message, StringComparison.Ordinal);
        Assert.Throws<RowDecodeException>(() => new FormatTestKit("json", [("ts", DataType.Timestamp(3))], ("timestamp-format.standard", "ISO-8601")).Decode("""{"ts": "2024-05-01 12:30:15"}"""));
        Assert.Equal("22023", Assert.Throws<TarnException>(() => new FormatTestKit("json", [("ts", DataType.Timestamp(3))], ("timestamp-format.standard", "RFC"))).SqlState);
    }

    [Fact]
    public void Parse_errors_skip_malformed_messages_and_null_bad_values_when_ignored()
    {
        var kit = new FormatTestKit("json", [("a", DataType.Int), ("b", DataType.String)], ("ignore-parse-errors", "true"));
        kit.Decode("""{"a": 1, "b": "x"}""").Decode("""{"a": 2, "b": """).Decode("[1, 2]").Decode("""{"a": "two", "b": "y"}""").Decode("""{"a": 3} trailing""").Decode(null);
        Assert.Equal([[1, "x"], [null, "y"]], kit.Rows());
        Assert.Equal(3, kit.Skipped);
        Assert.Throws<RowDecodeException>(() => new FormatTestKit("json", [("a", DataType.Int)]).Decode("""{"a": 1"""));
        Assert.Throws<RowDecodeException>(() => new FormatTestKit("json", [("a", DataType.Int)]).Decode("""{"a": 99999999999}"""));
        Assert.Throws<RowDecodeException>(() => new FormatTestKit("json", [("a", DataType.Int), ("b", DataType.Int)], ("fail-on-missing-field", "true")).Decode("""{"a": 1}"""));
        Assert.Equal("22023", Assert.Throws<TarnException>(() => new FormatTestKit("json", [("a", DataType.Int)], ("fail-on-missing-field", "true"), ("ignore-parse-errors", "true"))).SqlState);
        Assert.Equal("22023", Assert.Throws<TarnException>(() => new FormatTestKit("json", [("a", DataType.Int)], ("ignore-parse-error", "true"))).SqlState);
    }

    [Fact]
    public void Rows_written_as_json_read_back_unchanged()
    {
        var text = Gen.String["ab \"\\\t\néß中"].Select(s => s.Length > 30 ? s[..30] : s);
        var row = Gen.Select(Gen.Int.Nullable(), Gen.Long.Nullable(), text.Null(), Gen.Bool.Nullable(), Gen.Long[-999_999_999_999, 999_999_999_999].Nullable());
        Gen.Select(row.List[0, 20], Gen.Bool).Sample((rows, shuffleFields) =>
        {
            var kit = new FormatTestKit("json", [("i", DataType.Int), ("l", DataType.BigInt), ("s", DataType.String), ("b", DataType.Boolean), ("d", DataType.Decimal(18, 4))]);
            foreach (var (i, l, s, b, d) in rows)
            {
                var fields = new List<KeyValuePair<string, object?>>
                {
                    new("i", i), new("l", l), new("s", s), new("b", b), new("d", d is { } u ? u / 10_000m : null),
                };
                if (shuffleFields) fields.Reverse();
                kit.Decode(JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => f.Value)));
            }
            var expected = rows.Select(r => new object?[] { r.Item1, r.Item2, r.Item3, r.Item4, r.Item5 is { } u ? u / 10_000m : null }).ToList();
            Assert.Equal(expected, kit.Rows());
        });
    }
}
