using Tarn.Storage.Format;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.State;

/// <summary>
/// Groups a batch's rows by the encoded values of some key columns: each distinct key gets a slot (in order of first
/// appearance) with its encoded bytes — the state key suffix — and the row it first appeared in. Keyed streaming
/// operators (group aggregate, Top-N, OVER) read and write state once per slot rather than once per row.
/// </summary>
public sealed class BatchKeyGrouper
{
    private readonly Dictionary<byte[], int> _slots = new(ByteKeyComparer.Instance);
    private readonly ByteWriter _scratch = new(64);

    /// <summary>The encoded key of each slot.</summary>
    public List<byte[]> Keys { get; } = [];

    /// <summary>The first row of each slot.</summary>
    public List<int> FirstRows { get; } = [];

    public int Count => Keys.Count;

    /// <summary>Forgets the previous batch's slots.</summary>
    public void Clear()
    {
        _slots.Clear();
        Keys.Clear();
        FirstRows.Clear();
    }

    /// <summary>
    /// Adds a slot for a key the caller grouped itself (a fast path that never meets the same key twice per batch,
    /// such as grouping by one integer column); returns its number.
    /// </summary>
    public int Add(byte[] key, int firstRow)
    {
        Keys.Add(key);
        FirstRows.Add(firstRow);
        return Keys.Count - 1;
    }

    /// <summary>Fills <paramref name="slotOfRow"/>[0, n) with each row's slot, adding slots for new keys.</summary>
    public void Group(ColumnVector[] keys, int n, int[] slotOfRow)
    {
        var lookup = _slots.GetAlternateLookup<ReadOnlySpan<byte>>();
        for (var r = 0; r < n; r++)
        {
            _scratch.Clear();
            for (var k = 0; k < keys.Length; k++) ValueCodec.Write(_scratch, keys[k], r);
            if (!lookup.TryGetValue(_scratch.WrittenSpan, out var slot))
            {
                slot = Keys.Count;
                var key = _scratch.WrittenSpan.ToArray();
                _slots[key] = slot;
                Keys.Add(key);
                FirstRows.Add(r);
            }
            slotOfRow[r] = slot;
        }
    }
}
