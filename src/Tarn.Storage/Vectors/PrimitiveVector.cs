using Tarn.Types;

namespace Tarn.Vectors;

/// <summary>A vector of fixed-width values (booleans, integers, floats, decimals, dates and times).</summary>
public sealed class PrimitiveVector<T> : ColumnVector where T : unmanaged
{
    public PrimitiveVector(DataType type, int capacity) : base(type)
    {
        Values = new T[Math.Max(capacity, 1)];
    }

    public PrimitiveVector(DataType type, T[] values, int count, byte[]? nulls = null) : base(type)
    {
        Values = values;
        Count = count;
        SetNulls(nulls);
    }

    /// <summary>Backing array; entries at or past <see cref="ColumnVector.Count"/> are unspecified, and so are entries of NULL rows.</summary>
    public T[] Values { get; private set; }

    public Span<T> Span => Values.AsSpan(0, Count);

    public override int Capacity => Values.Length;

    public override void EnsureCapacity(int capacity)
    {
        if (capacity <= Values.Length) return;
        var v = Values;
        Array.Resize(ref v, Math.Max(capacity, v.Length * 2));
        Values = v;
        if (Nulls is not null) EnsureNullMask(Values.Length);
    }

    public void Append(T value)
    {
        if (Count == Values.Length) EnsureCapacity(Count + 1);
        Values[Count++] = value;
    }

    public override void AppendNull()
    {
        if (Count == Values.Length) EnsureCapacity(Count + 1);
        Values[Count] = default;
        EnsureNullMask(Values.Length)[Count] = 1;
        Count++;
    }

    public override void AppendFrom(ColumnVector source, int row)
    {
        if (source.IsNull(row)) { AppendNull(); return; }
        Append(((PrimitiveVector<T>)source).Values[row]);
    }

    // hot loop (join output, filters): compiled fully optimized at once instead of starting in tier 0
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override ColumnVector Gather(ReadOnlySpan<int> selection)
    {
        var values = new T[Math.Max(selection.Length, 1)];
        var src = Values;
        for (var i = 0; i < selection.Length; i++) values[i] = src[selection[i]];
        return new PrimitiveVector<T>(Type, values, selection.Length, GatherNulls(selection));
    }

    public override ColumnVector Slice(int start, int length)
    {
        var values = new T[Math.Max(length, 1)];
        Array.Copy(Values, start, values, 0, length);
        return new PrimitiveVector<T>(Type, values, length, SliceNulls(start, length));
    }

    protected override object GetValueCore(int row) => ValueConverter.ToClr(Type, Values[row]);
}
