using Tarn.Execution.Text;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Expressions;

/// <summary>
/// Fast DECIMAL +, − and × for the shapes analytic queries are made of (TPC-H's <c>l_extendedprice * (1 - l_discount)
/// * (1 + l_tax)</c>): operands of at most 18 digits (physical long) or a wide product times such an operand, where no
/// rounding is needed — the result scale is the operands' common scale (+, −) or the sum of their scales (×), which
/// is what the type rules give unless the precision was capped at 38. Each row is then one or two machine multiplies
/// by a power of ten fixed at compile time and a bound check against 10^precision, instead of the general kernel's
/// Int128 rescaling. Results are identical to <see cref="DecimalArithmetic{TL,TR,TOut}"/>'s (exact; 22003 when a value
/// does not fit the result precision). Other shapes (division, modulo, rounding scales) return null and keep the
/// general kernel.
/// </summary>
internal static class DecimalFastKernels
{
    public static VectorExpression? TryCreate(ArithmeticOperator op, VectorExpression l, VectorExpression r, DataType t)
    {
        var narrowL = l.Type.Physical == PhysicalType.Int64;
        var narrowR = r.Type.Physical == PhysicalType.Int64;
        var narrowOut = t.Physical == PhysicalType.Int64;
        if (t.Physical is not (PhysicalType.Int64 or PhysicalType.Int128)) return null;
        int sL = l.Type.Scale, sR = r.Type.Scale, s = t.Scale;
        switch (op)
        {
            case ArithmeticOperator.Add or ArithmeticOperator.Subtract when narrowL && narrowR && s >= sL && s >= sR && s - sL <= 18 && s - sR <= 18:
            {
                var fl = DecimalMath.Pow10Long(s - sL);
                var fr = DecimalMath.Pow10Long(s - sR);
                if (op == ArithmeticOperator.Subtract) fr = -fr;
                return narrowOut
                    ? new BinaryMap<long, long, long, DecimalAddLong>(l, r, t, new DecimalAddLong(fl, fr, DecimalMath.Pow10Long(t.Precision)))
                    : new BinaryMap<long, long, Int128, DecimalAddWide>(l, r, t, new DecimalAddWide(fl, fr, DecimalMath.Pow10(t.Precision)));
            }
            case ArithmeticOperator.Multiply when s == sL + sR:
                if (narrowL && narrowR)
                    return narrowOut
                        ? new BinaryMap<long, long, long, DecimalMultiplyLong>(l, r, t, new DecimalMultiplyLong(DecimalMath.Pow10Long(t.Precision)))
                        : new BinaryMap<long, long, Int128, DecimalMultiplyWide>(l, r, t, new DecimalMultiplyWide(DecimalMath.Pow10(t.Precision)));
                if (narrowOut) return null;
                if (!narrowL && narrowR)
                    return new BinaryMap<Int128, long, Int128, DecimalMultiplyWideByLong>(l, r, t, new DecimalMultiplyWideByLong(DecimalMath.Pow10(t.Precision)));
                if (narrowL && !narrowR)
                    return new BinaryMap<long, Int128, Int128, DecimalMultiplyLongByWide>(l, r, t, new DecimalMultiplyLongByWide(DecimalMath.Pow10(t.Precision)));
                return null;
            default:
                return null;
        }
    }
}

/// <summary>a × fl + b × fr in long (fr is negative for subtraction); the result must be below <c>limit</c> = 10^precision in magnitude.</summary>
public readonly struct DecimalAddLong(long fl, long fr, long limit) : IBinaryOp<long, long, long>
{
    public bool TryApply(long left, long right, out long result)
    {
        result = checked(left * fl + right * fr);
        if (result >= limit || result <= -limit) throw new OverflowException();
        return true;
    }
}

/// <summary>a × fl + b × fr in Int128 (each product of two longs is exact in Int128, and so is their sum).</summary>
public readonly struct DecimalAddWide(long fl, long fr, Int128 limit) : IBinaryOp<long, long, Int128>
{
    public bool TryApply(long left, long right, out Int128 result)
    {
        result = Math.BigMul(left, fl) + Math.BigMul(right, fr);
        if (result >= limit || result <= -limit) throw new OverflowException();
        return true;
    }
}

public readonly struct DecimalMultiplyLong(long limit) : IBinaryOp<long, long, long>
{
    public bool TryApply(long left, long right, out long result)
    {
        result = checked(left * right);
        if (result >= limit || result <= -limit) throw new OverflowException();
        return true;
    }
}

public readonly struct DecimalMultiplyWide(Int128 limit) : IBinaryOp<long, long, Int128>
{
    public bool TryApply(long left, long right, out Int128 result)
    {
        result = Math.BigMul(left, right);
        if (result >= limit || result <= -limit) throw new OverflowException();
        return true;
    }
}

/// <summary>A wide value times a long: one 64×64 multiply while the wide value fits a long (the usual case), else a
/// checked 128-bit multiply.</summary>
public readonly struct DecimalMultiplyWideByLong(Int128 limit) : IBinaryOp<Int128, long, Int128>
{
    public bool TryApply(Int128 left, long right, out Int128 result)
    {
        var low = (long)left;
        result = low == left ? Math.BigMul(low, right) : checked(left * right);
        if (result >= limit || result <= -limit) throw new OverflowException();
        return true;
    }
}

public readonly struct DecimalMultiplyLongByWide(Int128 limit) : IBinaryOp<long, Int128, Int128>
{
    public bool TryApply(long left, Int128 right, out Int128 result)
    {
        var low = (long)right;
        result = low == right ? Math.BigMul(left, low) : checked(left * right);
        if (result >= limit || result <= -limit) throw new OverflowException();
        return true;
    }
}
