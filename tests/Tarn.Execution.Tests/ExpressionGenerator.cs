using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Tests;

/// <summary>
/// Random well-typed expressions over the test schema (INT, BIGINT, DOUBLE, VARCHAR, BOOLEAN, DECIMAL(9,2)) and
/// random rows with NULLs and edge values. Deterministic from a seed so a failure can be replayed.
/// </summary>
internal sealed class ExpressionGenerator(int seed)
{
    public static readonly DataType[] Schema =
        [DataType.Int, DataType.BigInt, DataType.Double, DataType.String, DataType.Boolean, DataType.Decimal(9, 2)];

    private static readonly int[] s_ints = [0, 1, -1, 2, 7, -13, 100, 46341, int.MaxValue, int.MinValue, 1000000];
    private static readonly long[] s_longs = [0, 1, -1, 3, 1L << 40, long.MaxValue, long.MinValue, -99999999999];
    private static readonly double[] s_doubles = [0.0, -0.0, 1.5, -2.25, 3, 1e300, -1e-300, 0.1, double.NaN, 12345.678];
    private static readonly string[] s_strings = ["", "a", "abc", "ABC", "12", " 7 ", "-3", "x1", "9999999999", "1.5", "héllo", "%_", "a_b", "zzz", ".5", "+", "2147483648"];
    private static readonly string[] s_patterns = ["%", "a%", "%c", "%b%", "_", "__", "a_c", "h_llo", "%l%o", "", "1%", "%.%"];

    private readonly Random _rnd = new(seed);

    private T Pick<T>(T[] items) => items[_rnd.Next(items.Length)];

    private bool Chance(int percent) => _rnd.Next(100) < percent;

    public List<object?[]> Rows(int count)
    {
        var rows = new List<object?[]>();
        for (var i = 0; i < count; i++)
        {
            rows.Add(
            [
                Chance(15) ? null : Chance(50) ? Pick(s_ints) : _rnd.Next(-50, 50),
                Chance(15) ? null : Chance(50) ? Pick(s_longs) : (long)_rnd.Next(-1000, 1000),
                Chance(15) ? null : Chance(60) ? Pick(s_doubles) : _rnd.Next(-100, 100) / 4.0,
                Chance(15) ? null : Pick(s_strings),
                Chance(15) ? null : Chance(50),
                Chance(15) ? null : (long)_rnd.Next(-999_999_999, 999_999_999) / (Chance(50) ? 1 : 10000),
            ]);
        }
        return rows;
    }

    private static BoundColumnRef Col(int i) => BoundExpressions.Column(i, Schema[i]);

    public BoundExpression Int(int depth)
    {
        var choice = depth <= 0 ? _rnd.Next(2) : _rnd.Next(10);
        return choice switch
        {
            0 => Col(0),
            1 => Chance(10) ? BoundLiteral.Null(DataType.Int) : BoundLiteral.Of(Chance(50) ? Pick(s_ints) : _rnd.Next(-5, 5)),
            2 => BoundExpressions.Arithmetic(Pick(Enum.GetValues<ArithmeticOperator>()), Int(depth - 1), Int(depth - 1)),
            3 => BoundExpressions.Negate(Int(depth - 1)),
            4 => BoundExpressions.Case([new BoundWhen(Bool(depth - 1), Int(depth - 1))], Chance(70) ? Int(depth - 1) : null),
            5 => BoundExpressions.Coalesce([Int(depth - 1), Int(depth - 1)]),
            6 => BoundExpressions.Cast(Str(depth - 1), DataType.Int, Chance(30) ? CastMode.Try : CastMode.Explicit),
            7 => BoundExpressions.Cast(Chance(50) ? Long(depth - 1) : Dbl(depth - 1), DataType.Int, Chance(30) ? CastMode.Try : CastMode.Explicit),
            8 => BoundExpressions.Call("CHAR_LENGTH", Str(depth - 1)),
            _ => BoundExpressions.Call("ABS", Int(depth - 1)),
        };
    }

    public BoundExpression Long(int depth)
    {
        var choice = depth <= 0 ? _rnd.Next(2) : _rnd.Next(5);
        return choice switch
        {
            0 => Col(1),
            1 => BoundLiteral.Of(Chance(50) ? Pick(s_longs) : _rnd.Next(-5, 5)),
            2 => BoundExpressions.Arithmetic(Pick(Enum.GetValues<ArithmeticOperator>()), Long(depth - 1), Chance(50) ? Long(depth - 1) : Int(depth - 1)),
            3 => BoundExpressions.Cast(Int(depth - 1), DataType.BigInt),
            _ => BoundExpressions.Case([new BoundWhen(Bool(depth - 1), Long(depth - 1))], Int(depth - 1)),
        };
    }

    public BoundExpression Dbl(int depth)
    {
        var choice = depth <= 0 ? _rnd.Next(2) : _rnd.Next(4);
        return choice switch
        {
            0 => Col(2),
            1 => BoundLiteral.Of(Pick(s_doubles)),
            2 => BoundExpressions.Arithmetic(Pick(Enum.GetValues<ArithmeticOperator>()), Dbl(depth - 1), Chance(50) ? Dbl(depth - 1) : Int(depth - 1)),
            _ => BoundExpressions.Cast(Chance(50) ? Int(depth - 1) : Dec(depth - 1), DataType.Double),
        };
    }

