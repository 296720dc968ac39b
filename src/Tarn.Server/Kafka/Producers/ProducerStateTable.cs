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

    /// <summary>
    /// One batch an idempotent producer appended: its sequence range, the offset its first row got (-1 until the
    /// committer assigned it, and for keyed tables) and the commit that makes it durable.
    /// </summary>
    internal sealed class Batch(int firstSeq, int lastSeq)
    {
        public int FirstSeq { get; } = firstSeq;
        public int LastSeq { get; } = lastSeq;

        /// <summary>Set on the committer just before the record is written; read after <see cref="Durable"/> completed.</summary>
        public long BaseOffset { get; set; } = -1;

        /// <summary>Completes once the batch is durable; faults when its commit failed.</summary>
        public Task Durable { get; set; } = Task.CompletedTask;
    }

    /// <summary>
    /// One producer's sequence state in one partition. <see cref="Gate"/> serialises <see cref="Check"/> and
    /// <see cref="Begin"/>: a batch's state is applied as soon as its commit is queued (commits are written in queue
    /// order), not once it is durable, so the next pipelined batch is checked against it without waiting for the fsync.
    /// Acknowledgements still wait for durability (<see cref="Batch.Durable"/>).
    /// </summary>
    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public short Epoch { get; private set; } = -1;
        public List<Batch> Batches { get; } = [];

        public (SequenceVerdict Verdict, Batch? Original) Check(short epoch, int firstSeq, int count)
        {
            var lastSeq = unchecked(firstSeq + count - 1);
            if (Epoch >= 0 && epoch < Epoch) return (SequenceVerdict.StaleEpoch, null);
            if (epoch != Epoch)
            {
                // A bumped epoch restarts the sequence at 0; an unknown producer (no state: new, or state expired) may start anywhere.
                return Epoch < 0 || firstSeq == 0 ? (SequenceVerdict.Append, null) : (SequenceVerdict.OutOfOrder, null);
            }
            foreach (var b in Batches)
                if (b.FirstSeq == firstSeq && b.LastSeq == lastSeq) return (SequenceVerdict.Duplicate, b);
            if (Batches.Count == 0) return (SequenceVerdict.Append, null);
            var expected = Batches[^1].LastSeq == int.MaxValue ? 0 : Batches[^1].LastSeq + 1;
            return firstSeq == expected ? (SequenceVerdict.Append, null) : (SequenceVerdict.OutOfOrder, null);
        }

        /// <summary>
        /// Records a new batch (call after <see cref="Check"/> said Append) and returns the state to commit with its rows
        /// (encoded, offsets to be filled by <see cref="Fill"/> on the committer) and the batches that state names.
        /// </summary>
        public (Batch Batch, byte[] State, Batch[] Kept) Begin(short epoch, int firstSeq, int count)
        {
            var batch = new Batch(firstSeq, unchecked(firstSeq + count - 1));
            if (epoch != Epoch) Batches.Clear();
            Epoch = epoch;
            Batches.Add(batch);
            if (Batches.Count > KeptBatches) Batches.RemoveRange(0, Batches.Count - KeptBatches);
            var kept = Batches.ToArray();
            var state = new byte[2 + 1 + kept.Length * 16];
            BinaryPrimitives.WriteInt16BigEndian(state, epoch);
            state[2] = (byte)kept.Length;
            Fill(state, kept);
            return (batch, state, kept);
        }

        /// <summary>
        /// Writes the kept batches with their offsets into <paramref name="state"/>. Run by the committer once the new
        /// batch's offset is known; earlier batches were queued earlier, so their offsets are known by then too.
        /// </summary>
        public static void Fill(byte[] state, Batch[] kept)
        {
            var at = 3;
            foreach (var b in kept)
            {
                BinaryPrimitives.WriteInt32BigEndian(state.AsSpan(at), b.FirstSeq);
                BinaryPrimitives.WriteInt32BigEndian(state.AsSpan(at + 4), b.LastSeq);
                BinaryPrimitives.WriteInt64BigEndian(state.AsSpan(at + 8), b.BaseOffset);
                at += 16;
            }
        }

        /// <summary>
        /// Drops a batch whose commit failed (under <see cref="Gate"/>): a retry of it is then checked afresh (accepted
        /// when nothing was appended after it, OUT_OF_ORDER_SEQUENCE_NUMBER otherwise); nothing unacknowledged is kept.
        /// </summary>
        public void Forget(Batch batch) => Batches.Remove(batch);

        public void Apply(ReadOnlySpan<byte> encoded)
        {
            Epoch = BinaryPrimitives.ReadInt16BigEndian(encoded);
            Batches.Clear();
            var n = encoded[2];
            for (var i = 0; i < n; i++)
            {
                var at = 3 + i * 16;
                Batches.Add(new Batch(BinaryPrimitives.ReadInt32BigEndian(encoded[at..]), BinaryPrimitives.ReadInt32BigEndian(encoded[(at + 4)..]))
                {
                    BaseOffset = BinaryPrimitives.ReadInt64BigEndian(encoded[(at + 8)..]),
                });
            }
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
