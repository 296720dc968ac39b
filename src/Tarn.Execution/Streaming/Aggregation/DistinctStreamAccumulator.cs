using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Aggregation;

/// <summary>
/// The DISTINCT form of an aggregate (COUNT(DISTINCT x), SUM(DISTINCT x), ...): per group every distinct value with its
/// multiplicity. Only a value's first appearance adds it to the inner aggregate and only its last retraction removes
/// it, so the inner aggregate sees each distinct value once (Flink's DistinctAccumulator).
/// </summary>
public sealed class DistinctStreamAccumulator(StreamAccumulator inner) : StreamAccumulator(inner.ResultType)
{
    private Dictionary<byte[], long>?[] _values = [];
    private readonly ByteWriter _scratch = new(64);
    private int[] _changed = [];
    private sbyte[] _signs = [];

    public override void Prepare(int slots)
    {
        inner.Prepare(slots);
        if (_values.Length < slots) _values = new Dictionary<byte[], long>?[Math.Max(slots, 16)];
        else Array.Clear(_values, 0, slots);
    }

    public override void Load(int slot, ref ByteReader r)
    {
        var n = r.ReadCount(int.MaxValue);
        var map = _values[slot] = new Dictionary<byte[], long>(n, ByteKeyComparer.Instance);
        for (var i = 0; i < n; i++) map[r.ReadBlob().ToArray()] = r.ReadInt64();
        inner.Load(slot, ref r);
    }

    public override void Save(int slot, ByteWriter w)
    {
        var map = _values[slot];
        w.WriteVarUInt((ulong)(map?.Count ?? 0));
        if (map is not null)
        {
            foreach (var (value, count) in map)
            {
                w.WriteBlob(value);
                w.WriteInt64(count);
            }
        }
        inner.Save(slot, w);
    }

    public override void Update(ColumnVector? argument, ReadOnlySpan<int> rows, int[] slotOfRow, sbyte[] signs)
    {
        var v = argument!;
        if (_changed.Length < rows.Length) _changed = new int[Math.Max(rows.Length, 64)];
        if (_signs.Length < v.Count) _signs = new sbyte[Math.Max(v.Count, 64)];
        var changed = 0;
        foreach (var row in rows)
        {
            if (v.IsNull(row)) continue;
            _scratch.Clear();
            ValueCodec.Write(_scratch, v, row);
            var slot = slotOfRow[row];
            var map = _values[slot] ??= new Dictionary<byte[], long>(ByteKeyComparer.Instance);
            var lookup = map.GetAlternateLookup<ReadOnlySpan<byte>>();
            var before = lookup.TryGetValue(_scratch.WrittenSpan, out var c) ? c : 0;
            var after = before + signs[row];
            if (after == 0) lookup.Remove(_scratch.WrittenSpan);
            else lookup[_scratch.WrittenSpan] = after;
            if (before <= 0 && after > 0) { _changed[changed++] = row; _signs[row] = 1; }
            else if (before > 0 && after <= 0) { _changed[changed++] = row; _signs[row] = -1; }
        }
        if (changed > 0) inner.Update(argument, _changed.AsSpan(0, changed), slotOfRow, _signs);
    }

    public override ColumnVector Results(ReadOnlySpan<int> slots) => inner.Results(slots);
}
