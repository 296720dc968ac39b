using Tarn.Execution.Streaming.State;
using Tarn.Execution.Vectors;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Aggregation;

/// <summary>
/// MIN and MAX of fixed-width values. Over an insert-only input a group keeps just its extreme; when the input may
/// retract rows, it keeps every value with its multiplicity (sorted), so retracting the current extreme falls back to
/// the next one, as Flink's MinWithRetractAggFunction does with its map state.
/// </summary>
public sealed class MinMaxStreamAccumulator<T>(DataType resultType, bool max, bool retracting) : StreamAccumulator(resultType)
    where T : unmanaged, IComparable<T>
{
    private T[] _values = [];
    private bool[] _has = [];
    private SortedList<T, long>?[] _multisets = [];

    public override void Prepare(int slots)
    {
        if (_values.Length < slots)
        {
            var size = Math.Max(slots, 16);
            _values = new T[size];
            _has = new bool[size];
            _multisets = new SortedList<T, long>?[size];
            return;
        }
        Array.Clear(_has, 0, slots);
        Array.Clear(_multisets, 0, slots);
    }

    public override void Load(int slot, ref ByteReader r)
    {
        if (!retracting)
        {
            _has[slot] = r.ReadBool();
            if (_has[slot]) _values[slot] = ValueCodec.ReadRaw<T>(ref r);
            return;
        }
        var n = r.ReadCount(int.MaxValue);
        if (n == 0) return;
        var set = _multisets[slot] = new SortedList<T, long>();
        for (var i = 0; i < n; i++) set[ValueCodec.ReadRaw<T>(ref r)] = r.ReadInt64();
    }

    public override void Save(int slot, ByteWriter w)
    {
        if (!retracting)
        {
            w.WriteBool(_has[slot]);
            if (_has[slot]) ValueCodec.WriteRaw(w, _values[slot]);
            return;
        }
        var set = _multisets[slot];
        w.WriteVarUInt((ulong)(set?.Count ?? 0));
        if (set is null) return;
        foreach (var (value, count) in set)
        {
            ValueCodec.WriteRaw(w, value);
            w.WriteInt64(count);
        }
    }

    public override void Update(ColumnVector? argument, ReadOnlySpan<int> rows, int[] slotOfRow, sbyte[] signs)
    {
        var v = (PrimitiveVector<T>)PhysicalValues.Flatten(argument!);
        var values = v.Values;
        var nullable = v.MayHaveNulls;
        foreach (var row in rows)
        {
            if (nullable && v.IsNull(row)) continue;
            var slot = slotOfRow[row];
            var x = values[row];
            if (!retracting)
            {
                if (signs[row] < 0)
                    throw new TarnException(SqlStates.InternalError, "MIN/MAX planned for an insert-only input received a retraction");
                if (!_has[slot] || (max ? x.CompareTo(_values[slot]) > 0 : x.CompareTo(_values[slot]) < 0))
                {
                    _values[slot] = x;
                    _has[slot] = true;
                }
                continue;
            }
            var set = _multisets[slot] ??= new SortedList<T, long>();
            var count = set.GetValueOrDefault(x) + signs[row];
            if (count == 0) set.Remove(x);
            else set[x] = count;
        }
    }

    public override ColumnVector Results(ReadOnlySpan<int> slots)
    {
        var n = Math.Max(slots.Length, 1);
        var result = new T[n];
        byte[]? nulls = null;
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            if (!retracting)
            {
                if (_has[slot]) result[i] = _values[slot];
                else (nulls ??= new byte[n])[i] = 1;
                continue;
            }
            var set = _multisets[slot];
            if (set is null || set.Count == 0) (nulls ??= new byte[n])[i] = 1;
            else result[i] = max ? set.Keys[set.Count - 1] : set.Keys[0];
        }
        return new PrimitiveVector<T>(ResultType, result, slots.Length, nulls);
    }
}
