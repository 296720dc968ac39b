using System.Globalization;
using System.Numerics;
using Tarn.Execution.Text;
using Tarn.Types;

namespace Tarn.Execution.Expressions.Functions;

public readonly struct SinOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Sin(v); return true; } }
public readonly struct CosOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Cos(v); return true; } }
public readonly struct TanOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Tan(v); return true; } }
public readonly struct AsinOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Asin(v); return true; } }
public readonly struct AcosOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Acos(v); return true; } }
public readonly struct AtanOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Atan(v); return true; } }
public readonly struct SinhOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Sinh(v); return true; } }
public readonly struct CoshOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Cosh(v); return true; } }
public readonly struct TanhOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Tanh(v); return true; } }
public readonly struct CotOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = 1.0 / Math.Tan(v); return true; } }
public readonly struct DegreesOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = v * (180.0 / Math.PI); return true; } }
public readonly struct RadiansOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = v / 180.0 * Math.PI; return true; } }
public readonly struct CbrtOp : IUnaryOp<double, double> { public bool TryApply(double v, out double r) { r = Math.Cbrt(v); return true; } }
public readonly struct Atan2Op : IBinaryOp<double, double, double> { public bool TryApply(double y, double x, out double r) { r = Math.Atan2(y, x); return true; } }

/// <summary>TRUNCATE(integer, d): unchanged for d ≥ 0, otherwise the low -d digits zeroed (toward zero).</summary>
public readonly struct IntegerTruncateOp<T> : IBinaryOp<T, long, T> where T : IBinaryInteger<T>
{
    public bool TryApply(T v, long digits, out T r)
    {
        if (digits >= 0) { r = v; return true; }
        if (digits < -38) { r = T.Zero; return true; }
        var p = DecimalMath.Pow10((int)-digits);
        r = T.CreateTruncating(Int128.CreateTruncating(v) / p * p);
        return true;
    }
}

/// <summary>TRUNCATE(DECIMAL(p,s), d): digits after the d-th decimal place dropped, giving scale
/// <c>outScale</c> (ROUND's result type, as Flink).</summary>
public readonly struct DecimalTruncateOp<TIn, TOut>(int scale, int outScale) : IBinaryOp<TIn, long, TOut>
    where TIn : IBinaryInteger<TIn> where TOut : IBinaryInteger<TOut>
{
    public bool TryApply(TIn v, long digits, out TOut r)
    {
        var x = Int128.CreateTruncating(v);
        if (digits < scale)
        {
            var drop = scale - digits;
            x = drop > 38 ? 0 : x / DecimalMath.Pow10((int)drop) * DecimalMath.Pow10((int)drop);
        }
        r = TOut.CreateTruncating(outScale >= scale ? x * DecimalMath.Pow10(outScale - scale) : x / DecimalMath.Pow10(scale - outScale));
        return true;
    }
}

/// <summary>TRUNCATE(double, d) toward zero on the shortest decimal text of the value (Java's BigDecimal.valueOf), so
/// TRUNCATE(42.324, 2) = 42.32 exactly.</summary>
public readonly struct FloatingTruncateOp<T> : IBinaryOp<T, long, T> where T : IFloatingPointIeee754<T>
{
    public bool TryApply(T v, long digits, out T r)
    {
        var d = double.CreateTruncating(v);
        r = T.CreateTruncating(Truncate(d, digits));
        return true;
    }

    private static double Truncate(double d, long digits)
    {
        if (!double.IsFinite(d) || Math.Abs(d) >= 1e28) return d;
        var m = decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (digits >= 0) return digits > 28 ? d : (double)Math.Round(m, (int)digits, MidpointRounding.ToZero);
        if (digits < -28) return 0;
        var p = (decimal)Math.Pow(10, -digits);
        return (double)(Math.Truncate(m / p) * p);
    }
}

/// <summary>java.util.Random's generator, so RAND(seed) / RAND_INTEGER(seed, n) give Flink's sequences.</summary>
public sealed class JavaRandom
{
    private const long Multiplier = 0x5DEECE66DL;
    private const long Mask = (1L << 48) - 1;
    private long _seed;

    public JavaRandom(long seed) => _seed = (seed ^ Multiplier) & Mask;

    public JavaRandom() : this(Random.Shared.NextInt64()) { }

    private int Next(int bits)
    {
        _seed = unchecked(_seed * Multiplier + 0xBL) & Mask;
        return unchecked((int)(_seed >>> (48 - bits)));
    }

    public double NextDouble() => (((long)Next(26) << 27) + Next(27)) * (1.0 / (1L << 53));

    public int NextInt(int bound)
    {
        var r = Next(31);
        var m = bound - 1;
        if ((bound & m) == 0) return (int)((bound * (long)r) >> 31);
        for (var u = r; unchecked(u - (r = u % bound) + m) < 0; u = Next(31)) { }
        return r;
    }
}

