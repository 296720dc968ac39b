using Tarn.Execution.Streaming.State;
using Tarn.State;
using Tarn.Storage.Format;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Aggregation;

/// <summary>
/// The DISTINCT form of an aggregate (COUNT(DISTINCT x), SUM(DISTINCT x), ...): per group every distinct value with its
/// multiplicity. Only a value's first appearance adds it to the inner aggregate and only its last retraction removes
/// it, so the inner aggregate sees each distinct value once (Flink's DistinctAccumulator).
/// <para>
/// The multiplicities are separate state entries keyed by (group, value) — Flink's MapState — not part of the group's
/// record: a group with millions of distinct values (Nexmark q15) must not become one huge record, and a batch reads
/// and writes only the (group, value) pairs it touches.
/// </para>
/// <para>
/// The value counts live as long as their group: they count only for a group whose record the aggregate loaded
/// (<see cref="Load"/>). A group without a record — new, emptied, or expired by the state TTL — starts with no
/// values, so after its TTL a group forgets its distinct values with the rest of its state (a value's stale count is
/// overwritten when the value comes back), as Flink's DISTINCT map state expires with the group's TTL.
/// </para>
/// </summary>
public sealed class DistinctStreamAccumulator : StreamAccumulator
{
    private readonly StreamAccumulator _inner;
    private readonly OperatorState _state;
    private readonly byte _space;
    private readonly ByteWriter _scratch = new(64);
    private readonly Dictionary<byte[], int> _pairs = new(ByteKeyComparer.Instance);
    private readonly List<byte[]> _pairKeys = [];
    private readonly List<long> _pairDelta = [];
    private readonly StateReadBatch _reads = new();
    private IReadOnlyList<byte[]> _slotKeys = [];
    private int[] _pairOfRow = [];
    private int[] _changed = [];
    private sbyte[] _signs = [];
    private bool[] _groupLoaded = [];

    /// <param name="space">The state namespace of this aggregate's value counts (distinct per DISTINCT aggregate of the operator).</param>
    public DistinctStreamAccumulator(StreamAccumulator inner, OperatorState state, byte space) : base(inner.ResultType)
    {
        _inner = inner;
        _state = state;
        _space = space;
    }

    /// <summary>The group keys of the batch's slots (set by the group aggregate before <see cref="Update"/>).</summary>
    public void BindSlots(IReadOnlyList<byte[]> slotKeys) => _slotKeys = slotKeys;

    public override void Prepare(int slots)
    {
        if (_groupLoaded.Length < slots) _groupLoaded = new bool[Math.Max(slots, 64)];
        else Array.Clear(_groupLoaded, 0, slots);
        _inner.Prepare(slots);
    }

    public override void Load(int slot, ref ByteReader r)
    {
        _groupLoaded[slot] = true;
        _inner.Load(slot, ref r);
    }

    public override void Save(int slot, ByteWriter w) => _inner.Save(slot, w);

    public override void Update(ColumnVector? argument, ReadOnlySpan<int> rows, int[] slotOfRow, sbyte[] signs)
    {
        var v = argument!;
        if (_pairOfRow.Length < v.Count)
        {
            _pairOfRow = new int[Math.Max(v.Count, 64)];
            _signs = new sbyte[_pairOfRow.Length];
        }
        if (_changed.Length < rows.Length) _changed = new int[Math.Max(rows.Length, 64)];

        // The (group, value) pairs of the batch, each with the rows that touch it.
        _pairs.Clear();
        _pairKeys.Clear();
        _pairDelta.Clear();
        var lookup = _pairs.GetAlternateLookup<ReadOnlySpan<byte>>();
        foreach (var row in rows)
        {
            if (v.IsNull(row))
            {
                _pairOfRow[row] = -1;
                continue;
            }
            _scratch.Clear();
            _state.WritePrefix(_scratch, _space);
            var group = _slotKeys[slotOfRow[row]];
            _scratch.WriteVarUInt((ulong)group.Length);
            _scratch.WriteBytes(group);
            ValueCodec.Write(_scratch, v, row);
            if (!lookup.TryGetValue(_scratch.WrittenSpan, out var pair))
            {
                pair = _pairKeys.Count;
                var key = _scratch.WrittenSpan.ToArray();
                _pairs[key] = pair;
                _pairKeys.Add(key);
                _pairDelta.Add(0);
            }
            _pairOfRow[row] = pair;
        }
        if (_pairKeys.Count == 0) return;

        // Current multiplicities, then the rows in order: a value's first arrival adds it, its last retraction removes it.
        _reads.Clear();
        foreach (var key in _pairKeys) _reads.Add(key);
        _state.Session.Read(_reads);
        var counts = new long[_pairKeys.Count];
        var stale = new bool[counts.Length];
        for (var p = 0; p < counts.Length; p++)
            if (_reads.TryGetValue(p, out var stored)) counts[p] = new ByteReader(stored, "distinct count").ReadInt64();
        foreach (var row in rows)
        {
            // a count left over from an expired (or emptied) group: that group starts without values
            var pair = _pairOfRow[row];
            if (pair >= 0 && counts[pair] != 0 && !_groupLoaded[slotOfRow[row]]) { counts[pair] = 0; stale[pair] = true; }
        }
        var before = (long[])counts.Clone();
        var changed = 0;
        foreach (var row in rows)
        {
            var pair = _pairOfRow[row];
            if (pair < 0) continue;
            var was = counts[pair];
            var now = was + signs[row];
            counts[pair] = now;
            if (was <= 0 && now > 0) { _changed[changed++] = row; _signs[row] = 1; }
            else if (was > 0 && now <= 0) { _changed[changed++] = row; _signs[row] = -1; }
        }
        for (var p = 0; p < counts.Length; p++)
        {
            if (counts[p] == before[p] && !stale[p]) continue;
            if (counts[p] == 0) _state.Session.Delete(_pairKeys[p]);
            else
            {
                _scratch.Clear();
                _scratch.WriteInt64(counts[p]);
                _state.Session.Upsert(_pairKeys[p], _scratch.WrittenSpan);
            }
        }
        if (changed > 0) _inner.Update(argument, _changed.AsSpan(0, changed), slotOfRow, _signs);
    }

    public override ColumnVector Results(ReadOnlySpan<int> slots) => _inner.Results(slots);
}
