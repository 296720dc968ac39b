using System.Numerics;
using Tarn.Execution.Aggregation;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Joins;

/// <summary>
/// The build side of a hash join: distinct non-NULL keys in an open-addressing table (linear probing, load ≤ 1/2),
/// each key heading a chain of the build rows holding it. Rows with a NULL in any key column are not inserted
/// (SQL equality never matches NULL). Hashing and verification run column by column over a whole batch, reusing
/// the grouping <see cref="KeyColumn"/>s.
/// </summary>
internal sealed class JoinHashTable
{
    private readonly KeyColumn[] _columns;
    private int[] _slots = new int[64]; // key id + 1; 0 = empty
    private uint[] _keyHashes = new uint[64];
    private int[] _heads = new int[64]; // first build row of each key's chain
    private int[] _next = new int[64]; // next build row with the same key; -1 ends the chain
    private int _keyCount;
    private int _rowCount;

    // per-batch scratch
    private uint[] _hashes = [];
    private int[] _slotOfRow = [];
    private int[] _probe = [];
    private int[] _pending = [];
    private int[] _candidates = [];
    private int[] _candidateRows = [];
    private bool[] _match = [];
    private bool[] _hasNull = [];

    public JoinHashTable(IReadOnlyList<DataType> keyTypes)
    {
        _columns = new KeyColumn[keyTypes.Count];
        for (var i = 0; i < _columns.Length; i++) _columns[i] = KeyColumn.Create(keyTypes[i]);
    }

    /// <summary>Chain heads by key id.</summary>
    public int[] Heads => _heads;

    /// <summary>Next build row of the same key by build row; -1 ends the chain.</summary>
    public int[] NextRows => _next;

    public long MemoryBytes
    {
        get
        {
            long bytes = _slots.LongLength * 4 + _keyHashes.LongLength * 4 + _heads.LongLength * 4 + _next.LongLength * 4;
            foreach (var c in _columns) bytes += c.Bytes;
            return bytes;
        }
    }

    /// <summary>Adds build rows [rowBase, rowBase+n) whose keys are rows [0, n) of <paramref name="keys"/>.</summary>
    public void Insert(ColumnVector[] keys, int n, int rowBase)
    {
        EnsureScratch(n);
        EnsureCapacity(_keyCount + n);
        if (_next.Length < rowBase + n) Array.Resize(ref _next, (int)Math.Min(Array.MaxLength, Math.Max((long)_next.Length * 2, rowBase + n)));
        _rowCount = rowBase + n;
        var ids = new int[n];
        Probe(keys, n, ids, insert: true);
        var heads = _heads;
        var next = _next;
        for (var i = 0; i < n; i++)
        {
            var row = rowBase + i;
            var g = ids[i];
            if (g < 0)
            {
                next[row] = -1;
                continue;
            }
            next[row] = heads[g];
            heads[g] = row;
        }
    }

    /// <summary>Writes each probe row's key id to <paramref name="keyIds"/>, or -1 when no build row has its key.</summary>
    public void Find(ColumnVector[] keys, int n, int[] keyIds)
    {
        EnsureScratch(n);
        Probe(keys, n, keyIds, insert: false);
    }

    public int RowCount => _rowCount;

    private void EnsureScratch(int n)
    {
        if (_hashes.Length >= n) return;
        _hashes = new uint[n];
        _slotOfRow = new int[n];
        _probe = new int[n];
        _pending = new int[n];
        _candidates = new int[n];
        _candidateRows = new int[n];
        _match = new bool[n];
        _hasNull = new bool[n];
    }

    private void EnsureCapacity(int keys)
    {
        if ((long)keys * 2 <= _slots.Length) return;
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, keys * 2));
        var slots = new int[capacity];
        var mask = capacity - 1;
        for (var g = 0; g < _keyCount; g++)
        {
            var s = (int)(_keyHashes[g] & mask);
            while (slots[s] != 0) s = (s + 1) & mask;
            slots[s] = g + 1;
        }
        _slots = slots;
    }

    private void Probe(ColumnVector[] keys, int n, int[] ids, bool insert)
    {
        var hashes = _hashes;
        for (var c = 0; c < _columns.Length; c++) _columns[c].Hash(keys[c], n, hashes, first: c == 0);
        var hasNull = _hasNull;
        Array.Clear(hasNull, 0, n);
        foreach (var k in keys)
        {
            if (k.Nulls is not { } nulls) continue;
            for (var i = 0; i < n; i++) hasNull[i] |= nulls[i] != 0;
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
                ids[i] = -1;
                continue;
            }
            probe[probeCount++] = i;
            slotOfRow[i] = (int)(hashes[i] & mask);
        }
        while (probeCount > 0)
        {
            var candidateCount = 0;
            var pendingCount = 0;
            for (var k = 0; k < probeCount; k++)
            {
                var r = probe[k];
                var s = slotOfRow[r];
                var g = slots[s] - 1;
                if (g < 0)
                {
                    if (insert)
                    {
                        g = NewKey(keys, r, hashes[r]);
                        slots[s] = g + 1;
                    }
                    ids[r] = g;
                }
                else if (_keyHashes[g] == hashes[r])
                {
                    _candidates[candidateCount] = g;
                    _candidateRows[candidateCount++] = r;
                }
                else
                {
                    slotOfRow[r] = (s + 1) & mask;
                    _pending[pendingCount++] = r;
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
                    if (match[k]) ids[r] = _candidates[k];
                    else
                    {
                        slotOfRow[r] = (slotOfRow[r] + 1) & mask;
                        _pending[pendingCount++] = r;
                    }
                }
            }
            (_probe, _pending) = (_pending, _probe);
            probe = _probe;
            probeCount = pendingCount;
        }
    }

    private int NewKey(ColumnVector[] keys, int row, uint hash)
    {
        var g = _keyCount++;
        if (g == _keyHashes.Length)
        {
            Array.Resize(ref _keyHashes, g * 2);
            Array.Resize(ref _heads, g * 2);
        }
        _keyHashes[g] = hash;
        _heads[g] = -1;
        for (var c = 0; c < _columns.Length; c++) _columns[c].Append(keys[c], row);
        return g;
    }
}
