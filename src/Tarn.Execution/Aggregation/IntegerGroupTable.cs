using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// Group table for one integer-like key (TINYINT…BIGINT, DATE, TIME, TIMESTAMP, INTERVAL, DECIMAL(p ≤ 18)).
/// While the keys seen span at most <see cref="MaxDirectRange"/> values, a key indexes an array of group ids
/// directly (no hashing); beyond that the table switches to open addressing on the 64-bit key.
/// </summary>
public sealed class IntegerGroupTable(DataType keyType) : IGroupTable
{
    public const int MaxDirectRange = 1 << 20;

    private long[] _keys = new long[64];
    private int _count;
    private int _nullGroup = -1;

    // direct mode: _direct[key - _base] = group id + 1
    private bool _directMode = true;
    private int[] _direct = [];
    private long _base;

    // hash mode
    private long[] _slotKeys = [];
    private int[] _slotGroups = []; // group id + 1; 0 = empty

    private long[] _buffer = [];

    public int Count => _count;

    public long MemoryBytes => _keys.LongLength * 8 + _direct.LongLength * 4 + _slotKeys.LongLength * 8 + _slotGroups.LongLength * 4;

    public void FindOrInsert(ColumnVector[] keys, int n, int[] groupIds)
    {
        var v = keys[0];
        var values = Widen(v, n);
        var nulls = v.Nulls;
        if (_directMode && !TryPrepareDirect(values, nulls, n)) SwitchToHash();
        if (_directMode) ProbeDirect(values, nulls, n, groupIds);
        else ProbeHash(values, nulls, n, groupIds);
    }

    private long[] Widen(ColumnVector v, int n)
    {
        if (v is PrimitiveVector<long> l) return l.Values;
        if (_buffer.Length < n) _buffer = new long[n];
        return WidenInto(v, n, _buffer);
    }

    private static long[] WidenInto(ColumnVector v, int n, long[] b)
    {
        switch (v)
        {
            case PrimitiveVector<int> i: for (var k = 0; k < n; k++) b[k] = i.Values[k]; break;
            case PrimitiveVector<short> s: for (var k = 0; k < n; k++) b[k] = s.Values[k]; break;
            case PrimitiveVector<sbyte> t: for (var k = 0; k < n; k++) b[k] = t.Values[k]; break;
            default: throw new InvalidOperationException($"not an integer key vector: {v.GetType().Name}");
        }
        return b;
    }

    private bool TryPrepareDirect(long[] values, byte[]? nulls, int n)
    {
        long min = long.MaxValue, max = long.MinValue;
        if (nulls is null)
        {
            for (var i = 0; i < n; i++)
            {
                var x = values[i];
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                if (nulls[i] != 0) continue;
                min = Math.Min(min, values[i]);
                max = Math.Max(max, values[i]);
            }
        }
        if (min > max) return true; // only NULLs
        if (min < long.MinValue / 2 || max > long.MaxValue / 2) return false; // keeps the window arithmetic overflow-free
        if (_direct.Length > 0)
        {
            min = Math.Min(min, _base);
            max = Math.Max(max, _base + _direct.Length - 1);
        }
        if (max - min >= MaxDirectRange || max - min < 0) return false;
        if (_direct.Length > 0 && min >= _base && max < _base + _direct.Length) return true;
        // grow the window with slack on both sides, within the limit
        var span = max - min + 1;
        var size = (int)Math.Min(MaxDirectRange, Math.Max(BitOperations.RoundUpToPowerOf2((ulong)span * 2), 1024));
        var newBase = min - (size - span) / 2;
        var direct = new int[size];
        for (var g = 0; g < _count; g++)
        {
            if (g == _nullGroup) continue;
            direct[_keys[g] - newBase] = g + 1;
        }
        _direct = direct;
        _base = newBase;
        return true;
    }

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProbeDirect(long[] values, byte[]? nulls, int n, int[] groupIds)
    {
        var direct = _direct;
        var b = _base;
        for (var i = 0; i < n; i++)
        {
            if (nulls is not null && nulls[i] != 0) { groupIds[i] = NullGroup(); continue; }
            var x = values[i];
            var idx = x - b;
            var g = direct[idx] - 1;
            if (g < 0)
            {
                g = NewGroup(x);
                direct[idx] = g + 1;
            }
            groupIds[i] = g;
        }
    }

