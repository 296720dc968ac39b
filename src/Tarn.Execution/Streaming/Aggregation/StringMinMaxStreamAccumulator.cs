using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Aggregation;

/// <summary>MIN and MAX of strings and byte strings (ordinal byte order, as the batch accumulator compares them).</summary>
public sealed class StringMinMaxStreamAccumulator(DataType resultType, bool max, bool retracting) : StreamAccumulator(resultType)
{
    private sealed class OrdinalBytes : IComparer<byte[]>
    {
        public static readonly OrdinalBytes Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    private byte[]?[] _values = [];
    private SortedList<byte[], long>?[] _multisets = [];

    public override void Prepare(int slots)
    {
        if (_values.Length < slots)
        {
            _values = new byte[]?[Math.Max(slots, 16)];
            _multisets = new SortedList<byte[], long>?[_values.Length];
            return;
        }
        Array.Clear(_values, 0, slots);
        Array.Clear(_multisets, 0, slots);
    }

    public override void Load(int slot, ref ByteReader r)
    {
        if (!retracting)
        {
            if (r.ReadBool()) _values[slot] = r.ReadBlob().ToArray();
            return;
        }
        var n = r.ReadCount(int.MaxValue);
        if (n == 0) return;
        var set = _multisets[slot] = new SortedList<byte[], long>(n, OrdinalBytes.Instance);
        for (var i = 0; i < n; i++) set[r.ReadBlob().ToArray()] = r.ReadInt64();
    }

    public override void Save(int slot, ByteWriter w)
    {
        if (!retracting)
        {
            w.WriteBool(_values[slot] is not null);
            if (_values[slot] is { } v) w.WriteBlob(v);
            return;
        }
        var set = _multisets[slot];
        w.WriteVarUInt((ulong)(set?.Count ?? 0));
        if (set is null) return;
        foreach (var (value, count) in set)
        {
            w.WriteBlob(value);
            w.WriteInt64(count);
        }
    }

    public override void Update(ColumnVector? argument, ReadOnlySpan<int> rows, int[] slotOfRow, sbyte[] signs)
    {
        var v = argument!;
        foreach (var row in rows)
        {
            if (v.IsNull(row)) continue;
            var bytes = v is DictionaryVector d ? d.Dictionary.GetBytes(d.Codes[row]) : ((BinaryVector)v).GetBytes(row);
            var slot = slotOfRow[row];
            if (!retracting)
            {
                var current = _values[slot];
                if (current is null || (max ? bytes.SequenceCompareTo(current) > 0 : bytes.SequenceCompareTo(current) < 0))
                    _values[slot] = bytes.ToArray();
                continue;
            }
            var set = _multisets[slot] ??= new SortedList<byte[], long>(OrdinalBytes.Instance);
            var key = bytes.ToArray();
            var count = set.GetValueOrDefault(key) + signs[row];
            if (count == 0) set.Remove(key);
            else set[key] = count;
        }
    }

    public override ColumnVector Results(ReadOnlySpan<int> slots)
    {
        var result = new BinaryVector(ResultType, Math.Max(slots.Length, 1));
        foreach (var slot in slots)
        {
            byte[]? value;
            if (!retracting) value = _values[slot];
            else
            {
                var set = _multisets[slot];
                value = set is null || set.Count == 0 ? null : max ? set.Keys[set.Count - 1] : set.Keys[0];
            }
            if (value is null) result.AppendNull();
            else result.Append(value);
        }
        return result;
    }
}
