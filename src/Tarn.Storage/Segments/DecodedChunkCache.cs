using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Tarn.Vectors;

namespace Tarn.Storage.Segments;

/// <summary>
/// Decoded column chunks (one column of one row group), shared by every reader in the process, least recently used
/// first out when the total (approximate) size exceeds <see cref="CapacityBytes"/>. Point lookups read a single row
/// of a chunk again and again; without this each lookup would read, checksum and LZ4-decompress the whole chunk.
/// The cached vectors are never handed out: callers only gather rows from them (see <see cref="Gather"/>), so no
/// one can decode into or otherwise change them. Segments never change once written, so an entry never goes stale;
/// entries of files that compaction removed simply age out. Chunks of inline rows (in-memory images) are not cached.
/// <para>
/// A hit takes no lock: it stamps the entry with a use counter. Eviction (under a lock, on insert) drops the entries
/// with the oldest stamps until the cache is back under 3/4 of its capacity.
/// </para>
/// </summary>
internal static class DecodedChunkCache
{
    /// <summary>Upper bound of the cached decoded bytes (approximate: vector arrays only).</summary>
    public const long CapacityBytes = 64L << 20;

    private readonly record struct Key(SegmentReader Reader, int RowGroup, int Column)
    {
        public bool Equals(Key other) => ReferenceEquals(Reader, other.Reader) && RowGroup == other.RowGroup && Column == other.Column;
        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Reader), RowGroup, Column);
    }

    private sealed class Entry(ColumnVector vector, long bytes)
    {
        public ColumnVector Vector { get; } = vector;
        public long Bytes { get; } = bytes;
        public long LastUse;
    }

    private static readonly ConcurrentDictionary<Key, Entry> Entries = new();
    private static readonly object EvictionGate = new();
    private static long _bytes;
    private static long _clock;

    /// <summary>Bytes held now (for tests).</summary>
    public static long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The given rows of one chunk, as a new vector, decoding the chunk only when it is not cached.</summary>
    public static ColumnVector Gather(SegmentReader reader, int rowGroup, int column, ReadOnlySpan<int> rows) =>
        Get(reader, rowGroup, column).Gather(rows);

    private static ColumnVector Get(SegmentReader reader, int rowGroup, int column)
    {
        // Inline rows are recent, small and already in memory; caching them would also keep their images alive.
        if (reader.IsInMemory) return reader.ReadColumn(rowGroup, column);
        var key = new Key(reader, rowGroup, column);
        if (Entries.TryGetValue(key, out var hit))
        {
            hit.LastUse = Interlocked.Increment(ref _clock);
            return hit.Vector;
        }
        // Two threads missing at once both decode; the second insert loses and its vector is used once.
        var vector = reader.ReadColumn(rowGroup, column);
        var bytes = SizeOf(vector);
        if (bytes > CapacityBytes / 4) return vector;
        var entry = new Entry(vector, bytes) { LastUse = Interlocked.Increment(ref _clock) };
        if (!Entries.TryAdd(key, entry)) return vector;
        if (Interlocked.Add(ref _bytes, bytes) > CapacityBytes) Evict();
        return vector;
    }

    private static void Evict()
    {
        lock (EvictionGate)
        {
            if (Interlocked.Read(ref _bytes) <= CapacityBytes) return;
            var entries = Entries.ToArray();
            Array.Sort(entries, (a, b) => a.Value.LastUse.CompareTo(b.Value.LastUse));
            foreach (var (key, entry) in entries)
            {
                if (Interlocked.Read(ref _bytes) <= CapacityBytes / 4 * 3) break;
                if (Entries.TryRemove(key, out _)) Interlocked.Add(ref _bytes, -entry.Bytes);
            }
        }
    }

    private static long SizeOf(ColumnVector v) => 64 + v switch
    {
        BinaryVector b => b.Data.LongLength + 4L * b.Offsets.Length,
        DictionaryVector d => 4L * d.Codes.Length + SizeOf(d.Dictionary),
        _ => 8L * v.Capacity,
    } + v.Capacity / 8;
}
