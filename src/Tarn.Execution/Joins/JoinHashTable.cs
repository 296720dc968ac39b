using Tarn.Execution.Aggregation;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Joins;

/// <summary>
/// The build side of a hash join: the distinct non-NULL keys live in a group table (the same vectorized hashing,
/// probing and verification grouping uses, with NULL keys matching nothing), and each key id heads a chain of the
/// build rows holding that key. A single integer key uses the <see cref="IntegerGroupTable"/>, which indexes dense key
/// ranges directly (the common foreign-key case) instead of hashing.
/// </summary>
internal sealed class JoinHashTable
{
    private readonly GeneralGroupTable? _keys;
    private readonly IntegerGroupTable? _integerKeys;
    private int[] _heads = [.. Enumerable.Repeat(-1, 64)]; // first build row of each key's chain; -1 = none yet
    private int[] _next = new int[64]; // next build row with the same key; -1 ends the chain
    private int[] _ids = [];
    private int _rowCount;

    public JoinHashTable(IReadOnlyList<DataType> keyTypes)
    {
        if (keyTypes.Count == 1 && IntegerGroupTable.Supports(keyTypes[0])) _integerKeys = new IntegerGroupTable(keyTypes[0]);
        else _keys = new GeneralGroupTable(keyTypes);
    }

    private int KeyCount => _integerKeys?.Count ?? _keys!.Count;

    /// <summary>Key ids of rows [0, n); -1 for NULL keys (which match nothing) and, when not inserting, unknown keys.</summary>
    private void Probe(ColumnVector[] keys, int n, int[] ids, bool insert)
    {
        if (_keys is not null)
        {
            _keys.Probe(keys, n, ids, insert, nullKeysMatch: false);
            return;
        }
        // The integer table groups NULLs like GROUP BY does; a join must not match them.
        if (insert) _integerKeys!.FindOrInsert(keys, n, ids);
        else _integerKeys!.Find(keys, n, ids);
        if (keys[0].Nulls is { } nulls)
        {
            for (var i = 0; i < n; i++)
            {
                if (nulls[i] != 0) ids[i] = -1;
            }
        }
    }

    /// <summary>Chain heads by key id.</summary>
    public int[] Heads => _heads;

    /// <summary>Next build row of the same key by build row; -1 ends the chain.</summary>
    public int[] NextRows => _next;

    public long MemoryBytes => (_integerKeys?.MemoryBytes ?? _keys!.MemoryBytes) + _heads.LongLength * 4 + _next.LongLength * 4;

    public int RowCount => _rowCount;

    /// <summary>True while no two build rows share a key (each probe row then has at most one match).</summary>
    public bool UniqueKeys { get; private set; } = true;

    /// <summary>Adds build rows [rowBase, rowBase+n) whose keys are rows [0, n) of <paramref name="keys"/>.</summary>
    public void Insert(ColumnVector[] keys, int n, int rowBase)
    {
        if (_ids.Length < n) _ids = new int[n];
        Probe(keys, n, _ids, insert: true);
        if (_heads.Length < KeyCount)
        {
            var old = _heads.Length;
            Array.Resize(ref _heads, Math.Max(KeyCount, old * 2));
            Array.Fill(_heads, -1, old, _heads.Length - old);
        }
        if (_next.Length < rowBase + n) Array.Resize(ref _next, (int)Math.Min(Array.MaxLength, Math.Max((long)_next.Length * 2, rowBase + n)));
        _rowCount = rowBase + n;
        var heads = _heads;
        var next = _next;
        for (var i = 0; i < n; i++)
        {
            var row = rowBase + i;
            var g = _ids[i];
            if (g < 0)
            {
                next[row] = -1;
                continue;
            }
            if (heads[g] >= 0) UniqueKeys = false;
            next[row] = heads[g];
            heads[g] = row;
        }
    }

    /// <summary>Writes each probe row's key id to <paramref name="keyIds"/>, or -1 when no build row has its key.</summary>
    public void Find(ColumnVector[] keys, int n, int[] keyIds) => Probe(keys, n, keyIds, insert: false);

    /// <summary>
    /// <see cref="Find"/> for several threads probing the finished table at once: the integer table only reads; the
    /// general one keeps probe scratch, so its probes take turns.
    /// </summary>
    public void FindConcurrent(ColumnVector[] keys, int n, int[] keyIds)
    {
        if (_keys is null)
        {
            Probe(keys, n, keyIds, insert: false);
            return;
        }
        lock (_keys) Probe(keys, n, keyIds, insert: false);
    }
}