    public BoundExpression Dec(int depth)
    {
        var choice = depth <= 0 ? _rnd.Next(2) : _rnd.Next(5);
        var t = DataType.Decimal(9, 2);
        return choice switch
        {
            0 => Col(5),
            1 => new BoundLiteral((long)_rnd.Next(-99999, 99999), t.WithNullable(false)),
            2 => BoundExpressions.Cast(BoundExpressions.Arithmetic(Pick(Enum.GetValues<ArithmeticOperator>()), Dec(depth - 1), Chance(60) ? Dec(depth - 1) : Int(depth - 1)), t, Chance(20) ? CastMode.Try : CastMode.Explicit),
            3 => BoundExpressions.Cast(Chance(50) ? Int(depth - 1) : Dbl(depth - 1), t),
            _ => BoundExpressions.Negate(Dec(depth - 1)),
        };
    }

    public BoundExpression Str(int depth)
    {
        var choice = depth <= 0 ? _rnd.Next(2) : _rnd.Next(9);
        return choice switch
        {
            0 => Col(3),
            1 => Chance(10) ? BoundLiteral.Null(DataType.String) : BoundLiteral.Of(Pick(s_strings)),
            2 => BoundExpressions.Call(Chance(50) ? "UPPER" : "LOWER", Str(depth - 1)),
            3 => _rnd.Next(3) == 0
                ? BoundExpressions.Call("SUBSTRING", Str(depth - 1), BoundLiteral.Of(_rnd.Next(-4, 5)))
                : BoundExpressions.Call("SUBSTRING", Str(depth - 1), BoundLiteral.Of(_rnd.Next(-4, 5)), Chance(80) ? BoundLiteral.Of(_rnd.Next(-1, 5)) : Int(depth - 1)),
            4 => BoundExpressions.Call("CONCAT", Str(depth - 1), Str(depth - 1)),
            5 => BoundExpressions.Cast(Chance(50) ? Int(depth - 1) : Long(depth - 1), DataType.String),
            6 => BoundExpressions.Case([new BoundWhen(Bool(depth - 1), Str(depth - 1))], Str(depth - 1)),
            7 => BoundExpressions.Coalesce([Str(depth - 1), Str(depth - 1)]),
            _ => BoundExpressions.Concat(Str(depth - 1), Str(depth - 1)),
        };
    }

    public BoundExpression Bool(int depth)
    {
        var choice = depth <= 0 ? _rnd.Next(2) : _rnd.Next(11);
        return choice switch
        {
            0 => Col(4),
            1 => Chance(20) ? BoundLiteral.Null(DataType.Boolean) : BoundLiteral.Of(Chance(50)),
            2 or 3 => Comparison(depth - 1),
            4 => BoundExpressions.Logical(Chance(50) ? LogicalOperator.And : LogicalOperator.Or,
                [.. Enumerable.Range(0, _rnd.Next(2, 4)).Select(_ => Bool(depth - 1))]),
            5 => BoundExpressions.Not(Bool(depth - 1)),
            6 => BoundExpressions.IsNull(Any(depth - 1), Chance(50)),
            7 => BoundExpressions.IsTruth(Bool(depth - 1), Chance(50), Chance(50)),
            8 => Chance(50)
                ? BoundExpressions.In(Int(depth - 1), [.. Enumerable.Range(0, _rnd.Next(1, 12)).Select(_ => Chance(10) ? BoundLiteral.Null(DataType.Int) : (BoundExpression)BoundLiteral.Of(_rnd.Next(-10, 10)))], Chance(30))
                : BoundExpressions.In(Str(depth - 1), [.. Enumerable.Range(0, _rnd.Next(1, 4)).Select(_ => Chance(70) ? BoundLiteral.Of(Pick(s_strings)) : Str(depth - 1))], Chance(30)),
            9 => BoundExpressions.Like(Str(depth - 1), BoundLiteral.Of(Pick(s_patterns)), null, Chance(30)),
            _ => BoundExpressions.Case([new BoundWhen(Bool(depth - 1), Bool(depth - 1))], Bool(depth - 1)),
        };
    }

    private BoundExpression Comparison(int depth)
    {
        var op = Pick(Enum.GetValues<ComparisonOperator>());
        return _rnd.Next(6) switch
        {
            0 => BoundExpressions.Compare(op, Int(depth), Chance(50) ? Int(depth) : Long(depth)),
            1 => BoundExpressions.Compare(op, Dbl(depth), Chance(50) ? Dbl(depth) : Int(depth)),
            2 => BoundExpressions.Compare(op, Str(depth), Str(depth)),
            3 => BoundExpressions.Compare(op, Dec(depth), Chance(50) ? Dec(depth) : Int(depth)),
            4 => BoundExpressions.Compare(op, Bool(depth), Bool(depth)),
            _ => BoundExpressions.Compare(op, Col(3), BoundLiteral.Of(Pick(s_strings))),
        };
    }

    public BoundExpression Any(int depth) => _rnd.Next(6) switch
    {
        0 => Int(depth),
        1 => Long(depth),
        2 => Dbl(depth),
        3 => Str(depth),
        4 => Dec(depth),
        _ => Bool(depth),
    };
}
