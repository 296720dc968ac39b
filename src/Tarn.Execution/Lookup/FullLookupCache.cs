using Tarn.Vectors;

namespace Tarn.Execution.Lookup;

/// <summary>
/// <c>'lookup.cache' = 'FULL'</c> (Flink's full caching with the PERIODIC reload strategy): the whole dimension is
/// loaded at the first lookup and reloaded once <c>lookup.full-cache.periodic-reload.interval</c> has passed since
/// the last load; between loads, changes of the dimension are not seen. The reload runs on the job's thread before
/// the lookup that finds the cache due, so a job never joins with a half-loaded table.
/// </summary>
public sealed class FullLookupCache(ILookupSource source, TimeSpan interval, TimeProvider clock) : LookupCache(source)
{
    private readonly long _intervalMillis = Math.Max(1, (long)interval.TotalMilliseconds);
    private Dictionary<byte[], LookupRow[]>? _index;
    private long _loadedAt;

    /// <summary>How many times the table was loaded.</summary>
    public int Loads { get; private set; }

    public override void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_index is null || now - _loadedAt >= _intervalMillis)
        {
            _index = LookupKeyCodec.Index(Source.ScanAll(), Source.KeyColumns);
            _loadedAt = now;
            Loads++;
        }
        for (var i = 0; i < encodedKeys.Count; i++)
            results[i] = _index.TryGetValue(encodedKeys[i], out var rows) ? rows : [];
    }
}
