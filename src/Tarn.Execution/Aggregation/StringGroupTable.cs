using System.Numerics;
using System.Runtime.CompilerServices;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// Group table for one string/bytes key: hashing, probing and the byte comparison happen in one pass per row,
/// keys live in one byte arena. Dictionary-encoded batches are normally mapped per dictionary entry by the
/// aggregator; when they reach this table, entry hashes are computed once per dictionary.
/// </summary>
public sealed class StringGroupTable(DataType keyType) : IGroupTable
{
    private byte[] _arena = new byte[1024];
    private int[] _offsets = new int[65];
    private uint[] _groupHashes = new uint[64];
    private int[] _slots = new int[128]; // group id + 1; 0 = empty
    private int _count;
    private int _nullGroup = -1;
    private BinaryVector? _hashedDictionary;
    private uint[] _dictionaryHashes = [];

    public int Count => _count;

    public long MemoryBytes => _arena.LongLength + _offsets.LongLength * 4 + _groupHashes.LongLength * 4 + _slots.LongLength * 4;

    private ReadOnlySpan<byte> Key(int g) => _arena.AsSpan(_offsets[g], _offsets[g + 1] - _offsets[g]);

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FindOrInsert(ColumnVector[] keys, int n, int[] groupIds)
    {
        var v = keys[0];
        EnsureCapacity(_count + n);
        var view = new StringView(v);
        var nulls = v.Nulls;
        uint[]? dictHashes = null;
        int[]? codes = null;
        if (v is DictionaryVector d)
        {
            codes = d.Codes;
            dictHashes = DictionaryHashes(d.Dictionary);
        }
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = 0; i < n; i++)
        {
            if (nulls is not null && nulls[i] != 0)
            {
                if (_nullGroup < 0) _nullGroup = Insert([], 0);
                groupIds[i] = _nullGroup;
                continue;
            }
            var s = view.Get(i);
            var h = dictHashes is null ? Hashing.Bytes(s) : dictHashes[codes![i]];
            var slot = (int)(h & mask);
            while (true)
            {
                var g = slots[slot] - 1;
                if (g < 0)
                {
                    g = Insert(s, h);
                    slots[slot] = g + 1;
                    groupIds[i] = g;
                    break;
                }
                if (_groupHashes[g] == h && g != _nullGroup && Key(g).SequenceEqual(s))
                {
                    groupIds[i] = g;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
    }

    public void Find(ColumnVector[] keys, int n, int[] groupIds)
    {
        var v = keys[0];
        var view = new StringView(v);
        var nulls = v.Nulls;
        uint[]? dictHashes = null;
        int[]? codes = null;
        if (v is DictionaryVector d)
        {
            codes = d.Codes;
            dictHashes = DictionaryHashes(d.Dictionary);
        }
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = 0; i < n; i++)
        {
            if (nulls is not null && nulls[i] != 0)
            {
                groupIds[i] = _nullGroup;
                continue;
            }
            var s = view.Get(i);
            var h = dictHashes is null ? Hashing.Bytes(s) : dictHashes[codes![i]];
            var slot = (int)(h & mask);
            while (true)
            {
                var g = slots[slot] - 1;
                if (g < 0 || (_groupHashes[g] == h && g != _nullGroup && Key(g).SequenceEqual(s)))
                {
                    groupIds[i] = g;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
    }

    private uint[] DictionaryHashes(BinaryVector dict)
    {
        if (ReferenceEquals(dict, _hashedDictionary)) return _dictionaryHashes;
        var hashes = new uint[dict.Count];
        for (var e = 0; e < hashes.Length; e++) hashes[e] = Hashing.Bytes(dict.GetBytes(e));
        _hashedDictionary = dict;
        _dictionaryHashes = hashes;
        return hashes;
    }

    private int Insert(ReadOnlySpan<byte> key, uint hash)
    {
        var g = _count++;
        if (g + 1 >= _offsets.Length) Array.Resize(ref _offsets, _offsets.Length * 2);
        if (g >= _groupHashes.Length) Array.Resize(ref _groupHashes, _groupHashes.Length * 2); // offsets has one more entry: grow each on its own
        var start = _offsets[g];
        if (start + key.Length > _arena.Length) Array.Resize(ref _arena, Math.Max(_arena.Length * 2, start + key.Length));
        key.CopyTo(_arena.AsSpan(start));
        _offsets[g + 1] = start + key.Length;
        _groupHashes[g] = hash;
        return g;
    }

    /// <summary>Keeps the load at most 1/2 for <paramref name="groups"/> groups (the NULL group is not in the slots).</summary>
    private void EnsureCapacity(int groups)
    {
        if ((long)groups * 2 <= _slots.Length) return;
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(128, groups * 2));
        var slots = new int[capacity];
        var mask = capacity - 1;
        for (var g = 0; g < _count; g++)
        {
            if (g == _nullGroup) continue;
            var s = (int)(_groupHashes[g] & mask);
            while (slots[s] != 0) s = (s + 1) & mask;
            slots[s] = g + 1;
        }
        _slots = slots;
    }

    public ColumnVector Keys(int column, int start, int count)
    {
        var result = new BinaryVector(keyType, count, _offsets[start + count] - _offsets[start]);
        for (var g = start; g < start + count; g++)
        {
            if (g == _nullGroup) result.AppendNull();
            else result.Append(Key(g));
        }
        return result;
    }
}
