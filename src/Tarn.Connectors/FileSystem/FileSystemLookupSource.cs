using Tarn.Execution;
using Tarn.Execution.Lookup;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// A filesystem table as the dimension of a lookup join (Nexmark q13's side input). Files have no index to probe, so
/// the table is read once, at the first lookup, and looked up in memory from then on — what Flink's CSV lookup source
/// did. With <c>'lookup.cache' = 'FULL'</c> and a reload interval the cache re-reads the files through
/// <see cref="ScanAll"/> on that schedule.
/// </summary>
internal sealed class FileSystemLookupSource(Func<IBatchOperator> openScan, IReadOnlyList<DataType> rowTypes, IReadOnlyList<int> keyColumns) : ILookupSource
{
    private Dictionary<byte[], LookupRow[]>? _index;

    public IReadOnlyList<DataType> RowTypes => rowTypes;

    public IReadOnlyList<int> KeyColumns => keyColumns;

    public void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results)
    {
        _index ??= LookupKeyCodec.Index(ScanAll(), keyColumns);
        for (var i = 0; i < encodedKeys.Count; i++)
            results[i] = _index.TryGetValue(encodedKeys[i], out var rows) ? rows : [];
    }

    public IEnumerable<ColumnBatch> ScanAll()
    {
        using var scan = openScan();
        while (scan.Next() is { } batch) yield return batch;
    }

    public void Dispose()
    {
    }
}
