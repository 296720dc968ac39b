using System.Numerics;

namespace Tarn.State;

/// <summary>
/// Sizes a <see cref="StateStore"/> for a memory budget (a streaming job's <c>state.memory</c>): a quarter, at most
/// the default 4 MB, goes to the hash index and the rest, rounded down to a power of two, to the in-memory tail of
/// the hybrid log, cut into at least 8 pages. State beyond the budget lives in the log on disk and reads of it do
/// I/O (through the OS page cache). Not counted: the index's overflow buckets, which grow with the number of keys
/// (about 9 bytes per key once the buckets are full), and the operators' own caches.
/// </summary>
public static class StateMemoryBudget
{
    /// <summary>The smallest budget accepted: 1 MB (a 256 KB index and a 512 KB log of 64 KB pages).</summary>
    public const long MinimumBytes = 1L << 20;

    /// <summary>Largest page: the default, which is also the largest record the store accepts.</summary>
    private const int MaxPageSize = 1 << 22;

    /// <summary>
    /// Smallest page: it is also the largest record (key + value) the store accepts, so small budgets still take
    /// records of 64 KB (a group key or an accumulator that large is rare).
    /// </summary>
    private const int MinPageSize = 1 << 16;

    /// <summary><paramref name="options"/> with the index and log memory sized for <paramref name="bytes"/>.</summary>
    public static StateStoreOptions Apply(StateStoreOptions options, long bytes)
    {
        if (bytes < MinimumBytes) ThrowHelper.Argument($"a state memory budget must be at least {MinimumBytes} bytes, got {bytes}");
        var defaults = new StateStoreOptions { Directory = options.Directory };
        var index = Math.Min(defaults.IndexBuckets * 64, (long)BitOperations.RoundUpToPowerOf2((ulong)bytes / 4 + 1) / 2);
        var log = (long)BitOperations.RoundUpToPowerOf2((ulong)(bytes - index) + 1) / 2;
        var page = (int)Math.Clamp(log / 8, MinPageSize, MaxPageSize);
        return options with { IndexBuckets = index / 64, LogMemorySize = log, PageSize = page };
    }
}
