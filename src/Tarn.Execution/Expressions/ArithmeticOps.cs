using System.Numerics;
using Tarn.Execution.Text;

namespace Tarn.Execution.Expressions;

// Integer arithmetic is checked: overflow throws OverflowException, which the kernel reports as 22003.

public readonly struct CheckedAdd<T> : IBinaryOp<T, T, T> where T : IBinaryInteger<T>
{
    public bool TryApply(T a, T b, out T r) { r = checked(a + b); return true; }
}

public readonly struct CheckedSubtract<T> : IBinaryOp<T, T, T> where T : IBinaryInteger<T>
{
    public bool TryApply(T a, T b, out T r) { r = checked(a - b); return true; }
}

public readonly struct CheckedMultiply<T> : IBinaryOp<T, T, T> where T : IBinaryInteger<T>
{
    public bool TryApply(T a, T b, out T r) { r = checked(a * b); return true; }
}

/// <summary>Integer division truncating toward zero (Java/Flink); MIN / -1 overflows.</summary>
public readonly struct CheckedDivide<T> : IBinaryOp<T, T, T> where T : IBinaryInteger<T>
{
    public bool TryApply(T a, T b, out T r)
    {
        if (T.IsZero(b)) throw EvalErrors.DivisionByZero();
        r = checked(a / b);
        return true;
    }
}

/// <summary>Remainder with the sign of the dividend (Java/Flink).</summary>
public readonly struct CheckedModulo<T> : IBinaryOp<T, T, T> where T : IBinaryInteger<T>
{
    public bool TryApply(T a, T b, out T r)
    {
        if (T.IsZero(b)) throw EvalErrors.DivisionByZero();
        r = b == -T.One ? T.Zero : a % b;
        return true;
    }
}

public readonly struct FloatAdd<T> : IBinaryOp<T, T, T> where T : IFloatingPointIeee754<T>
{
    public bool TryApply(T a, T b, out T r) { r = a + b; return true; }
}

public readonly struct FloatSubtract<T> : IBinaryOp<T, T, T> where T : IFloatingPointIeee754<T>
{
    public bool TryApply(T a, T b, out T r) { r = a - b; return true; }
}

public readonly struct FloatMultiply<T> : IBinaryOp<T, T, T> where T : IFloatingPointIeee754<T>
{
    public bool TryApply(T a, T b, out T r) { r = a * b; return true; }
}

/// <summary>Floating division; dividing by zero is an error (22012) like PostgreSQL, not Infinity.</summary>
public readonly struct FloatDivide<T> : IBinaryOp<T, T, T> where T : IFloatingPointIeee754<T>
{
    public bool TryApply(T a, T b, out T r)
    {
        if (T.IsZero(b)) throw EvalErrors.DivisionByZero();
        r = a / b;
        return true;
    }
}

public readonly struct FloatModulo<T> : IBinaryOp<T, T, T> where T : IFloatingPointIeee754<T>
{
    public bool TryApply(T a, T b, out T r)
    {
        if (T.IsZero(b)) throw EvalErrors.DivisionByZero();
        r = a % b;
        return true;
    }
}

public readonly struct CheckedNegate<T> : IUnaryOp<T, T> where T : INumber<T>
{
    public bool TryApply(T a, out T r) { r = checked(-a); return true; }
}