public static class MathFunctions
{
    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        f["SIN"] = (c, a, _) => new UnaryMap<double, double, SinOp>(a[0], c.Type, default);
        f["COS"] = (c, a, _) => new UnaryMap<double, double, CosOp>(a[0], c.Type, default);
        f["TAN"] = (c, a, _) => new UnaryMap<double, double, TanOp>(a[0], c.Type, default);
        f["ASIN"] = (c, a, _) => new UnaryMap<double, double, AsinOp>(a[0], c.Type, default);
        f["ACOS"] = (c, a, _) => new UnaryMap<double, double, AcosOp>(a[0], c.Type, default);
        f["ATAN"] = (c, a, _) => new UnaryMap<double, double, AtanOp>(a[0], c.Type, default);
        f["SINH"] = (c, a, _) => new UnaryMap<double, double, SinhOp>(a[0], c.Type, default);
        f["COSH"] = (c, a, _) => new UnaryMap<double, double, CoshOp>(a[0], c.Type, default);
        f["TANH"] = (c, a, _) => new UnaryMap<double, double, TanhOp>(a[0], c.Type, default);
        f["COT"] = (c, a, _) => new UnaryMap<double, double, CotOp>(a[0], c.Type, default);
        f["DEGREES"] = (c, a, _) => new UnaryMap<double, double, DegreesOp>(a[0], c.Type, default);
        f["RADIANS"] = (c, a, _) => new UnaryMap<double, double, RadiansOp>(a[0], c.Type, default);
        f["CBRT"] = (c, a, _) => new UnaryMap<double, double, CbrtOp>(a[0], c.Type, default);
        f["ATAN2"] = (c, a, _) => new BinaryMap<double, double, double, Atan2Op>(a[0], a[1], c.Type, default);
        f["PI"] = (c, _, _) => new ConstantExpression(c.Type, Math.PI);
        f["E"] = (c, _, _) => new ConstantExpression(c.Type, Math.E);
        f["RAND"] = (c, a, _) =>
        {
            var random = Seeded(a, "RAND");
            if (random is null) return new ConstantExpression(c.Type, null);
            return new ValueRowFunction<double>([], c.Type, (in RowArgs x, int i, out double r) =>
            {
                r = random.NextDouble();
                return true;
            }, liftable: false);
        };
        f["RAND_INTEGER"] = (c, a, _) =>
        {
            var random = Seeded(a, "RAND_INTEGER");
            if (random is null) return new ConstantExpression(c.Type, null);
            return new ValueRowFunction<int>([a[^1]], c.Type, (in RowArgs x, int i, out int r) =>
            {
                var bound = x.Long(0, i);
                if (bound <= 0 || bound > int.MaxValue) throw RowText.Invalid($"RAND_INTEGER bound must be positive, got {bound}");
                r = random.NextInt((int)bound);
                return true;
            }, liftable: false);
        };
        f["TRUNCATE"] = Truncate;
    }

    /// <summary>A generator seeded by the constant first argument of a two-argument form (RAND(seed),
    /// RAND_INTEGER(seed, bound)), or unseeded; null for a NULL seed.</summary>
    private static JavaRandom? Seeded(VectorExpression[] args, string name)
    {
        var seeded = name == "RAND" ? args.Length == 1 : args.Length == 2;
        if (!seeded) return new JavaRandom();
        if (args[0] is not ConstantExpression seed) throw RowText.Invalid($"the seed of {name} must be a constant");
        return seed.Value is null ? null : new JavaRandom(Convert.ToInt64(seed.Value, CultureInfo.InvariantCulture));
    }

    private static VectorExpression Truncate(Planner.Expressions.BoundFunctionCall c, VectorExpression[] a, ExecutionContext _)
    {
        var x = a[0];
        var type = c.Type;
        if (x.Type.Kind == TypeKind.Decimal)
        {
            var (s, os) = (x.Type.Scale, type.Scale);
            return (x.Type.Physical, type.Physical) switch
            {
                (PhysicalType.Int64, PhysicalType.Int64) => new BinaryMap<long, long, long, DecimalTruncateOp<long, long>>(x, a[1], type, new(s, os)),
                (PhysicalType.Int64, _) => new BinaryMap<long, long, Int128, DecimalTruncateOp<long, Int128>>(x, a[1], type, new(s, os)),
                (_, PhysicalType.Int64) => new BinaryMap<Int128, long, long, DecimalTruncateOp<Int128, long>>(x, a[1], type, new(s, os)),
                _ => new BinaryMap<Int128, long, Int128, DecimalTruncateOp<Int128, Int128>>(x, a[1], type, new(s, os)),
            };
        }
        return x.Type.Physical switch
        {
            PhysicalType.Int8 => new BinaryMap<sbyte, long, sbyte, IntegerTruncateOp<sbyte>>(x, a[1], type, default),
            PhysicalType.Int16 => new BinaryMap<short, long, short, IntegerTruncateOp<short>>(x, a[1], type, default),
            PhysicalType.Int32 => new BinaryMap<int, long, int, IntegerTruncateOp<int>>(x, a[1], type, default),
            PhysicalType.Int64 => new BinaryMap<long, long, long, IntegerTruncateOp<long>>(x, a[1], type, default),
            PhysicalType.Float32 => new BinaryMap<float, long, float, FloatingTruncateOp<float>>(x, a[1], type, default),
            _ => new BinaryMap<double, long, double, FloatingTruncateOp<double>>(x, a[1], type, default),
        };
    }
}
