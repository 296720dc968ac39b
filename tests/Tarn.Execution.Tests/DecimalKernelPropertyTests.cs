using System.Numerics;
using CsCheck;
using Tarn.Execution.Expressions;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

/// <summary>
/// DECIMAL +, − and × over columns and constants (the fast kernels of <see cref="DecimalFastKernels"/> and the
/// general kernel they fall back to) against exact BigInteger arithmetic: the result type is Flink's, every value is
/// exact (rounded half up where the scale was cut), NULL in gives NULL out, and a value past the result precision
/// fails the evaluation with 22003.
/// </summary>
public class DecimalKernelPropertyTests
{
    private static readonly ArithmeticOperator[] s_ops = [ArithmeticOperator.Add, ArithmeticOperator.Subtract, ArithmeticOperator.Multiply];

    /// <summary>A DECIMAL type: mostly narrow (≤ 18 digits, physical long) as in real schemas, sometimes wide.</summary>
    private static readonly Gen<DataType> s_type =
        Gen.Frequency((4, Gen.Int[1, 18]), (1, Gen.Int[19, 38]))
            .SelectMany(p => Gen.Int[0, p].Select(s => DataType.Decimal(p, s)));

    /// <summary>An unscaled value of <paramref name="t"/>: any number of digits up to the precision (so both small
    /// values and values at the edge of the type, which make results overflow), or NULL.</summary>
    private static Gen<BigInteger?> Value(DataType t) =>
        Gen.Frequency(
            (1, Gen.Const((BigInteger?)null)),
            (8, Gen.Int[0, t.Precision].SelectMany(digits =>
                Gen.Select(Gen.ULong, Gen.ULong, Gen.Bool, (hi, lo, negative) =>
                {
                    var magnitude = (((BigInteger)hi << 64) | lo) % BigInteger.Pow(10, digits);
                    return (BigInteger?)(negative ? -magnitude : magnitude);
                }))));

    private static object Physical(BigInteger v, DataType t) => t.Physical == PhysicalType.Int64 ? (object)(long)v : (object)(Int128)v;

    private static BigInteger? Read(ColumnVector v, int row) =>
        v.IsNull(row) ? null : v switch
        {
            PrimitiveVector<long> l => l.Values[row],
            PrimitiveVector<Int128> w => (BigInteger)w.Values[row],
            _ => throw new InvalidOperationException(v.GetType().Name),
        };

    /// <summary>The exact result at the result type's scale (half away from zero), or null when an operand is NULL.</summary>
    private static BigInteger? Reference(ArithmeticOperator op, BigInteger? a, int sa, BigInteger? b, int sb, int scale)
    {
        if (a is null || b is null) return null;
        BigInteger exact;
        int exactScale;
        if (op == ArithmeticOperator.Multiply)
        {
            exact = a.Value * b.Value;
            exactScale = sa + sb;
        }
        else
        {
            exactScale = Math.Max(sa, sb);
            var x = a.Value * BigInteger.Pow(10, exactScale - sa);
            var y = b.Value * BigInteger.Pow(10, exactScale - sb);
            exact = op == ArithmeticOperator.Add ? x + y : x - y;
        }
        if (exactScale <= scale) return exact * BigInteger.Pow(10, scale - exactScale);
        var unit = BigInteger.Pow(10, exactScale - scale);
        var q = BigInteger.DivRem(BigInteger.Abs(exact), unit, out var r);
        if (r * 2 >= unit) q += 1;
        return exact.Sign < 0 ? -q : q;
    }

