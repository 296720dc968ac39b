using Tarn.State;
using Tarn.Storage.Format;

namespace Tarn.Execution.Streaming.State;

/// <summary>
/// Rows an operator holds until the watermark passes them (event-time sort, session and window rank operators), kept
/// in the job's state store: one entry per row under (namespace, bucket, sequence number), the bucket being the
/// event time (or window end) in milliseconds. Entries are written as rows arrive, so the buffer is durable at every
/// Flush. An in-memory index of the (bucket, sequence) pairs, rebuilt by one prefix scan after a restart, says which
/// entries to read when the watermark releases a bucket; the values themselves are read from the store then.
/// The operator's watermark is kept here too (one entry written per Flush when it moved).
/// </summary>
public sealed class EventTimeBuffer
{
    private readonly OperatorState _state;
    private readonly byte _space;
    private readonly SortedDictionary<long, List<long>> _index = [];
    private readonly StateReadBatch _reads = new();
    private readonly ByteWriter _scratch = new(16);
    private long _nextSequence;
    private long _savedWatermark = long.MinValue;
    private bool _loaded;

    /// <param name="space">Namespace byte of the rows; <paramref name="space"/> + 1 holds the watermark.</param>
    public EventTimeBuffer(OperatorState state, byte space)
    {
        _state = state;
        _space = space;
    }

    /// <summary>The greatest watermark the operator has seen (long.MinValue before the first).</summary>
    public long Watermark { get; set; } = long.MinValue;

    /// <summary>Rows held.</summary>
    public long Count { get; private set; }

    /// <summary>
    /// Loads the index and the watermark from the store on first use; <paramref name="visit"/> (bucket, sequence,
    /// value) sees every held row, for operators that rebuild more than the index.
    /// </summary>
    public void EnsureLoaded(RowVisitor? visit = null)
    {
        if (_loaded) return;
        _loaded = true;
        if (_state.Session.TryRead(WatermarkKey(), out var stored))
            Watermark = _savedWatermark = new ByteReader(stored, "buffer watermark").ReadInt64();
        var prefix = _state.BeginKey(_space);
        using var scan = _state.Session.ScanPrefix(prefix.WrittenSpan);
        while (scan.MoveNext())
        {
            var reader = new ByteReader(scan.Key[OperatorState.PrefixLength..], "buffered row key");
            var bucket = reader.ReadInt64();
            var sequence = reader.ReadInt64();
            Index(bucket, sequence);
            _nextSequence = Math.Max(_nextSequence, sequence + 1);
            visit?.Invoke(bucket, sequence, scan.Value);
        }
    }

    public delegate void RowVisitor(long bucket, long sequence, ReadOnlySpan<byte> value);

    /// <summary>Holds a row in <paramref name="bucket"/>; returns its sequence number.</summary>
    public long Add(long bucket, ReadOnlySpan<byte> value)
    {
        EnsureLoaded();
        var sequence = _nextSequence++;
        _state.Session.Upsert(Key(bucket, sequence), value);
        Index(bucket, sequence);
        return sequence;
    }

    /// <summary>Whether some held row's bucket is at most <paramref name="bucket"/>.</summary>
    public bool HasUpTo(long bucket)
    {
        EnsureLoaded();
        foreach (var (first, _) in _index) return first <= bucket;
        return false;
    }

    /// <summary>Removes and returns the rows of the buckets up to <paramref name="maxBucket"/>, by bucket, then arrival.</summary>
    public List<(long Bucket, byte[] Value)> TakeUpTo(long maxBucket)
    {
        EnsureLoaded();
        var ids = new List<(long Bucket, long Sequence)>();
        foreach (var (bucket, sequences) in _index)
        {
            if (bucket > maxBucket) break;
            foreach (var s in sequences) ids.Add((bucket, s));
        }
        var values = Take(ids);
        var taken = new List<(long Bucket, byte[] Value)>(ids.Count);
        for (var i = 0; i < ids.Count; i++) taken.Add((ids[i].Bucket, values[i]));
        return taken;
    }

    /// <summary>Removes and returns the given rows (in the given order).</summary>
    public List<byte[]> Take(IReadOnlyList<(long Bucket, long Sequence)> ids)
    {
        EnsureLoaded();
        _reads.Clear();
        foreach (var (bucket, sequence) in ids) _reads.Add(Key(bucket, sequence));
        _state.Session.Read(_reads);
        var values = new List<byte[]>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!_reads.TryGetValue(i, out var value)) throw new InvalidOperationException("a buffered row is missing from the state store");
            values.Add(value.ToArray());
        }
        foreach (var (bucket, sequence) in ids)
        {
            _state.Session.Delete(Key(bucket, sequence));
            if (_index.TryGetValue(bucket, out var sequences) && sequences.Remove(sequence))
            {
                Count--;
                if (sequences.Count == 0) _index.Remove(bucket);
            }
        }
        return values;
    }

    /// <summary>Writes the watermark if it moved (call before the epoch's checkpoint).</summary>
    public void Save()
    {
        if (!_loaded || Watermark == _savedWatermark) return;
        _scratch.Clear();
        _scratch.WriteInt64(Watermark);
        _state.Session.Upsert(WatermarkKey(), _scratch.WrittenSpan);
        _savedWatermark = Watermark;
    }

    private void Index(long bucket, long sequence)
    {
        if (!_index.TryGetValue(bucket, out var sequences)) _index[bucket] = sequences = [];
        sequences.Add(sequence);
        Count++;
    }

    private byte[] Key(long bucket, long sequence)
    {
        var w = _state.BeginKey(_space);
        w.WriteInt64(bucket);
        w.WriteInt64(sequence);
        return w.ToArray();
    }

    private byte[] WatermarkKey() => _state.BeginKey((byte)(_space + 1)).ToArray();
}
