using System.Numerics;
using Tarn.Execution.Text;

namespace Tarn.Execution.Expressions.Functions;

public readonly struct AbsOp<T> : IUnaryOp<T, T> where T : INumber<T>
{
    public bool TryApply(T v, out T r) { r = T.Abs(v); return true; }
}

public readonly struct SignOp<T> : IUnaryOp<T, T> where T : INumber<T>
{
    public bool TryApply(T v, out T r)
    {
        r = T.IsNaN(v) ? v : T.CreateTruncating(T.Sign(v));
        return true;
    }
}

/// <summary>SIGN of a DECIMAL(p,s): -1, 0 or 1 as an unscaled value at scale s.</summary>
public readonly struct DecimalSignOp<T>(int scale, int precision) : IUnaryOp<T, T> where T : IBinaryInteger<T>
{
    public bool TryApply(T v, out T r)
    {
        var x = T.Sign(v) * DecimalMath.Pow10(scale);
        if (!DecimalMath.Fits(x, precision)) throw new OverflowException();
        r = T.CreateTruncating(x);
        return true;
    }
}

public readonly struct FloorOp<T> : IUnaryOp<T, T> where T : IFloatingPoint<T>
{
    public bool TryApply(T v, out T r) { r = T.Floor(v); return true; }
}

public readonly struct CeilOp<T> : IUnaryOp<T, T> where T : IFloatingPoint<T>
{
    public bool TryApply(T v, out T r) { r = T.Ceiling(v); return true; }
}

/// <summary>FLOOR/CEIL of DECIMAL(p,s) to DECIMAL(p-s+1, 0).</summary>
public readonly struct DecimalFloorOp<TIn, TOut>(int scale, bool ceiling) : IUnaryOp<TIn, TOut>
    where TIn : IBinaryInteger<TIn> where TOut : IBinaryInteger<TOut>
{
    public bool TryApply(TIn v, out TOut r)
    {
        var x = Int128.CreateTruncating(v);
        var p = DecimalMath.Pow10(scale);
        var q = x / p;
        var rem = x % p;
        if (rem != 0 && (rem > 0) == ceiling) q += ceiling ? 1 : -1;
        r = TOut.CreateTruncating(q);
        return true;
    }
}

/// <summary>ROUND(integer, d): unchanged for d ≥ 0, otherwise half away from zero at 10^-d.</summary>
public readonly struct IntegerRoundOp<T> : IBinaryOp<T, long, T> where T : IBinaryInteger<T>
{
    public bool TryApply(T v, long digits, out T r)
    {
        if (digits >= 0) { r = v; return true; }
        if (digits < -38) { r = T.Zero; return true; }
        var p = DecimalMath.Pow10((int)-digits);
        r = T.CreateChecked(DecimalMath.DivideRoundHalfUp(Int128.CreateTruncating(v), p) * p);
        return true;
    }
}

/// <summary>ROUND(double, d) half away from zero on the shortest decimal text of the value (Java's BigDecimal.valueOf),
/// so ROUND(1.005, 2) = 1.01 as in Flink.</summary>
public readonly struct FloatingRoundOp<T> : IBinaryOp<T, long, T> where T : IFloatingPointIeee754<T>
{
    public bool TryApply(T v, long digits, out T r)
    {
        var d = double.CreateTruncating(v);
        r = T.CreateTruncating(Round(d, digits));
        return true;
    }

    private static double Round(double d, long digits)
    {
        if (!double.IsFinite(d) || Math.Abs(d) >= 1e28) return d;
        var m = decimal.Parse(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        if (digits >= 0) return digits > 28 ? d : (double)Math.Round(m, (int)digits, MidpointRounding.AwayFromZero);
        if (digits < -28) return 0;
        var p = (decimal)Math.Pow(10, -digits);
        return (double)(Math.Round(m / p, 0, MidpointRounding.AwayFromZero) * p);
    }
}

/// <summary>ROUND(DECIMAL(p,s), d) producing scale <c>outScale</c> and checking <c>outPrecision</c>.</summary>
public readonly struct DecimalRoundOp<TIn, TOut>(int scale, int outScale, int outPrecision) : IBinaryOp<TIn, long, TOut>
    where TIn : IBinaryInteger<TIn> where TOut : IBinaryInteger<TOut>
{
    public bool TryApply(TIn v, long digits, out TOut r)
    {
        var x = Int128.CreateTruncating(v);
        Int128 rounded; // at scale `scale`
        if (digits >= scale) rounded = x;
        else if (digits >= 0) rounded = DecimalMath.Rescale(DecimalMath.Rescale(x, scale, (int)digits), (int)digits, scale);
        else
        {
            var whole = DecimalMath.Rescale(x, scale, 0);
            var p = digits < -38 ? 0 : DecimalMath.Pow10((int)-digits);
            rounded = p == 0 ? 0 : DecimalMath.Rescale(checked(DecimalMath.DivideRoundHalfUp(whole, p) * p), 0, scale);
        }
        var result = DecimalMath.Rescale(rounded, scale, outScale);
        if (!DecimalMath.Fits(result, outPrecision)) throw new OverflowException();
        r = TOut.CreateTruncating(result);
        return true;
    }
}

public readonly struct SqrtOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Sqrt(v); return true; } }
public readonly struct LnOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Log(v); return true; } }
public readonly struct Log10Op : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Log10(v); return true; } }
public readonly struct Log2Op : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Log2(v); return true; } }
public readonly struct ExpOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Exp(v); return true; } }
public readonly struct PowerOp : IBinaryOp<double, double, double> { public bool TryApply(double a, double b, out double r) { r = Math.Pow(a, b); return true; } }
public readonly struct LogBaseOp : IBinaryOp<double, double, double> { public bool TryApply(double b, double x, out double r) { r = Math.Log(x) / Math.Log(b); return true; } }

public readonly struct MaxOp<T> : IBinaryOp<T, T, T> where T : IComparisonOperators<T, T, bool>
{
    public bool TryApply(T a, T b, out T r) { r = a >= b ? a : b; return true; }
}

public readonly struct MinOp<T> : IBinaryOp<T, T, T> where T : IComparisonOperators<T, T, bool>
{
    public bool TryApply(T a, T b, out T r) { r = a <= b ? a : b; return true; }
}
