using Tarn.Execution.Text;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Window;

/// <summary>
/// The ORDER BY key of a RANGE frame with offsets, per sorted position, as numbers in which "n PRECEDING" is a
/// subtraction: exact 128-bit integers in the key's units (integers, DECIMAL unscaled values, DATE days,
/// TIMESTAMP units) when the offsets are exact in those units, else doubles. Descending keys are negated so that
/// the values ascend within a partition.
/// </summary>
public sealed class RangeKeys
{
    private RangeKeys(Int128[]? exact, double[]? approximate, bool[] nulls)
    {
        Exact = exact;
        Approximate = approximate;
        Nulls = nulls;
    }

    public Int128[]? Exact { get; }
    public double[]? Approximate { get; }
    public bool[] Nulls { get; }

    public static RangeKeys Create(ColumnVector key, int[] order, bool descending, IEnumerable<BoundLiteral> offsets, out Func<BoundLiteral, Int128> exactOffset, out Func<BoundLiteral, double> approximateOffset)
    {
        var type = key.Type;
        var n = order.Length;
        var nulls = new bool[n];
        for (var i = 0; i < n; i++) nulls[i] = key.IsNull(order[i]);
        var useExact = !type.IsApproximate;
        foreach (var o in offsets) useExact &= TryExactUnits(o, type, out _);
        exactOffset = o => TryExactUnits(o, type, out var u) ? u : throw new InvalidOperationException("inexact RANGE offset");
        approximateOffset = o => RealValue(o.Value!, o.Type);
        var sign = descending ? -1 : 1;
        if (useExact)
        {
            var values = new Int128[n];
            for (var i = 0; i < n; i++)
                if (!nulls[i]) values[i] = sign * ExactValue(key, order[i]);
            return new RangeKeys(values, null, nulls);
        }
        var doubles = new double[n];
        for (var i = 0; i < n; i++)
            if (!nulls[i]) doubles[i] = sign * RealValue(key, order[i]);
        return new RangeKeys(null, doubles, nulls);
    }

    private static Int128 ExactValue(ColumnVector v, int row) => v switch
    {
        PrimitiveVector<sbyte> x => x.Values[row],
        PrimitiveVector<short> x => x.Values[row],
        PrimitiveVector<int> x => x.Values[row],
        PrimitiveVector<long> x => x.Values[row],
        PrimitiveVector<Int128> x => x.Values[row],
        _ => throw new InvalidOperationException($"RANGE key of type {v.Type} is not exact"),
    };

    private static double RealValue(ColumnVector v, int row) => v switch
    {
        PrimitiveVector<float> x => x.Values[row],
        PrimitiveVector<double> x => x.Values[row],
        _ => v.Type.Kind == TypeKind.Decimal ? DecimalMath.ToDouble(ExactValue(v, row), v.Type.Scale) : (double)ExactValue(v, row),
    };

    private static double RealValue(object value, DataType type) => value switch
    {
        double d => d,
        float f => f,
        _ when type.Kind == TypeKind.Decimal => DecimalMath.ToDouble(Convert(value), type.Scale),
        _ => (double)Convert(value),
    };

    private static Int128 Convert(object value) => value switch
    {
        sbyte b => b,
        short s => s,
        int i => i,
        long l => l,
        Int128 w => w,
        _ => throw new InvalidOperationException($"not an exact number: {value.GetType().Name}"),
    };

    /// <summary>The offset in the key's units, when it is a whole number of them.</summary>
    private static bool TryExactUnits(BoundLiteral offset, DataType key, out Int128 units)
    {
        units = 0;
        if (offset.Value is double or float || key.IsApproximate) return false;
        var raw = Convert(offset.Value!);
        if (offset.Type.Kind == TypeKind.IntervalDayTime)
        {
            // microseconds → days (DATE) or the timestamp's units
            if (key.Kind == TypeKind.Date)
            {
                units = raw / 86_400_000_000L;
                return raw % 86_400_000_000L == 0;
            }
            units = raw * key.TimeUnitsPerSecond / 1_000_000;
            return true;
        }
        var fromScale = offset.Type.Kind == TypeKind.Decimal ? offset.Type.Scale : 0;
        var toScale = key.Kind == TypeKind.Decimal ? key.Scale : 0;
        if (toScale >= fromScale)
        {
            units = raw * DecimalMath.Pow10(toScale - fromScale);
            return true;
        }
        var divisor = DecimalMath.Pow10(fromScale - toScale);
        units = raw / divisor;
        return raw % divisor == 0;
    }
}
