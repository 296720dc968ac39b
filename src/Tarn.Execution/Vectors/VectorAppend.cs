using Tarn.Vectors;

namespace Tarn.Execution.Vectors;

/// <summary>Bulk appends between vectors of the same type (dictionary sources are expanded).</summary>
public static class VectorAppend
{
    /// <summary>Appends rows [start, start+count) of <paramref name="source"/> to the flat vector <paramref name="target"/>.</summary>
    public static void Append(ColumnVector target, ColumnVector source, int start, int count)
    {
        switch (target)
        {
            case PrimitiveVector<bool> t: Copy(t, (PrimitiveVector<bool>)source, start, count); return;
            case PrimitiveVector<sbyte> t: Copy(t, (PrimitiveVector<sbyte>)source, start, count); return;
            case PrimitiveVector<short> t: Copy(t, (PrimitiveVector<short>)source, start, count); return;
            case PrimitiveVector<int> t: Copy(t, (PrimitiveVector<int>)source, start, count); return;
            case PrimitiveVector<long> t: Copy(t, (PrimitiveVector<long>)source, start, count); return;
            case PrimitiveVector<Int128> t: Copy(t, (PrimitiveVector<Int128>)source, start, count); return;
            case PrimitiveVector<float> t: Copy(t, (PrimitiveVector<float>)source, start, count); return;
            case PrimitiveVector<double> t: Copy(t, (PrimitiveVector<double>)source, start, count); return;
            case BinaryVector b:
                var view = new StringView(source);
                for (var i = start; i < start + count; i++)
                {
                    if (view.IsNull(i)) b.AppendNull();
                    else b.Append(view.Get(i));
                }
                return;
            default: throw new InvalidOperationException($"cannot append to {target.GetType().Name}");
        }
    }

    public static void Append(ColumnVector target, ColumnVector source) => Append(target, source, 0, source.Count);

    private static void Copy<T>(PrimitiveVector<T> target, PrimitiveVector<T> source, int start, int count) where T : unmanaged
    {
        var at = target.Count;
        target.EnsureCapacity(at + count);
        Array.Copy(source.Values, start, target.Values, at, count);
        target.SetCount(at + count);
        if (source.Nulls is { } n)
        {
            for (var i = 0; i < count; i++)
                if (n[start + i] != 0) target.SetNull(at + i);
        }
    }

    /// <summary>Appends the rows of <paramref name="source"/> at <paramref name="rows"/>, in that order.</summary>
    public static void AppendRows(ColumnVector target, ColumnVector source, ReadOnlySpan<int> rows)
    {
        switch (target)
        {
            case PrimitiveVector<bool> t: CopyRows(t, (PrimitiveVector<bool>)source, rows); return;
            case PrimitiveVector<sbyte> t: CopyRows(t, (PrimitiveVector<sbyte>)source, rows); return;
            case PrimitiveVector<short> t: CopyRows(t, (PrimitiveVector<short>)source, rows); return;
            case PrimitiveVector<int> t: CopyRows(t, (PrimitiveVector<int>)source, rows); return;
            case PrimitiveVector<long> t: CopyRows(t, (PrimitiveVector<long>)source, rows); return;
            case PrimitiveVector<Int128> t: CopyRows(t, (PrimitiveVector<Int128>)source, rows); return;
            case PrimitiveVector<float> t: CopyRows(t, (PrimitiveVector<float>)source, rows); return;
            case PrimitiveVector<double> t: CopyRows(t, (PrimitiveVector<double>)source, rows); return;
            case BinaryVector b:
                var view = new StringView(source);
                foreach (var r in rows)
                {
                    if (view.IsNull(r)) b.AppendNull();
                    else b.Append(view.Get(r));
                }
                return;
            default: throw new InvalidOperationException($"cannot append to {target.GetType().Name}");
        }
    }

    private static void CopyRows<T>(PrimitiveVector<T> target, PrimitiveVector<T> source, ReadOnlySpan<int> rows) where T : unmanaged
    {
        var at = target.Count;
        target.EnsureCapacity(at + rows.Length);
        var dst = target.Values;
        var src = source.Values;
        for (var i = 0; i < rows.Length; i++) dst[at + i] = src[rows[i]];
        target.SetCount(at + rows.Length);
        if (source.Nulls is { } n)
        {
            for (var i = 0; i < rows.Length; i++)
                if (n[rows[i]] != 0) target.SetNull(at + i);
        }
    }

    /// <summary>Approximate heap bytes held by a vector (for memory accounting).</summary>
    public static long EstimateBytes(ColumnVector v) => v switch
    {
        BinaryVector b => b.Data.LongLength + b.Offsets.LongLength * 4 + (b.Nulls?.LongLength ?? 0),
        DictionaryVector d => d.Codes.LongLength * 4 + (d.Nulls?.LongLength ?? 0) + EstimateBytes(d.Dictionary),
        _ => (long)v.Capacity * ElementSize(v) + (v.Nulls?.LongLength ?? 0),
    };

    private static int ElementSize(ColumnVector v) => v switch
    {
        PrimitiveVector<bool> or PrimitiveVector<sbyte> => 1,
        PrimitiveVector<short> => 2,
        PrimitiveVector<int> or PrimitiveVector<float> => 4,
        PrimitiveVector<Int128> => 16,
        _ => 8,
    };
}
