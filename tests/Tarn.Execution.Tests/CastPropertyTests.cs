using System.Globalization;
using System.Numerics;
using CsCheck;
using Tarn.Planner.Expressions;
using Tarn.Types;
using static Tarn.Execution.Tests.Eval;

namespace Tarn.Execution.Tests;

/// <summary>Casts both ways: text round trips, range checks against exact arithmetic, parse errors.</summary>
public class CastPropertyTests
{
    private static BoundExpression Lit(object value, DataType type) => new BoundLiteral(value, type.WithNullable(false));

    [Fact]
    public void Integers_round_trip_through_text_and_narrowing_is_range_checked()
    {
        Gen.Long.Sample(v =>
        {
            var text = (string)Value(Cast(Lit(v, DataType.BigInt), DataType.String))!;
            Assert.Equal(v.ToString(CultureInfo.InvariantCulture), text);
            Assert.Equal(v, Value(Cast(Str(text), DataType.BigInt)));
            foreach (var (type, min, max) in new[] { (DataType.Int, (long)int.MinValue, (long)int.MaxValue), (DataType.SmallInt, short.MinValue, short.MaxValue), (DataType.TinyInt, sbyte.MinValue, sbyte.MaxValue) })
            {
                if (v >= min && v <= max) Assert.Equal(v, Convert.ToInt64(Value(Cast(Lit(v, DataType.BigInt), type)), CultureInfo.InvariantCulture));
                else
                {
                    Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(Cast(Lit(v, DataType.BigInt), type))));
                    Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(Cast(Str(text), type))));
                    Assert.Null(Value(Cast(Str(text), type, CastMode.Try)));
                }
            }
        }, iter: PropertySettings.Iter(2000));
    }

    [Fact]
    public void Doubles_round_trip_through_their_shortest_text()
    {
        Gen.Double.Sample(d =>
        {
            var text = (string)Value(Cast(Lit(d, DataType.Double), DataType.String))!;
            var back = (double)Value(Cast(Str(text), DataType.Double))!;
            Assert.True(back.Equals(d), $"{d:R} -> {text} -> {back:R}");
            if (double.IsFinite(d) && d != 0)
            {
                var abs = Math.Abs(d);
                Assert.Equal(abs >= 1e-3 && abs < 1e7, !text.Contains('E', StringComparison.Ordinal));
                Assert.Contains('.', text);
            }
        }, iter: PropertySettings.Iter(3000));
    }

    [Fact]
    public void Decimals_round_trip_and_rescale_half_up()
    {
        Gen.Select(Gen.Long[-999_999_999_999, 999_999_999_999], Gen.Int[0, 6], Gen.Int[0, 6]).Sample((unscaled, scale, newScale) =>
        {
            var type = DataType.Decimal(18, scale);
            var text = (string)Value(Cast(Lit(unscaled, type), DataType.String))!;
            var exact = new decimal(unscaled) / (decimal)Math.Pow(10, scale);
            Assert.Equal(exact.ToString("F" + scale, CultureInfo.InvariantCulture), text);
            Assert.Equal(unscaled, Value(Cast(Str(text), type)));
            var target = DataType.Decimal(18, newScale);
            var expected = Math.Round(exact, newScale, MidpointRounding.AwayFromZero) * (decimal)Math.Pow(10, newScale);
            Assert.Equal((long)expected, Value(Cast(Lit(unscaled, type), target)));
            var wide = DataType.Decimal(30, newScale);
            Assert.Equal((Int128)(long)expected, Value(Cast(Lit(unscaled, type), wide)));
            var narrow = DataType.Decimal(6, newScale);
            if (Math.Abs(expected) < 1_000_000) Assert.Equal((long)expected, Value(Cast(Lit(unscaled, type), narrow)));
            else Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(Cast(Lit(unscaled, type), narrow))));
            Assert.Equal((long)Math.Truncate(exact), Value(Cast(Lit(unscaled, type), DataType.BigInt)));
        }, iter: PropertySettings.Iter(2000));
    }

    [Fact]
    public void Dates_and_timestamps_round_trip_through_text()
    {
        Gen.Select(Gen.Int[-700_000, 2_900_000], Gen.Long[0, 86_400_000_000L - 1], Gen.Int[0, 9]).Sample((days, micros, precision) =>
        {
            var dateText = (string)Value(Cast(Lit(days, DataType.Date), DataType.String))!;
            Assert.Equal(days, Value(Cast(Str(dateText), DataType.Date)));
            if (days is >= -719162 and <= 2932896)
                Assert.Equal(DateOnly.FromDayNumber(719162 + days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), dateText);
            var type = DataType.Timestamp(precision);
            var d = Math.Clamp(days, -100_000, 100_000); // nanosecond timestamps cover ±292 years
            var units = precision > 6 ? (d * 86_400_000_000L + micros) * 1000 + micros % 1000 : d * 86_400_000_000L + micros;
            units = ValueConverter.TruncateToPrecision(units, type);
            var text = (string)Value(Cast(Lit(units, type), DataType.String))!;
            Assert.Equal(units, Value(Cast(Str(text), type)));
            var fraction = text.Contains('.', StringComparison.Ordinal) ? text[(text.IndexOf('.', StringComparison.Ordinal) + 1)..] : "";
            Assert.True(fraction.Length == precision, $"{text} should show {precision} fractional digits");
        }, iter: PropertySettings.Iter(2000));
    }

    [Fact]
    public void Garbage_text_is_rejected_with_22P02_naming_the_value()
    {
        // Anything that reads as a number (".9", "-1.") is a valid DECIMAL and, truncated, a valid INT (as in Flink), so only non-numbers are garbage.
        Gen.String.Where(s => !decimal.TryParse(s.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
                              && !BigInteger.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) && !s.Any(char.IsSurrogate))
            .Sample(s =>
            {
                foreach (var t in new[] { DataType.Int, DataType.BigInt, DataType.Decimal(10, 2), DataType.Date })
                {
                    var ex = Assert.Throws<TarnException>(() => Value(Cast(Str(s), t)));
                    Assert.Equal(SqlStates.InvalidTextRepresentation, ex.SqlState);
                    Assert.Contains(s, ex.Message, StringComparison.Ordinal);
                    Assert.Null(Value(Cast(Str(s), t, CastMode.Try)));
                }
            }, iter: PropertySettings.Iter(1000));
    }

    [Fact]
    public void Booleans_and_integers_convert()
    {
        Assert.Equal(1, Value(Cast(BoundLiteral.Of(true), DataType.Int)));
        Assert.Equal(false, Value(Cast(Int(0), DataType.Boolean)));
        Assert.Equal(true, Value(Cast(Int(-5), DataType.Boolean)));
        Assert.Equal("FALSE", Value(Cast(BoundLiteral.Of(false), DataType.String)));
        Assert.Equal(false, Value(Cast(Str(" F "), DataType.Boolean)));
        Assert.Equal(SqlStates.InvalidTextRepresentation, SqlStateOf(() => Value(Cast(Str("maybe"), DataType.Boolean))));
    }

    [Fact]
    public void Cast_rules_by_context()
    {
        Assert.True(CastRules.CanCastImplicitly(DataType.Int, DataType.BigInt));
        Assert.False(CastRules.CanCastImplicitly(DataType.BigInt, DataType.Int));
        Assert.True(CastRules.CanAssign(DataType.BigInt, DataType.Int));
        Assert.True(CastRules.CanAssign(DataType.String, DataType.Int));
        Assert.True(CastRules.CanAssign(DataType.Date, DataType.String));
        Assert.False(CastRules.CanAssign(DataType.Date, DataType.Int));
        Assert.False(CastRules.CanAssign(DataType.Boolean, DataType.Date));
        Assert.True(CastRules.CanCastExplicitly(DataType.String, DataType.Int));
        Assert.True(CastRules.CanCastImplicitly(DataType.Int, DataType.Decimal(10, 0)));
        Assert.False(CastRules.CanCastImplicitly(DataType.Int, DataType.Decimal(9, 0)));
        Assert.True(CastRules.CanCastImplicitly(DataType.Date, DataType.Timestamp(3)));
        Assert.False(CastRules.CanCastExplicitly(DataType.Date, DataType.Int));
        Assert.Equal(SqlStates.DatatypeMismatch, Assert.Throws<TarnException>(() => BoundExpressions.Cast(Lit(true, DataType.Boolean), DataType.Date, CastMode.Assignment)).SqlState);
        Assert.Equal(SqlStates.InvalidTextRepresentation, SqlStateOf(() => Value(Cast(Str("x"), DataType.Int, CastMode.Assignment))));
    }
}
