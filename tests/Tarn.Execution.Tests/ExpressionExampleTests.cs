using Tarn.Planner.Expressions;
using Tarn.Types;
using static Tarn.Execution.Tests.Eval;

namespace Tarn.Execution.Tests;

public class ExpressionExampleTests
{
    [Fact]
    public void Integer_arithmetic_follows_flink_and_checks_overflow()
    {
        Assert.Equal(2, Value(BoundExpressions.Arithmetic(ArithmeticOperator.Divide, Int(7), Int(3))));
        Assert.Equal(-2, Value(BoundExpressions.Arithmetic(ArithmeticOperator.Divide, Int(-7), Int(3))));
        Assert.Equal(-1, Value(BoundExpressions.Arithmetic(ArithmeticOperator.Modulo, Int(-7), Int(3))));
        Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(BoundExpressions.Arithmetic(ArithmeticOperator.Add, Int(int.MaxValue), Int(1)))));
        Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(BoundExpressions.Arithmetic(ArithmeticOperator.Divide, Long(long.MinValue), Long(-1)))));
        Assert.Equal(SqlStates.DivisionByZero, SqlStateOf(() => Value(BoundExpressions.Arithmetic(ArithmeticOperator.Divide, Int(1), Int(0)))));
        Assert.Equal(SqlStates.DivisionByZero, SqlStateOf(() => Value(BoundExpressions.Arithmetic(ArithmeticOperator.Divide, Dbl(1), Dbl(0)))));
        Assert.Equal(5L, Value(BoundExpressions.Arithmetic(ArithmeticOperator.Add, Int(2), Long(3))));
        Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(BoundExpressions.Negate(Int(int.MinValue)))));
    }

    [Fact]
    public void Decimal_arithmetic_types_and_values()
    {
        var a = Dec(1050, 5, 2);   // 10.50
        var b = Dec(300, 4, 2);    // 3.00
        var sum = BoundExpressions.Arithmetic(ArithmeticOperator.Add, a, b);
        Assert.Equal(DataType.Decimal(6, 2), sum.Type.WithNullable(true));
        Assert.Equal("13.50", Display(sum));
        var product = BoundExpressions.Arithmetic(ArithmeticOperator.Multiply, a, b);
        Assert.Equal(DataType.Decimal(10, 4), product.Type.WithNullable(true));
        Assert.Equal("31.5000", Display(product));
        var quotient = BoundExpressions.Arithmetic(ArithmeticOperator.Divide, a, b);
        Assert.Equal(DataType.Decimal(12, 7), quotient.Type.WithNullable(true));
        Assert.Equal("3.5000000", Display(quotient));
        Assert.Equal("3.3333333", Display(BoundExpressions.Arithmetic(ArithmeticOperator.Divide, Dec(1000, 5, 2), b)));
        Assert.Equal("6.6666667", Display(BoundExpressions.Arithmetic(ArithmeticOperator.Divide, Dec(2000, 5, 2), b)));
        Assert.Equal("1.50", Display(BoundExpressions.Arithmetic(ArithmeticOperator.Modulo, a, b)));
        Assert.Equal("12.50", Display(BoundExpressions.Arithmetic(ArithmeticOperator.Add, a, Int(2))));
        Assert.Equal(SqlStates.DivisionByZero, SqlStateOf(() => Value(BoundExpressions.Arithmetic(ArithmeticOperator.Divide, a, Dec(0, 4, 2)))));
    }

    [Fact]
    public void Casts_between_text_and_values()
    {
        Assert.Equal(42, Value(Cast(Str(" 42 "), DataType.Int)));
        Assert.Equal(12, Value(Cast(Str("12.7"), DataType.Int)));
        Assert.Equal(SqlStates.InvalidTextRepresentation, SqlStateOf(() => Value(Cast(Str("abc"), DataType.Int))));
        var ex = Assert.Throws<TarnException>(() => Value(Cast(Str("abc"), DataType.Int)));
        Assert.Contains("'abc'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(Cast(Str("3000000000"), DataType.Int))));
        Assert.Null(Value(Cast(Str("abc"), DataType.Int, CastMode.Try)));
        Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(Cast(Long(300), DataType.TinyInt))));
        Assert.Equal((sbyte)3, Value(Cast(Dbl(3.99), DataType.TinyInt)));
        Assert.Equal("1.01", Display(Cast(Dbl(1.005), DataType.Decimal(5, 2))));
        Assert.Equal("-2.5", Display(Cast(Dec(-250, 5, 2), DataType.Double)));
        Assert.Equal("12.35", Display(Cast(Str("12.345"), DataType.Decimal(5, 2))));
        Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(Cast(Str("1234.5"), DataType.Decimal(5, 2)))));
        Assert.Equal("TRUE", Display(Cast(Str("yes"), DataType.Boolean)));
        Assert.Equal("TRUE", Value(Cast(BoundLiteral.Of(true), DataType.String)));
        Assert.Equal("1.0E7", Value(Cast(Dbl(1e7), DataType.String)));
        Assert.Equal("0.001", Value(Cast(Dbl(0.001), DataType.String)));
        Assert.Equal("1.0E-4", Value(Cast(Dbl(0.0001), DataType.String)));
        Assert.Equal("123.456", Value(Cast(Dbl(123.456), DataType.String)));
        Assert.Equal("2024-02-29", Display(Cast(Str("2024-2-29"), DataType.Date)));
        Assert.Equal(SqlStates.InvalidTextRepresentation, SqlStateOf(() => Value(Cast(Str("2023-02-29"), DataType.Date))));
        Assert.Equal("2024-01-02 03:04:05.120", Display(Cast(Str("2024-01-02T03:04:05.12"), DataType.Timestamp(3))));
        Assert.Equal("2024-01-02 03:04:05", Display(Cast(Str("2024-01-02 03:04:05.999"), DataType.Timestamp(0))));
        Assert.Equal("2024-01-02", Display(Cast(Cast(Str("2024-01-02 23:59:59"), DataType.Timestamp(6)), DataType.Date)));
        Assert.Equal("abc", Value(Cast(Str("abcdef"), DataType.Varchar(3))));
        Assert.Equal("ab  ", Value(Cast(Str("ab"), DataType.Char(4))));
        Assert.Equal(SqlStates.StringDataRightTruncation, SqlStateOf(() => Value(Cast(Str("abcdef"), DataType.Varchar(3), CastMode.Assignment))));
        Assert.Equal("ab", Value(Cast(Str("ab   "), DataType.Varchar(2), CastMode.Assignment)));
    }

    [Fact]
    public void Three_valued_logic()
    {
        var n = BoundLiteral.Null(DataType.Boolean);
        var t = BoundLiteral.Of(true);
        var f = BoundLiteral.Of(false);
        Assert.Equal(false, Value(BoundExpressions.And(n, f)));
        Assert.Null(Value(BoundExpressions.And(n, t)));
        Assert.Equal(true, Value(BoundExpressions.Or(n, t)));
        Assert.Null(Value(BoundExpressions.Or(n, f)));
        Assert.Null(Value(BoundExpressions.Not(n)));
        Assert.Equal(false, Value(BoundExpressions.IsTruth(n, true)));
        Assert.Equal(true, Value(BoundExpressions.IsTruth(n, false, negated: true)));
        Assert.Null(Value(BoundExpressions.In(Int(1), [Int(2), BoundLiteral.Null(DataType.Int)])));
        Assert.Equal(true, Value(BoundExpressions.In(Int(2), [Int(2), BoundLiteral.Null(DataType.Int)])));
        Assert.Equal(true, Value(BoundExpressions.Compare(ComparisonOperator.IsNotDistinctFrom, BoundLiteral.Null(DataType.Int), BoundLiteral.Null(DataType.Int))));
    }

    [Fact]
    public void Case_only_evaluates_the_arms_it_needs()
    {
        var types = new[] { DataType.Int, DataType.Int };
        var rows = new List<object?[]> { new object?[] { 10, 2 }, new object?[] { 10, 0 }, new object?[] { null, 0 } };
        var a = BoundExpressions.Column(0, DataType.Int);
        var b = BoundExpressions.Column(1, DataType.Int);
        var e = BoundExpressions.Case([new BoundWhen(BoundExpressions.Compare(ComparisonOperator.Equal, b, Int(0)), BoundLiteral.Null(DataType.Int))],
            BoundExpressions.Arithmetic(ArithmeticOperator.Divide, a, b));
        Assert.Equal(new object?[] { 5, null, null }, Column(e, types, rows));
        var c = BoundExpressions.Coalesce([a, BoundExpressions.Arithmetic(ArithmeticOperator.Divide, Int(1), b)]);
        Assert.Equal(SqlStates.DivisionByZero, SqlStateOf(() => Column(c, types, rows)));
        Assert.Equal(new object?[] { 10, 10 }, Column(c, types, rows.Take(2).ToList()));
    }

    [Fact]
    public void String_functions()
    {
        Assert.Equal("HÉLLO", Value(Call("UPPER", Str("héllo"))));
        Assert.Equal(5, Value(Call("CHAR_LENGTH", Str("héllo"))));
        Assert.Equal("él", Value(Call("SUBSTRING", Str("héllo"), Int(2), Int(2))));
        Assert.Equal("lo", Value(Call("SUBSTRING", Str("héllo"), Int(-2))));
        Assert.Equal("", Value(Call("SUBSTRING", Str("abc"), Int(5))));
        Assert.Null(Value(Call("SUBSTRING", Str("abc"), Int(1), Int(-1))));
        Assert.Equal("x", Value(Call("TRIM", Str("  x  "))));
        Assert.Equal("x  ", Value(Call("LTRIM", Str("  x  "))));
        Assert.Equal("x", Value(Call("TRIM", Str("abxba"), Str("ab"))));
        Assert.Equal("abc", Value(Call("CONCAT", Str("a"), Str("b"), Str("c"))));
        Assert.Null(Value(Call("CONCAT", Str("a"), BoundLiteral.Null(DataType.String))));
        Assert.Equal("a-c", Value(Call("CONCAT_WS", Str("-"), Str("a"), BoundLiteral.Null(DataType.String), Str("c"))));
        Assert.Equal("xbxb", Value(Call("REPLACE", Str("abab"), Str("a"), Str("x"))));
        Assert.Equal(3, Value(Call("POSITION", Str("l"), Str("héllo"))));
        Assert.Equal(0, Value(Call("POSITION", Str("z"), Str("hello"))));
        Assert.Equal("900150983cd24fb0d6963f7d28e17f72", Value(Call("MD5", Str("abc"))));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Value(Call("SHA256", Str("abc"))));
        Assert.Equal(96354, Value(Call("HASH_CODE", Str("abc"))));
        Assert.Equal(true, Value(BoundExpressions.Like(Str("héllo"), Str("h_llo"))));
        Assert.Equal(true, Value(BoundExpressions.Like(Str("a%b"), Str("a!%b"), Str("!"))));
        Assert.Equal(false, Value(BoundExpressions.Like(Str("axb"), Str("a!%b"), Str("!"))));
        Assert.Equal("ab", Value(BoundExpressions.Concat(Str("a"), Str("b"))));
    }

    [Fact]
    public void Numeric_functions()
    {
        Assert.Equal(3, Value(Call("ABS", Int(-3))));
        Assert.Equal(SqlStates.NumericValueOutOfRange, SqlStateOf(() => Value(Call("ABS", Int(int.MinValue)))));
        Assert.Equal("1.01", Display(Call("ROUND", Dbl(1.005), Int(2))));
        Assert.Equal("3.0", Display(Call("ROUND", Dbl(2.5))));
        Assert.Equal("-3.0", Display(Call("ROUND", Dbl(-2.5))));
        Assert.Equal(1300, Value(Call("ROUND", Int(1250), Int(-2))));
        Assert.Equal(-1200, Value(Call("ROUND", Int(-1249), Int(-2))));
        Assert.Equal("12.35", Display(Call("ROUND", Dec(123456, 6, 4), Int(2))));
        Assert.Equal("-2", Display(Call("FLOOR", Dec(-150, 5, 2))));
        Assert.Equal("2", Display(Call("CEIL", Dec(101, 5, 2))));
        Assert.Equal(-2.0, Value(Call("FLOOR", Dbl(-1.5))));
        Assert.Equal(8.0, Value(Call("POWER", Int(2), Int(3))));
        Assert.Equal(3.0, Value(Call("SQRT", Int(9))));
        Assert.Equal(2.0, Value(Call("LOG10", Int(100))));
        Assert.Equal(1, Value(BoundExpressions.Call("MOD", Int(7), Int(3))));
        Assert.Equal(-1, Value(Call("SIGN", Int(-5))));
        Assert.Equal(7L, Value(Call("GREATEST", Int(3), Long(7), Int(5))));
        Assert.Null(Value(Call("GREATEST", Int(3), BoundLiteral.Null(DataType.Int))));
        Assert.Equal("a", Value(Call("LEAST", Str("b"), Str("a"))));
        Assert.Null(Value(Call("NULLIF", Int(3), Int(3))));
        Assert.Equal(3, Value(Call("NULLIF", Int(3), Int(4))));
        Assert.Equal("y", Value(Call("IF", BoundLiteral.Of(false), Str("x"), Str("y"))));
    }

    [Fact]
    public void Temporal_functions()
    {
        var ts = Cast(Str("2024-03-15 13:45:30.123456"), DataType.Timestamp(6));
        Assert.Equal(2024L, Value(Call("YEAR", ts)));
        Assert.Equal(1L, Value(Call("QUARTER", ts)));
        Assert.Equal(3L, Value(Call("MONTH", ts)));
        Assert.Equal(15L, Value(Call("DAYOFMONTH", ts)));
        Assert.Equal(13L, Value(Call("HOUR", ts)));
        Assert.Equal(45L, Value(Call("MINUTE", ts)));
        Assert.Equal(30L, Value(Call("SECOND", ts)));
        Assert.Equal(30123L, Value(Call("EXTRACT", Str("MILLISECOND"), ts)));
        Assert.Equal(6L, Value(Call("EXTRACT", Str("DOW"), ts)));
        Assert.Equal(11L, Value(Call("EXTRACT", Str("WEEK"), ts)));
        Assert.Equal("2024-03-15 13", Value(Call("DATE_FORMAT", ts, Str("yyyy-MM-dd HH"))));
        Assert.Equal("15 Mar 2024, 01:45 PM", Value(Call("DATE_FORMAT", ts, Str("dd MMM yyyy, hh:mm a"))));
        Assert.Equal("2024-03-01 00:00:00.000000", Display(Call("FLOOR", ts, Str("MONTH"))));
        Assert.Equal("2024-04-01 00:00:00.000000", Display(Call("CEIL", ts, Str("MONTH"))));
        Assert.Equal("2024-03-11 00:00:00.000000", Display(Call("FLOOR", ts, Str("WEEK"))));
        Assert.Equal("2024-03-15 14:00:00.000000", Display(Call("CEIL", ts, Str("HOUR"))));
        Assert.Equal("2024-03-15 13:45:30.000", Display(Call("TO_TIMESTAMP", Str("2024-03-15 13:45:30"))));
        Assert.Equal("2024-03-15 13:45:00.000", Display(Call("TO_TIMESTAMP", Str("15/03/2024 13:45"), Str("dd/MM/yyyy HH:mm"))));
        Assert.Null(Value(Call("TO_TIMESTAMP", Str("garbage"))));
        Assert.Equal("2024-03-15", Display(Call("TO_DATE", Str("20240315"), Str("yyyyMMdd"))));
        Assert.Equal("2024-05-06 07:08:09.123", Display(Call("CURRENT_TIMESTAMP")));
        Assert.Equal("2024-05-06", Display(Call("CURRENT_DATE")));
        var plusMonth = BoundExpressions.Arithmetic(ArithmeticOperator.Add, Cast(Str("2024-01-31"), DataType.Date), new BoundLiteral(1, new DataType(TypeKind.IntervalYearMonth)));
        Assert.Equal("2024-02-29", Display(plusMonth));
        var plusDay = BoundExpressions.Arithmetic(ArithmeticOperator.Add, ts, new BoundLiteral(86_400_000_000L + 1, new DataType(TypeKind.IntervalDayTime)));
        Assert.Equal("2024-03-16 13:45:30.123457", Display(plusDay));
    }

    [Fact]
    public void Time_zone_conversions_use_the_session_zone()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        var ctx = new ExecutionContext { SessionTimeZone = zone, QueryStart = new DateTimeOffset(2024, 1, 1, 23, 30, 0, TimeSpan.Zero) };
        var ltz = Cast(Str("2024-01-01 10:00:00"), DataType.TimestampLtz(3));
        Assert.Equal("2024-01-01 10:00:00.000", Display(ltz, ctx));
        // the instant is 08:00 UTC; as a TIMESTAMP it is the session's wall clock again
        Assert.Equal("2024-01-01 10:00:00.000", Display(Cast(ltz, DataType.Timestamp(3)), ctx));
        var utcMicros = (new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / 10;
        Assert.Equal(utcMicros, Value(ltz, ctx));
        Assert.Equal("2024-01-02", Display(Call("CURRENT_DATE"), ctx));
        Assert.Equal(10L, Value(Call("HOUR", ltz), ctx));
    }
}
