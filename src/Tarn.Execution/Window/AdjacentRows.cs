using Tarn.Execution.Vectors;
using Tarn.Vectors;

namespace Tarn.Execution.Window;

/// <summary>
/// Compares each row with the one before it in a sorted order, one typed loop per column: where a sorted run of
/// equal keys ends (a partition or a peer group). NULLs equal each other here, as in GROUP BY and PARTITION BY.
/// </summary>
public static class AdjacentRows
{
    /// <summary>Sets <paramref name="changed"/>[i] when the value at sorted position i differs from position i-1.</summary>
    public static void MarkChanges(ColumnVector column, int[] order, bool[] changed)
    {
        switch (column)
        {
            case PrimitiveVector<bool> v: Mark(v.Values, v.Nulls, order, changed); break;
            case PrimitiveVector<sbyte> v: Mark(v.Values, v.Nulls, order, changed); break;
            case PrimitiveVector<short> v: Mark(v.Values, v.Nulls, order, changed); break;
            case PrimitiveVector<int> v: Mark(v.Values, v.Nulls, order, changed); break;
            case PrimitiveVector<long> v: Mark(v.Values, v.Nulls, order, changed); break;
            case PrimitiveVector<Int128> v: Mark(v.Values, v.Nulls, order, changed); break;
            case PrimitiveVector<float> v: MarkFloat(v.Values, v.Nulls, order, changed); break;
            case PrimitiveVector<double> v: MarkFloat(v.Values, v.Nulls, order, changed); break;
            default: MarkText(new StringView(column), order, changed); break;
        }
    }

    private static void Mark<T>(T[] values, byte[]? nulls, int[] order, bool[] changed) where T : unmanaged, IEquatable<T>
    {
        for (var i = 1; i < order.Length; i++)
        {
            int a = order[i - 1], b = order[i];
            if (nulls is not null && (nulls[a] | nulls[b]) != 0)
            {
                if (nulls[a] != nulls[b]) changed[i] = true;
                continue;
            }
            if (!values[a].Equals(values[b])) changed[i] = true;
        }
    }

    /// <summary>Floating point: -0.0 equals 0.0 and NaN equals NaN (they sort together).</summary>
    private static void MarkFloat<T>(T[] values, byte[]? nulls, int[] order, bool[] changed) where T : unmanaged, System.Numerics.IFloatingPoint<T>
    {
        for (var i = 1; i < order.Length; i++)
        {
            int a = order[i - 1], b = order[i];
            if (nulls is not null && (nulls[a] | nulls[b]) != 0)
            {
                if (nulls[a] != nulls[b]) changed[i] = true;
                continue;
            }
            var x = values[a];
            var y = values[b];
            if (x != y && !(T.IsNaN(x) && T.IsNaN(y))) changed[i] = true;
        }
    }

    private static void MarkText(StringView view, int[] order, bool[] changed)
    {
        for (var i = 1; i < order.Length; i++)
        {
            int a = order[i - 1], b = order[i];
            bool na = view.IsNull(a), nb = view.IsNull(b);
            if (na || nb)
            {
                if (na != nb) changed[i] = true;
                continue;
            }
            if (!view.Get(a).SequenceEqual(view.Get(b))) changed[i] = true;
        }
    }
}
