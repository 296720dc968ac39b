using Tarn.Planner.Logical;
using Tarn.Vectors;

namespace Tarn.Execution.Lookup;

/// <summary>
/// What a lookup join probes: an <see cref="ILookupSource"/> behind the cache its table's <c>lookup.cache</c> option
/// asks for (<see cref="Create"/>). Every implementation answers batches of distinct, non-NULL keys.
/// </summary>
public abstract class LookupCache : IDisposable
{
    protected LookupCache(ILookupSource source) => Source = source;

    public ILookupSource Source { get; }

    /// <summary>Sets <paramref name="results"/>[i] to the rows of key i (see <see cref="ILookupSource.Lookup"/>); keeps the key arrays.</summary>
    public abstract void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results);

    public void Dispose()
    {
        Source.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The cache <paramref name="options"/> describe, over <paramref name="source"/>; <paramref name="clock"/> drives expiry and reloads.</summary>
    public static LookupCache Create(ILookupSource source, LookupCacheOptions options, TimeProvider? clock = null) => options.Mode switch
    {
        LookupCacheMode.Partial => new PartialLookupCache(source, options, clock ?? TimeProvider.System),
        LookupCacheMode.Full => new FullLookupCache(source, options.ReloadInterval ?? TimeSpan.FromHours(1), clock ?? TimeProvider.System),
        _ => new UncachedLookup(source),
    };
}

/// <summary><c>'lookup.cache' = 'NONE'</c>: every key goes to the source, which answers with its current rows.</summary>
public sealed class UncachedLookup(ILookupSource source) : LookupCache(source)
{
    public override void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results) =>
        Source.Lookup(keys, encodedKeys, results);
}
