using Tarn.Types;

namespace Tarn.Vectors;

/// <summary>
/// One column of a batch, stored as a typed array plus an optional null mask. Operators switch on the
/// concrete vector type once per batch and then run typed loops over spans: there is no per-row virtual call.
/// </summary>
public abstract class ColumnVector
{
    protected ColumnVector(DataType type) => Type = type;

    public DataType Type { get; }

    /// <summary>Number of rows.</summary>
    public int Count { get; protected set; }

    /// <summary>Null mask, one byte per row (non-zero = NULL); <c>null</c> when no row is NULL.</summary>
    public byte[]? Nulls { get; protected set; }

    public bool IsNull(int row) => Nulls is { } n && n[row] != 0;

    /// <summary>True when some row may be NULL (the mask exists).</summary>
    public bool MayHaveNulls => Nulls is not null;

    /// <summary>Marks a row NULL, creating the mask on first use.</summary>
    public void SetNull(int row)
    {
        EnsureNullMask(Math.Max(row + 1, Capacity))[row] = 1;
    }

    public void SetNulls(byte[]? nulls) => Nulls = nulls;

    protected byte[] EnsureNullMask(int capacity)
    {
        if (Nulls is null) Nulls = new byte[Math.Max(capacity, 1)];
        else if (Nulls.Length < capacity) { var n = Nulls; Array.Resize(ref n, Math.Max(capacity, n.Length * 2)); Nulls = n; }
        return Nulls;
    }

    /// <summary>Rows the vector can hold without growing.</summary>
    public abstract int Capacity { get; }

    /// <summary>Grows storage to at least <paramref name="capacity"/> rows, keeping values.</summary>
    public abstract void EnsureCapacity(int capacity);

    /// <summary>Sets <see cref="Count"/> after a bulk fill of the underlying arrays.</summary>
    public void SetCount(int count)
    {
        if (count > Capacity) EnsureCapacity(count);
        Count = count;
    }

    /// <summary>Empties the vector for reuse (keeps allocations).</summary>
    public virtual void Reset()
    {
        Count = 0;
        if (Nulls is not null) Array.Clear(Nulls);
        Nulls = null;
    }

    /// <summary>A new vector with the rows at <paramref name="selection"/>, in that order.</summary>
    public abstract ColumnVector Gather(ReadOnlySpan<int> selection);

    /// <summary>A new vector with rows [start, start+length).</summary>
    public abstract ColumnVector Slice(int start, int length);

    /// <summary>Appends row <paramref name="row"/> of <paramref name="source"/> (same type) to this vector.</summary>
    public abstract void AppendFrom(ColumnVector source, int row);

    /// <summary>Appends a NULL.</summary>
    public abstract void AppendNull();

    /// <summary>The value as a CLR object (see <see cref="Values"/>). For APIs and tests, not for hot paths.</summary>
    public object? GetValue(int row) => IsNull(row) ? null : GetValueCore(row);

    protected abstract object GetValueCore(int row);

    /// <summary>Creates an empty vector of the physical layout of <paramref name="type"/>.</summary>
    public static ColumnVector Create(DataType type, int capacity = 1024) => type.Physical switch
    {
        PhysicalType.Bool => new PrimitiveVector<bool>(type, capacity),
        PhysicalType.Int8 => new PrimitiveVector<sbyte>(type, capacity),
        PhysicalType.Int16 => new PrimitiveVector<short>(type, capacity),
        PhysicalType.Int32 => new PrimitiveVector<int>(type, capacity),
        PhysicalType.Int64 => new PrimitiveVector<long>(type, capacity),
        PhysicalType.Int128 => new PrimitiveVector<Int128>(type, capacity),
        PhysicalType.Float32 => new PrimitiveVector<float>(type, capacity),
        PhysicalType.Float64 => new PrimitiveVector<double>(type, capacity),
        PhysicalType.Binary => new BinaryVector(type, capacity),
        _ => throw new InvalidOperationException($"no vector for {type}"),
    };

    /// <summary>Copies the null flags of rows [start, start+length) into a new mask, or null if none is set.</summary>
    protected byte[]? SliceNulls(int start, int length)
    {
        if (Nulls is null) return null;
        var src = Nulls.AsSpan(start, length);
        if (!src.ContainsAnyExcept((byte)0)) return null;
        return src.ToArray();
    }

    protected byte[]? GatherNulls(ReadOnlySpan<int> selection)
    {
        if (Nulls is null) return null;
        byte[]? result = null;
        for (var i = 0; i < selection.Length; i++)
        {
            if (Nulls[selection[i]] != 0)
            {
                result ??= new byte[selection.Length];
                result[i] = 1;
            }
        }
        return result;
    }
}
