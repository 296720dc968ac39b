using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace Tarn.Server.Kafka.Producers;

/// <summary>What to do with a batch from an idempotent producer.</summary>
internal enum SequenceVerdict
{
    /// <summary>New and in sequence: append it.</summary>
    Append,

    /// <summary>A retry of one of the last batches: answer success with its original offset, write nothing.</summary>
    Duplicate,

    OutOfOrder,
    StaleEpoch,
}

/// <summary>
/// Idempotent-producer state (KIP-98) per (table, partition, producer id): the epoch and the last
/// <see cref="KeptBatches"/> batches' sequence ranges with the offset each got, as Kafka keeps them. The state of a
/// batch is committed in the SAME durable record as its rows (commit metadata, see <see cref="TarnTableWriter"/>), so
/// after a crash or restart it is exactly as new as the data: a retry of a batch that made it to disk is recognised, one
/// that did not is written.
/// </summary>
internal sealed class ProducerStateTable(TarnDatabase database)
{
    public const int KeptBatches = 5;
    private const string KeyPrefix = TarnTableWriter.MetadataPrefix + "kafka/producer/";

    private readonly TarnDatabase _db = database;
    private readonly ConcurrentDictionary<(long Table, int Partition, long Producer), Entry> _entries = new();
    private readonly object _loadLock = new();
    private volatile bool _loaded;
    private long _lastProducerId;

    /// <summary>
    /// A new producer id: milliseconds since the epoch times 65536 plus a counter, so ids stay unique across restarts
    /// without a durable counter (clocks do not go back by more than the time a restart takes).
    /// </summary>
    public long NewProducerId()
    {
        var candidate = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16;
        while (true)
        {
            var last = Interlocked.Read(ref _lastProducerId);
            var next = Math.Max(candidate, last + 1);
            if (Interlocked.CompareExchange(ref _lastProducerId, next, last) == last) return next;
        }
    }

    /// <summary>One producer's sequence state in one partition. Callers serialise check, commit and record with <see cref="Gate"/>.</summary>
    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public short Epoch { get; set; } = -1;
        public List<(int FirstSeq, int LastSeq, long BaseOffset)> Batches { get; } = [];

        public (SequenceVerdict Verdict, long BaseOffset) Check(short epoch, int firstSeq, int count)
        {
            var lastSeq = unchecked(firstSeq + count - 1);
            if (Epoch >= 0 && epoch < Epoch) return (SequenceVerdict.StaleEpoch, -1);
            if (epoch != Epoch)
            {
                // A bumped epoch restarts the sequence at 0; an unknown producer (no state: new, or state expired) may start anywhere.
                return Epoch < 0 || firstSeq == 0 ? (SequenceVerdict.Append, -1) : (SequenceVerdict.OutOfOrder, -1);
            }
            foreach (var (f, l, offset) in Batches)
                if (f == firstSeq && l == lastSeq) return (SequenceVerdict.Duplicate, offset);
            if (Batches.Count == 0) return (SequenceVerdict.Append, -1);
            var expected = Batches[^1].LastSeq == int.MaxValue ? 0 : Batches[^1].LastSeq + 1;
            return firstSeq == expected ? (SequenceVerdict.Append, -1) : (SequenceVerdict.OutOfOrder, -1);
        }

        /// <summary>The state after appending a batch, encoded (committed with the rows; applied with <see cref="Apply"/> once durable).</summary>
        public byte[] EncodeWith(short epoch, int firstSeq, int count, long baseOffset)
        {
            var kept = epoch == Epoch ? Math.Min(Batches.Count, KeptBatches - 1) : 0;
            var bytes = new byte[2 + 1 + (kept + 1) * 16];
            BinaryPrimitives.WriteInt16BigEndian(bytes, epoch);
            bytes[2] = (byte)(kept + 1);
            var at = 3;
            for (var i = Batches.Count - kept; i < Batches.Count; i++) at = Write(bytes, at, Batches[i]);
            Write(bytes, at, (firstSeq, unchecked(firstSeq + count - 1), baseOffset));
            return bytes;
        }

        public void Apply(ReadOnlySpan<byte> encoded)
        {
            Epoch = BinaryPrimitives.ReadInt16BigEndian(encoded);
            Batches.Clear();
            var n = encoded[2];
            for (var i = 0; i < n; i++)
            {
                var at = 3 + i * 16;
                Batches.Add((BinaryPrimitives.ReadInt32BigEndian(encoded[at..]), BinaryPrimitives.ReadInt32BigEndian(encoded[(at + 4)..]), BinaryPrimitives.ReadInt64BigEndian(encoded[(at + 8)..])));
            }
        }

        private static int Write(byte[] bytes, int at, (int FirstSeq, int LastSeq, long BaseOffset) batch)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), batch.FirstSeq);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at + 4), batch.LastSeq);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at + 8), batch.BaseOffset);
            return at + 16;
        }
    }

    public static string KeyOf(long table, int partition, long producer) => $"{KeyPrefix}{table}/{partition}/{producer}";

    public Entry Get(long table, int partition, long producer)
    {
        if (!_loaded) Load();
        return _entries.GetOrAdd((table, partition, producer), _ => new Entry());
    }

    /// <summary>Reads the committed states once (after a restart they come from the log and the manifest).</summary>
    private void Load()
    {
        lock (_loadLock)
        {
            if (_loaded) return;
            foreach (var (key, value) in _db.ReadCommitMetadata(KeyPrefix))
            {
                var parts = key[KeyPrefix.Length..].Split('/');
                if (parts.Length != 3 || !long.TryParse(parts[0], out var table) || !int.TryParse(parts[1], out var partition) || !long.TryParse(parts[2], out var producer)) continue;
                if (value.Length < 3) continue;
                var entry = new Entry();
                entry.Apply(value.Span);
                _entries[(table, partition, producer)] = entry;
            }
            _loaded = true;
        }
    }
}
