using Tarn.Execution.Streaming.State;
using Tarn.Planner.Logical;
using Tarn.Vectors;

namespace Tarn.Execution.Lookup;

/// <summary>
/// <c>'lookup.cache' = 'PARTIAL'</c> (Flink's DefaultLookupCache): the rows of looked-up keys are kept, least
/// recently used first out beyond <c>max-rows</c> keys, and served until <c>expire-after-write</c> since they were
/// loaded or <c>expire-after-access</c> since they were last used, so a dimension change shows up only after the
/// entry expires. A key without rows is cached too unless <c>cache-missing-key</c> is false. Misses go to the source
/// in one batch.
/// </summary>
public sealed class PartialLookupCache : LookupCache
{
    private sealed class Entry(byte[] key, LookupRow[] rows, long written)
    {
        public readonly byte[] Key = key;
        public readonly LookupRow[] Rows = rows;
        public readonly long Written = written;
        public long Accessed = written;
    }

    private readonly Dictionary<byte[], LinkedListNode<Entry>> _entries = new(ByteKeyComparer.Instance);
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly long _maxRows;
    private readonly long _writeTtl;
    private readonly long _accessTtl;
    private readonly bool _cacheMissing;
    private readonly TimeProvider _clock;
    private readonly List<int> _misses = [];
    private readonly List<byte[]> _missKeys = [];

    public PartialLookupCache(ILookupSource source, LookupCacheOptions options, TimeProvider clock) : base(source)
    {
        _maxRows = options.MaxRows ?? long.MaxValue;
        _writeTtl = options.ExpireAfterWrite is { } w ? (long)w.TotalMilliseconds : long.MaxValue;
        _accessTtl = options.ExpireAfterAccess is { } a ? (long)a.TotalMilliseconds : long.MaxValue;
        _cacheMissing = options.CacheMissingKey;
        _clock = clock;
    }

    /// <summary>Number of keys cached.</summary>
    public int Count => _entries.Count;

    public override void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        _misses.Clear();
        _missKeys.Clear();
        for (var i = 0; i < encodedKeys.Count; i++)
        {
            if (_entries.TryGetValue(encodedKeys[i], out var node))
            {
                var entry = node.Value;
                if (now - entry.Written < _writeTtl && now - entry.Accessed < _accessTtl)
                {
                    entry.Accessed = now;
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    results[i] = entry.Rows;
                    continue;
                }
                _recency.Remove(node);
                _entries.Remove(entry.Key);
            }
            _misses.Add(i);
            _missKeys.Add(encodedKeys[i]);
        }
        if (_misses.Count == 0) return;

        var missed = _misses.Count == encodedKeys.Count ? keys : keys.Gather(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_misses));
        var loaded = new LookupRow[_misses.Count][];
        Source.Lookup(missed, _missKeys, loaded);
        for (var j = 0; j < _misses.Count; j++)
        {
            var rows = loaded[j] ?? [];
            results[_misses[j]] = rows;
            if (rows.Length == 0 && !_cacheMissing) continue;
            var node = _recency.AddFirst(new Entry(_missKeys[j], rows, now));
            _entries[_missKeys[j]] = node;
        }
        while (_entries.Count > _maxRows && _recency.Last is { } oldest)
        {
            _recency.RemoveLast();
            _entries.Remove(oldest.Value.Key);
        }
    }
}