    /// <summary>
    /// Group ids of rows [0, n), -1 for keys not in the table. Only reads the table (no shared scratch), so several
    /// threads may find at once (a parallel join's probes of one build table).
    /// </summary>
    public void Find(ColumnVector[] keys, int n, int[] groupIds)
    {
        var v = keys[0];
        if (v is PrimitiveVector<long> l)
        {
            FindValues(l.Values, v.Nulls, n, groupIds);
            return;
        }
        var rented = ArrayPool<long>.Shared.Rent(n);
        try
        {
            FindValues(WidenInto(v, n, rented), v.Nulls, n, groupIds);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FindValues(long[] values, byte[]? nulls, int n, int[] groupIds)
    {
        if (_directMode)
        {
            var direct = _direct;
            var b = _base;
            var length = (ulong)direct.Length;
            // x - b wraps for far-away keys; as unsigned it is below the length only for keys inside the window
            for (var i = 0; i < n; i++)
            {
                var idx = (ulong)unchecked(values[i] - b);
                groupIds[i] = idx < length ? direct[idx] - 1 : -1;
            }
        }
        else
        {
            var slotKeys = _slotKeys;
            var slotGroups = _slotGroups;
            var mask = slotKeys.Length - 1;
            for (var i = 0; i < n; i++)
            {
                var x = values[i];
                var s = (int)(Hashing.Mix((ulong)x) & mask);
                while (true)
                {
                    var g = slotGroups[s] - 1;
                    if (g < 0 || slotKeys[s] == x)
                    {
                        groupIds[i] = g;
                        break;
                    }
                    s = (s + 1) & mask;
                }
            }
        }
        if (nulls is null) return;
        for (var i = 0; i < n; i++)
        {
            if (nulls[i] != 0) groupIds[i] = _nullGroup;
        }
    }

    private void SwitchToHash()
    {
        _directMode = false;
        _direct = [];
        _slotKeys = new long[64];
        _slotGroups = new int[64];
        EnsureHashCapacity(_count);
        for (var g = 0; g < _count; g++)
            if (g != _nullGroup) InsertSlot(_keys[g], g);
    }

    private void EnsureHashCapacity(int groups)
    {
        if ((long)groups * 2 <= _slotKeys.Length) return;
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, groups * 2));
        var oldKeys = _slotKeys;
        var oldGroups = _slotGroups;
        _slotKeys = new long[capacity];
        _slotGroups = new int[capacity];
        for (var s = 0; s < oldGroups.Length; s++)
            if (oldGroups[s] != 0) InsertSlot(oldKeys[s], oldGroups[s] - 1);
    }

    private void InsertSlot(long key, int group)
    {
        var mask = _slotKeys.Length - 1;
        var s = (int)(Hashing.Mix((ulong)key) & mask);
        while (_slotGroups[s] != 0) s = (s + 1) & mask;
        _slotKeys[s] = key;
        _slotGroups[s] = group + 1;
    }

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProbeHash(long[] values, byte[]? nulls, int n, int[] groupIds)
    {
        EnsureHashCapacity(_count + n);
        var keys = _slotKeys;
        var groups = _slotGroups;
        var mask = keys.Length - 1;
        for (var i = 0; i < n; i++)
        {
            if (nulls is not null && nulls[i] != 0) { groupIds[i] = NullGroup(); continue; }
            var x = values[i];
            var s = (int)(Hashing.Mix((ulong)x) & mask);
            while (true)
            {
                var g = groups[s] - 1;
                if (g < 0)
                {
                    g = NewGroup(x);
                    keys[s] = x;
                    groups[s] = g + 1;
                    groupIds[i] = g;
                    break;
                }
                if (keys[s] == x)
                {
                    groupIds[i] = g;
                    break;
                }
                s = (s + 1) & mask;
            }
        }
    }

    private int NullGroup()
    {
        if (_nullGroup < 0) _nullGroup = NewGroup(0);
        return _nullGroup;
    }

    private int NewGroup(long key)
    {
        if (_count == _keys.Length) Array.Resize(ref _keys, _count * 2);
        _keys[_count] = key;
        return _count++;
    }

    public ColumnVector Keys(int column, int start, int count)
    {
        byte[]? nulls = null;
        if (_nullGroup >= start && _nullGroup < start + count)
        {
            nulls = new byte[Math.Max(count, 1)];
            nulls[_nullGroup - start] = 1;
        }
        var n = Math.Max(count, 1);
        switch (keyType.Physical)
        {
            case PhysicalType.Int8:
                var a = new sbyte[n];
                for (var i = 0; i < count; i++) a[i] = (sbyte)_keys[start + i];
                return new PrimitiveVector<sbyte>(keyType, a, count, nulls);
            case PhysicalType.Int16:
                var s = new short[n];
                for (var i = 0; i < count; i++) s[i] = (short)_keys[start + i];
                return new PrimitiveVector<short>(keyType, s, count, nulls);
            case PhysicalType.Int32:
                var x = new int[n];
                for (var i = 0; i < count; i++) x[i] = (int)_keys[start + i];
                return new PrimitiveVector<int>(keyType, x, count, nulls);
            default:
                var l = new long[n];
                Array.Copy(_keys, start, l, 0, count);
                return new PrimitiveVector<long>(keyType, l, count, nulls);
        }
    }

    public static bool Supports(DataType type) =>
        type.Physical is PhysicalType.Int8 or PhysicalType.Int16 or PhysicalType.Int32 or PhysicalType.Int64 && type.Kind != TypeKind.Null;
}
