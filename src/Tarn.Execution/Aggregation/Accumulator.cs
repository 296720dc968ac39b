using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// The state of one aggregate for all groups, as flat arrays indexed by group id. Updates take a whole batch
/// (one virtual call per batch) and run a typed loop; partial states of the same aggregate merge by group map.
/// </summary>
public abstract class Accumulator(DataType resultType)
{
    public DataType ResultType { get; } = resultType;

    /// <summary>Groups the arrays can hold.</summary>
    public abstract int Capacity { get; }

    /// <summary>Grows the arrays to hold at least <paramref name="groups"/> groups (new groups start empty).</summary>
    public abstract void EnsureGroups(int groups);

    /// <summary>Empties groups [0, groups) for reuse.</summary>
    public abstract void Clear(int groups);

    /// <summary>
    /// Adds input rows to their groups: rows [0, n) when <paramref name="rows"/> is null, otherwise the first
    /// <paramref name="rowCount"/> entries of <paramref name="rows"/>. <paramref name="input"/> is the evaluated
    /// argument (null for COUNT(*)); NULL arguments are skipped.
    /// </summary>
    public abstract void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount);

    /// <summary>
    /// Optional fast path for a few groups (dictionary codes): adds all rows [0, n) given that
    /// <paramref name="rowsPerGroup"/>[g] rows belong to group g (g &lt; <paramref name="groups"/>). Returns false when it
    /// does not apply (e.g. the input has NULLs) and the caller must use <see cref="Update"/>.
    /// </summary>
    public virtual bool UpdateFewGroups(int[] groupIds, ColumnVector? input, int n, long[] rowsPerGroup, int groups) => false;

    /// <summary>Folds <paramref name="other"/>'s groups [0, otherGroups) into this one's groups <c>groupMap[g]</c>
    /// (a negative entry means the group is unused and is skipped).</summary>
    public abstract void Merge(Accumulator other, int[] groupMap, int otherGroups);

    /// <summary>The aggregate values of groups [start, start+count).</summary>
    public abstract ColumnVector Results(int start, int count);

    /// <summary>A new empty accumulator of the same kind.</summary>
    public abstract Accumulator NewEmpty();

    public abstract long BytesPerGroup { get; }

    protected static int Grow(int current, int needed) => Math.Max(needed, Math.Max(16, current * 2));

    /// <summary>
    /// Groups [start, start+count) of a fixed-width state as a result vector, NULL where <paramref name="has"/> is
    /// false. BOOLEAN states kept as bytes come back as a bool vector.
    /// </summary>
    protected ColumnVector PrimitiveResults<T>(T[] values, bool[] has, int start, int count) where T : unmanaged
    {
        var n = Math.Max(count, 1);
        byte[]? nulls = null;
        for (var i = 0; i < count; i++)
            if (!has[start + i]) (nulls ??= new byte[n])[i] = 1;
        if (typeof(T) == typeof(byte) && ResultType.Physical == PhysicalType.Bool)
        {
            var b = new bool[n];
            System.Runtime.InteropServices.MemoryMarshal.Cast<T, bool>(values.AsSpan(start, count)).CopyTo(b);
            return new PrimitiveVector<bool>(ResultType, b, count, nulls);
        }
        var copy = new T[n];
        Array.Copy(values, start, copy, 0, count);
        return new PrimitiveVector<T>(ResultType, copy, count, nulls);
    }
}
