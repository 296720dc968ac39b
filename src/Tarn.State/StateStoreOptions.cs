using System.Numerics;

namespace Tarn.State;

/// <summary>
/// How a <see cref="StateStore"/> is laid out in memory and on disk. Sizes must be powers of two.
/// <see cref="PageSize"/> and <see cref="SegmentSize"/> shape the log files, so once a checkpoint exists the values
/// recorded in it win over the ones given here (storage-spec/07-state.md, STATE-008).
/// </summary>
public sealed record StateStoreOptions
{
    /// <summary>The state directory, normally <c>&lt;database&gt;/state</c> (see <see cref="ForDatabase"/>).</summary>
    public required string Directory { get; init; }

    /// <summary>
    /// Hash index buckets (64 bytes each). A bucket holds 7 entries before chaining into overflow buckets, so about
    /// one bucket per 4 live keys keeps lookups to one cache line. The whole index is written at every checkpoint,
    /// hence the small default (4 MB); 2^21 buckets (128 MB) suits ~10 M keys.
    /// </summary>
    public long IndexBuckets { get; init; } = 1L << 16;

    /// <summary>
    /// Memory for the in-memory tail of the hybrid log. Records beyond it live only on disk and reads of them do I/O.
    /// A snapshot checkpoint writes at most this much log, so it also bounds checkpoint size (apart from the index).
    /// </summary>
    public long LogMemorySize { get; init; } = 64L << 20;

    /// <summary>Log page size; also the largest record (key + value + 16 bytes) the store accepts.</summary>
    public int PageSize { get; init; } = 1 << 22;

    /// <summary>Size of one log segment file (<c>log/hlog.log.N</c>).</summary>
    public long SegmentSize { get; init; } = 1L << 28;

    /// <summary>Options for the state directory of the database stored in <paramref name="databaseDirectory"/>.</summary>
    public static StateStoreOptions ForDatabase(string databaseDirectory) =>
        new() { Directory = Path.Combine(databaseDirectory, "state") };

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
            ThrowHelper.Argument("state store directory must not be empty");
        RequirePowerOfTwo(nameof(IndexBuckets), IndexBuckets, 1L << 6, 1L << 32);
        RequirePowerOfTwo(nameof(PageSize), PageSize, 1L << 12, 1L << 30);
        RequirePowerOfTwo(nameof(SegmentSize), SegmentSize, PageSize, 1L << 40);
        RequirePowerOfTwo(nameof(LogMemorySize), LogMemorySize, 4L * PageSize, 1L << 44);
    }

    private static void RequirePowerOfTwo(string name, long value, long min, long max)
    {
        if (value < min || value > max || !BitOperations.IsPow2(value))
            ThrowHelper.Argument($"state store option {name} = {value} must be a power of two between {min} and {max}");
    }
}
