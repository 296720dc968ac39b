using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Tarn.Execution.Formatting;
using Tarn.Execution.Text;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

public class FormatterTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.001, "0.001")]
    [InlineData(9999999.0, "9999999.0")]
    [InlineData(10000000.0, "1.0E7")]
    [InlineData(1.5e-7, "1.5E-7")]
    [InlineData(123456789012.0, "1.23456789012E11")]
    [InlineData(0.1, "0.1")]
    [InlineData(100.0, "100.0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(double.MaxValue, "1.7976931348623157E308")]
    [InlineData(4.9E-324, "4.9E-324")]
    public void Doubles_print_like_java(double value, string expected) => Assert.Equal(expected, NumberText.FormatDouble(value));

    [Fact]
    public void Floats_print_like_java()
    {
        Assert.Equal("0.1", NumberText.FormatFloat(0.1f));
        Assert.Equal("1.0E10", NumberText.FormatFloat(1e10f));
        Assert.Equal("3.4028235E38", NumberText.FormatFloat(float.MaxValue));
    }

    [Fact]
    public void Values_format_as_the_flink_sql_client_prints_them()
    {
        string? F(DataType t, object? v) => ValueFormatter.FormatPhysical(t, v);
        Assert.Null(F(DataType.Int, null));
        Assert.Equal("TRUE", F(DataType.Boolean, true));
        Assert.Equal("-42", F(DataType.Int, -42));
        Assert.Equal("1.50", F(DataType.Decimal(5, 2), 150L));
        Assert.Equal("-0.05", F(DataType.Decimal(5, 2), -5L));
        Assert.Equal("12345678901234567890.12", F(DataType.Decimal(30, 2), Int128.Parse("1234567890123456789012", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("2024-01-31", F(DataType.Date, 19753));
        Assert.Equal("1969-12-31", F(DataType.Date, -1));
        var ts = 1_704_103_200_123_456L; // 2024-01-01 10:00:00.123456
        Assert.Equal("2024-01-01 10:00:00.123456", F(DataType.Timestamp(6), ts));
        Assert.Equal("2024-01-01 10:00:00.000", F(DataType.Timestamp(3), 1_704_103_200_000_000L));
        Assert.Equal("2024-01-01 10:00:00", F(DataType.Timestamp(0), 1_704_103_200_000_000L));
        Assert.Equal("1969-12-31 23:59:59.999999", F(DataType.Timestamp(6), -1L));
        Assert.Equal("2024-01-01 10:00:00.123456789", F(DataType.Timestamp(9), 1_704_103_200_123_456_789L));
        Assert.Equal("10:00:00.5", F(DataType.Time(1), 36_000_500_000L));
        Assert.Equal("x'0aff'", F(DataType.Bytes, new byte[] { 0x0a, 0xff }));
        Assert.Equal("+1 02:03:04.000", F(new DataType(TypeKind.IntervalDayTime), ((26 * 60 + 3) * 60 + 4) * 1_000_000L));
        Assert.Equal("+1-02", F(new DataType(TypeKind.IntervalYearMonth), 14));
        var zone = TimeZoneInfo.CreateCustomTimeZone("m5", TimeSpan.FromHours(-5), "m5", "m5");
        Assert.Equal("2024-01-01 05:00:00.000", ValueFormatter.FormatPhysical(DataType.TimestampLtz(3), 1_704_103_200_000_000L, zone));
    }

    [Fact]
    public void Dictionary_vectors_format_their_values()
    {
        var dict = new BinaryVector(DataType.String, 2);
        dict.Append("a");
        dict.Append("b");
        var v = new DictionaryVector(dict, [1, 0, 999], 3, [0, 0, 1]);
        Assert.Equal("b", ValueFormatter.Format(v, 0));
        Assert.Equal("a", ValueFormatter.Format(v, 1));
        Assert.Null(ValueFormatter.Format(v, 2));
    }

    [Fact]
    public void Like_matches_a_regex_reference()
    {
        var chars = Gen.OneOf('a', 'b', 'é', '%', '_', '\\');
        Gen.Select(chars.Array[0, 8], chars.Array[0, 8], Gen.Bool).Sample((p, s, useEscape) =>
        {
            var pattern = new string(p);
            var text = new string(s).Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
            var escape = useEscape ? "\\" : null;
            var regex = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (escape is not null && c == '\\')
                {
                    if (i + 1 >= pattern.Length)
                    {
                        Assert.Equal(Expressions.EvalErrors.InvalidEscapeSequence, Assert.Throws<TarnException>(() => Expressions.LikePattern.Compile(pattern, escape)).SqlState);
                        return;
                    }
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                }
                else regex.Append(c == '%' ? ".*" : c == '_' ? "." : Regex.Escape(c.ToString()));
            }
            regex.Append('$');
            var expected = Regex.IsMatch(text, regex.ToString(), RegexOptions.Singleline);
            var like = Expressions.LikePattern.Compile(pattern, escape);
            Assert.True(expected == like.Matches(Encoding.UTF8.GetBytes(text)), $"'{text}' LIKE '{pattern}' should be {expected}");
        }, iter: PropertySettings.Iter(3000));
    }

    [Fact]
    public void Java_date_patterns_format_and_parse_back()
    {
        string[] patterns = ["yyyy-MM-dd HH:mm:ss.SSSSSS", "yyyyMMddHHmmssSSSSSS", "dd MMM yyyy hh:mm:ss.SSSSSS a", "EEE, d MMMM yyyy 'at' HH:mm:ss.SSSSSS", "yyyy-DDD HH:mm:ss.SSSSSS"];
        Gen.Select(Gen.Long[-30_000_000_000_000_000L, 200_000_000_000_000_000L], Gen.Int[0, patterns.Length - 1]).Sample((micros, p) =>
        {
            var f = JavaDateFormat.Compile(patterns[p]);
            var text = f.Format(micros);
            Assert.True(f.TryParse(text, out var back), $"{patterns[p]}: cannot parse '{text}'");
            Assert.Equal(micros, back);
        }, iter: PropertySettings.Iter(2000));
    }
}
