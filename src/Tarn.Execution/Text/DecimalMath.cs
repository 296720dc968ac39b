using System.Numerics;

namespace Tarn.Execution.Text;

/// <summary>Exact decimal helpers on unscaled integers (rounding is HALF_UP, i.e. half away from zero, as Flink's BigDecimal).</summary>
public static class DecimalMath
{
    private static readonly Int128[] s_pow10 = CreatePowers();

    private static Int128[] CreatePowers()
    {
        var p = new Int128[39];
        p[0] = 1;
        for (var i = 1; i < p.Length; i++) p[i] = p[i - 1] * 10;
        return p;
    }

    /// <summary>10^n for 0 ≤ n ≤ 38.</summary>
    public static Int128 Pow10(int n) => s_pow10[n];

    public static long Pow10Long(int n) => (long)s_pow10[n];

    /// <summary>True when |v| fits in <paramref name="precision"/> digits.</summary>
    public static bool Fits(Int128 v, int precision) => v < s_pow10[precision] && v > -s_pow10[precision];

    public static BigInteger DivideRoundHalfUp(BigInteger a, BigInteger b)
    {
        var q = BigInteger.DivRem(a, b, out var r);
        if (!r.IsZero && BigInteger.Abs(r) * 2 >= BigInteger.Abs(b)) q += (a.Sign == b.Sign) ? 1 : -1;
        return q;
    }

    public static Int128 DivideRoundHalfUp(Int128 a, Int128 b)
    {
        var q = Int128.DivRem(a, b);
        var r = q.Remainder;
        var quotient = q.Quotient;
        if (r != 0)
        {
            var absR = Int128.Abs(r);
            var absB = Int128.Abs(b);
            // |r| * 2 >= |b|, written to avoid overflow
            if (absR >= absB - absR) quotient += (a < 0) == (b < 0) ? 1 : -1;
        }
        return quotient;
    }

    /// <summary>Changes the scale of an unscaled value (rounding half up when reducing); throws OverflowException past Int128.</summary>
    public static Int128 Rescale(Int128 v, int fromScale, int toScale)
    {
        if (toScale == fromScale) return v;
        if (toScale > fromScale)
        {
            var diff = toScale - fromScale;
            if (diff > 38) { if (v == 0) return 0; throw new OverflowException(); }
            return checked(v * s_pow10[diff]);
        }
        var down = fromScale - toScale;
        if (down > 38) return 0;
        return DivideRoundHalfUp(v, s_pow10[down]);
    }

    /// <summary>Truncates toward zero while reducing the scale (casts to integers).</summary>
    public static Int128 RescaleTruncate(Int128 v, int fromScale, int toScale)
    {
        if (toScale >= fromScale) return Rescale(v, fromScale, toScale);
        var down = fromScale - toScale;
        return down > 38 ? 0 : v / s_pow10[down];
    }

    public static double ToDouble(Int128 unscaled, int scale)
    {
        if (scale <= 28 && Int128.Abs(unscaled) < ((Int128)1 << 96))
        {
            var abs = Int128.Abs(unscaled);
            var m = new decimal((int)(uint)abs, (int)(uint)(abs >> 32), (int)(uint)(abs >> 64), unscaled < 0, (byte)scale);
            return (double)m;
        }
        return (double)unscaled / Math.Pow(10, scale);
    }

    /// <summary>A double as an unscaled decimal at <paramref name="scale"/>, going through its shortest decimal text
    /// (as Java's BigDecimal.valueOf) so 1.005 rounds to 1.01; null when it is NaN/infinite or does not fit Int128.</summary>
    public static Int128? FromDouble(double d, int scale)
    {
        if (!double.IsFinite(d)) return null;
        var text = d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var status = NumberText.TryParseDecimal(System.Text.Encoding.ASCII.GetBytes(text), 38, scale, out var v);
        return status == ParseStatus.Ok ? v : null;
    }
}