/// <summary>
/// DECIMAL arithmetic on unscaled values. Operands arrive at their own scales (<see cref="LeftScale"/>,
/// <see cref="RightScale"/>) and physical widths (long or Int128); the result is produced at <see cref="Scale"/> and
/// must fit <see cref="Precision"/> digits (22003 otherwise). Rounding is half away from zero.
/// </summary>
public readonly struct DecimalArithmetic<TL, TR, TOut> : IBinaryOp<TL, TR, TOut>
    where TL : IBinaryInteger<TL> where TR : IBinaryInteger<TR> where TOut : IBinaryInteger<TOut>
{
    public Tarn.Planner.Expressions.ArithmeticOperator Operator { get; init; }
    public int LeftScale { get; init; }
    public int RightScale { get; init; }
    public int Scale { get; init; }
    public int Precision { get; init; }

    public bool TryApply(TL left, TR right, out TOut result)
    {
        var a = Int128.CreateTruncating(left);
        var b = Int128.CreateTruncating(right);
        Int128 r;
        switch (Operator)
        {
            case Tarn.Planner.Expressions.ArithmeticOperator.Add when Scale >= LeftScale && Scale >= RightScale:
                r = checked(DecimalMath.Rescale(a, LeftScale, Scale) + DecimalMath.Rescale(b, RightScale, Scale));
                break;
            case Tarn.Planner.Expressions.ArithmeticOperator.Subtract when Scale >= LeftScale && Scale >= RightScale:
                r = checked(DecimalMath.Rescale(a, LeftScale, Scale) - DecimalMath.Rescale(b, RightScale, Scale));
                break;
            case Tarn.Planner.Expressions.ArithmeticOperator.Add or Tarn.Planner.Expressions.ArithmeticOperator.Subtract:
                r = AddRounded(a, b);
                break;
            case Tarn.Planner.Expressions.ArithmeticOperator.Multiply:
                r = Multiply(a, b);
                break;
            case Tarn.Planner.Expressions.ArithmeticOperator.Divide:
                r = Divide(a, b);
                break;
            default:
                var common = Math.Max(LeftScale, RightScale);
                var bb = DecimalMath.Rescale(b, RightScale, common);
                if (bb == 0) throw EvalErrors.DivisionByZero();
                r = DecimalMath.Rescale(DecimalMath.Rescale(a, LeftScale, common) % bb, common, Scale);
                break;
        }
        if (!DecimalMath.Fits(r, Precision)) throw new OverflowException();
        result = TOut.CreateTruncating(r);
        return true;
    }

    /// <summary>+/− when the result scale was cut below an operand's (precision capped at 38): the exact sum at the
    /// common scale, rounded once (rounding each operand first could differ in the last digit).</summary>
    private Int128 AddRounded(Int128 a, Int128 b)
    {
        var common = Math.Max(LeftScale, RightScale);
        var x = (BigInteger)a * BigInteger.Pow(10, common - LeftScale);
        var y = (BigInteger)b * BigInteger.Pow(10, common - RightScale);
        var sum = Operator == Tarn.Planner.Expressions.ArithmeticOperator.Add ? x + y : x - y;
        return ToInt128(RescaleBig(sum, common, Scale));
    }

    private Int128 Multiply(Int128 a, Int128 b)
    {
        var productScale = LeftScale + RightScale;
        if (Int128.Abs(a) <= long.MaxValue && Int128.Abs(b) <= long.MaxValue)
            return DecimalMath.Rescale(a * b, productScale, Scale);
        var big = (BigInteger)a * (BigInteger)b;
        return ToInt128(RescaleBig(big, productScale, Scale));
    }

    private Int128 Divide(Int128 a, Int128 b)
    {
        if (b == 0) throw EvalErrors.DivisionByZero();
        // a/10^sa ÷ b/10^sb = (a × 10^(s + sb - sa) / b) / 10^s
        var shift = Scale + RightScale - LeftScale;
        if (shift >= 0 && shift <= 38)
        {
            var p = DecimalMath.Pow10(shift);
            if (Int128.Abs(a) <= Int128.MaxValue / p) return DecimalMath.DivideRoundHalfUp(a * p, b);
        }
        var num = (BigInteger)a;
        var den = (BigInteger)b;
        if (shift >= 0) num *= BigInteger.Pow(10, shift);
        else den *= BigInteger.Pow(10, -shift);
        return ToInt128(DecimalMath.DivideRoundHalfUp(num, den));
    }

    private static BigInteger RescaleBig(BigInteger v, int from, int to) =>
        to >= from ? v * BigInteger.Pow(10, to - from) : DecimalMath.DivideRoundHalfUp(v, BigInteger.Pow(10, from - to));

    private static Int128 ToInt128(BigInteger v)
    {
        if (v > (BigInteger)Int128.MaxValue || v < (BigInteger)Int128.MinValue) throw new OverflowException();
        return (Int128)v;
    }
}

public readonly struct DecimalNegate<T> : IUnaryOp<T, T> where T : IBinaryInteger<T>
{
    public bool TryApply(T a, out T r) { r = -a; return true; }
}