    [Fact]
    public void Add_subtract_multiply_of_columns_and_constants_are_exact()
    {
        // operand shape: 0 = two columns, 1 = column and constant, 2 = constant and column
        Gen.Select(Gen.Int[0, s_ops.Length - 1].Select(i => s_ops[i]), s_type, s_type, Gen.Int[0, 2])
            .SelectMany(x => Gen.Select(Value(x.Item2).Array[1, 40], Value(x.Item3).Array[1, 40], Value(x.Item2), Value(x.Item3),
                (left, right, leftConst, rightConst) => (Op: x.Item1, L: x.Item2, R: x.Item3, Shape: x.Item4, Left: left, Right: right, LeftConst: leftConst, RightConst: rightConst)))
            .Sample(c =>
            {
                var rows = Math.Min(c.Left.Length, c.Right.Length);
                var lefts = c.Shape == 2 ? Enumerable.Repeat(c.LeftConst, rows).ToArray() : c.Left[..rows];
                var rights = c.Shape == 1 ? Enumerable.Repeat(c.RightConst, rows).ToArray() : c.Right[..rows];
                BoundExpression Operand(int index, DataType t, bool constant, BigInteger? value) =>
                    constant
                        ? value is null ? new BoundLiteral(null, t.WithNullable(true)) : new BoundLiteral(Physical(value.Value, t), t.WithNullable(false))
                        : BoundExpressions.Column(index, t.WithNullable(true));
                var e = BoundExpressions.Arithmetic(c.Op,
                    Operand(0, c.L, c.Shape == 2, c.LeftConst),
                    Operand(1, c.R, c.Shape == 1, c.RightConst));
                var t = e.Type;
                Assert.Equal(TypeKind.Decimal, t.Kind);

                var expected = new BigInteger?[rows];
                var overflow = false;
                var limit = BigInteger.Pow(10, t.Precision);
                for (var i = 0; i < rows; i++)
                {
                    expected[i] = Reference(c.Op, lefts[i], c.L.Scale, rights[i], c.R.Scale, t.Scale);
                    if (expected[i] is { } v && BigInteger.Abs(v) >= limit) overflow = true;
                }

                var batch = TestData.Batch([c.L.WithNullable(true), c.R.WithNullable(true)],
                    [.. Enumerable.Range(0, rows).Select(i => new object?[]
                    {
                        lefts[i] is { } a ? Physical(a, c.L) : null,
                        rights[i] is { } b ? Physical(b, c.R) : null,
                    })]);
                var kernel = new ExpressionCompiler(TestData.Context()).Compile(e);
                if (overflow)
                {
                    var error = Assert.Throws<TarnException>(() => kernel.Evaluate(batch));
                    Assert.Equal(SqlStates.NumericValueOutOfRange, error.SqlState);
                    return;
                }
                var result = kernel.Evaluate(batch);
                Assert.Equal(rows, result.Count);
                for (var i = 0; i < rows; i++) Assert.Equal(expected[i], Read(result, i));
            }, iter: PropertySettings.Iter(3000));
    }

    [Fact]
    public void Tpch_discounted_price_expressions_keep_flink_types()
    {
        var money = DataType.Decimal(15, 2).WithNullable(false);
        var price = BoundExpressions.Column(0, money);
        var discount = BoundExpressions.Column(1, money);
        var tax = BoundExpressions.Column(2, money);
        var one = BoundLiteral.Of(1);
        var disc = BoundExpressions.Arithmetic(ArithmeticOperator.Multiply, price, BoundExpressions.Arithmetic(ArithmeticOperator.Subtract, one, discount));
        var charge = BoundExpressions.Arithmetic(ArithmeticOperator.Multiply, disc, BoundExpressions.Arithmetic(ArithmeticOperator.Add, one, tax));
        Assert.Equal(DataType.Decimal(32, 4), disc.Type.WithNullable(true));
        Assert.Equal(DataType.Decimal(38, 6), charge.Type.WithNullable(true));
        // both products and both sums take the fast kernels
        var compiler = new ExpressionCompiler(TestData.Context());
        Assert.IsType<BinaryMap<Int128, long, Int128, DecimalMultiplyWideByLong>>(compiler.Compile(charge));
        Assert.IsType<BinaryMap<long, long, Int128, DecimalMultiplyWide>>(compiler.Compile(disc));
        Assert.IsType<BinaryMap<long, long, long, DecimalAddLong>>(compiler.Compile(BoundExpressions.Arithmetic(ArithmeticOperator.Add, one, tax)));
        // 24710.35 × (1 − 0.04) × (1 + 0.02) = 24196.374720
        var v = Eval.Column(charge, [money, money, money], [[2471035L, 4L, 2L]]);
        Assert.Equal((Int128)24196374720, v[0]);
    }
}
