using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Aggregation;

/// <summary>COUNT(*) (<paramref name="countNulls"/>) and COUNT(x): a signed row count per group.</summary>
public sealed class CountStreamAccumulator(DataType resultType, bool countNulls) : StreamAccumulator(resultType)
{
    private long[] _counts = [];

    public override void Prepare(int slots)
    {
        if (_counts.Length < slots) _counts = new long[Math.Max(slots, 16)];
        else Array.Clear(_counts, 0, slots);
    }

    public override void Load(int slot, ref ByteReader r) => _counts[slot] = r.ReadInt64();

    public override void Save(int slot, ByteWriter w) => w.WriteInt64(_counts[slot]);

    public override void Update(ColumnVector? argument, ReadOnlySpan<int> rows, int[] slotOfRow, sbyte[] signs)
    {
        var counts = _counts;
        if (countNulls || argument is null || !argument.MayHaveNulls)
        {
            foreach (var row in rows) counts[slotOfRow[row]] += signs[row];
            return;
        }
        foreach (var row in rows)
            if (!argument.IsNull(row)) counts[slotOfRow[row]] += signs[row];
    }

    public override ColumnVector Results(ReadOnlySpan<int> slots)
    {
        var values = new long[Math.Max(slots.Length, 1)];
        for (var i = 0; i < slots.Length; i++) values[i] = _counts[slots[i]];
        return new PrimitiveVector<long>(ResultType, values, slots.Length);
    }
}
