using System.Numerics;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// Group table for any key columns: keys are hashed column by column for the whole batch, probed in an
/// open-addressing table of group ids (linear probing, load ≤ 1/2), and candidate matches are verified column by
/// column over all candidates at once. Keys are stored column-wise.
/// </summary>
public sealed partial class GeneralGroupTable : IGroupTable
{
    private readonly KeyColumn[] _columns;
    private int[] _slots = new int[64]; // group id + 1; 0 = empty
    private uint[] _groupHashes = new uint[64];
    private int _count;

    // per-batch scratch
    private uint[] _hashes = [];
    private int[] _slotOfRow = [];
    private int[] _probe = [];
    private int[] _next = [];
    private int[] _candidates = [];
    private int[] _candidateRows = [];
    private bool[] _match = [];
    private bool[] _hasNull = [];

    public GeneralGroupTable(IReadOnlyList<DataType> keyTypes)
    {
        _columns = [.. keyTypes.Select(KeyColumn.Create)];
    }

    public int Count => _count;

    public long MemoryBytes
    {
        get
        {
            long bytes = _slots.LongLength * 4 + _groupHashes.LongLength * 4;
            foreach (var c in _columns) bytes += c.Bytes;
            return bytes;
        }
    }

    public ColumnVector Keys(int column, int start, int count) => _columns[column].Slice(start, count);

    private void EnsureScratch(int n)
    {
        if (_hashes.Length >= n) return;
        _hashes = new uint[n];
        _slotOfRow = new int[n];
        _probe = new int[n];
        _next = new int[n];
        _candidates = new int[n];
        _candidateRows = new int[n];
        _match = new bool[n];
        _hasNull = new bool[n];
    }

    private void EnsureCapacity(int groups)
    {
        if ((long)groups * 2 <= _slots.Length) return;
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, groups * 2));
        var slots = new int[capacity];
        var mask = capacity - 1;
        for (var g = 0; g < _count; g++)
        {
            var s = (int)(_groupHashes[g] & mask);
            while (slots[s] != 0) s = (s + 1) & mask;
            slots[s] = g + 1;
        }
        _slots = slots;
    }

    public void FindOrInsert(ColumnVector[] keys, int n, int[] groupIds)
    {
        if (!TryFindOrInsertByCodes(keys, n, groupIds)) Probe(keys, n, groupIds, insert: true, nullKeysMatch: true);
    }

    public void Find(ColumnVector[] keys, int n, int[] groupIds) => Probe(keys, n, groupIds, insert: false, nullKeysMatch: true);

    /// <summary>
    /// Maps each row's key to its id. With <paramref name="insert"/> unknown keys get new ids, otherwise -1. With
    /// <paramref name="nullKeysMatch"/> false, a row with a NULL in any key column matches nothing and gets -1 (SQL
    /// equality, as joins need); grouping passes true (GROUP BY puts NULLs together).
    /// </summary>
    public void Probe(ColumnVector[] keys, int n, int[] groupIds, bool insert, bool nullKeysMatch)
    {
        EnsureScratch(n);
        if (insert) EnsureCapacity(_count + n);
        var hashes = _hashes;
        for (var c = 0; c < _columns.Length; c++) _columns[c].Hash(keys[c], n, hashes, first: c == 0);
        if (_columns.Length == 0) Array.Clear(hashes, 0, n);
        var hasNull = _hasNull;
        Array.Clear(hasNull, 0, n);
        if (!nullKeysMatch)
        {
            foreach (var k in keys)
            {
                if (k.Nulls is not { } nulls) continue;
                for (var i = 0; i < n; i++) hasNull[i] |= nulls[i] != 0;
            }
        }

        var slots = _slots;
        var mask = slots.Length - 1;
        var slotOfRow = _slotOfRow;
        var probe = _probe;
        var probeCount = 0;
        for (var i = 0; i < n; i++)
        {
            if (hasNull[i])
            {
                groupIds[i] = -1;
                continue;
            }
            probe[probeCount++] = i;
            slotOfRow[i] = (int)(hashes[i] & mask);
        }
        while (probeCount > 0)
        {
            var candidateCount = 0;
            var nextCount = 0;
            for (var k = 0; k < probeCount; k++)
            {
                var r = probe[k];
                var s = slotOfRow[r];
                var g = slots[s] - 1;
                if (g < 0)
                {
                    if (insert)
                    {
                        g = NewGroup(keys, r, hashes[r]);
                        slots[s] = g + 1;
                    }
                    groupIds[r] = g;
                }
                else if (_groupHashes[g] == hashes[r])
                {
                    _candidates[candidateCount] = g;
                    _candidateRows[candidateCount++] = r;
                }
                else
                {
                    slotOfRow[r] = (s + 1) & mask;
                    _next[nextCount++] = r;
                }
            }
            if (candidateCount > 0)
            {
                var match = _match;
                Array.Fill(match, true, 0, candidateCount);
                for (var c = 0; c < _columns.Length; c++) _columns[c].Compare(keys[c], _candidates, _candidateRows, candidateCount, match);
                for (var k = 0; k < candidateCount; k++)
                {
                    var r = _candidateRows[k];
                    if (match[k]) groupIds[r] = _candidates[k];
                    else
                    {
                        slotOfRow[r] = (slotOfRow[r] + 1) & mask;
                        _next[nextCount++] = r;
                    }
                }
            }
            (_probe, _next) = (_next, _probe);
            probe = _probe;
            probeCount = nextCount;
        }
    }

    private int NewGroup(ColumnVector[] keys, int row, uint hash)
    {
        var g = _count++;
        if (g == _groupHashes.Length) Array.Resize(ref _groupHashes, g * 2);
        _groupHashes[g] = hash;
        for (var c = 0; c < _columns.Length; c++) _columns[c].Append(keys[c], row);
        return g;
    }
}
