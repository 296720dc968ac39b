using Tarn.Execution.Vectors;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Aggregation;

/// <summary>BOOL_AND / BOOL_OR with retraction: counts of TRUE and FALSE values per group.</summary>
public sealed class BoolStreamAccumulator(DataType resultType, bool isAnd) : StreamAccumulator(resultType)
{
    private long[] _trues = [];
    private long[] _falses = [];

    public override void Prepare(int slots)
    {
        if (_trues.Length < slots)
        {
            _trues = new long[Math.Max(slots, 16)];
            _falses = new long[_trues.Length];
            return;
        }
        Array.Clear(_trues, 0, slots);
        Array.Clear(_falses, 0, slots);
    }

    public override void Load(int slot, ref ByteReader r)
    {
        _trues[slot] = r.ReadInt64();
        _falses[slot] = r.ReadInt64();
    }

    public override void Save(int slot, ByteWriter w)
    {
        w.WriteInt64(_trues[slot]);
        w.WriteInt64(_falses[slot]);
    }

    public override void Update(ColumnVector? argument, ReadOnlySpan<int> rows, int[] slotOfRow, sbyte[] signs)
    {
        var v = (PrimitiveVector<bool>)PhysicalValues.Flatten(argument!);
        foreach (var row in rows)
        {
            if (v.IsNull(row)) continue;
            if (v.Values[row]) _trues[slotOfRow[row]] += signs[row];
            else _falses[slotOfRow[row]] += signs[row];
        }
    }

    public override ColumnVector Results(ReadOnlySpan<int> slots)
    {
        var n = Math.Max(slots.Length, 1);
        var values = new bool[n];
        byte[]? nulls = null;
        for (var i = 0; i < slots.Length; i++)
        {
            var t = _trues[slots[i]];
            var f = _falses[slots[i]];
            if (t + f == 0) (nulls ??= new byte[n])[i] = 1;
            else values[i] = isAnd ? f == 0 : t > 0;
        }
        return new PrimitiveVector<bool>(ResultType, values, slots.Length, nulls);
    }
}
