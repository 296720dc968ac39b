using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Segments;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Storage.Changelog;

/// <summary>
/// The current (merged, DB-051) row of every key an upsert touches, read in one pass per touched bucket: the bucket's
/// merge-on-read runs on the key columns only, the surviving rows whose key is among the incoming keys are selected,
/// and only those rows are read in full. For a single integer key, row groups whose key range misses the incoming
/// keys are skipped by their statistics (safe: every version of a key has the same key, DB-053), so upserts of mostly
/// new, increasing keys do not read the table at all.
/// </summary>
internal static class CurrentRows
{
    /// <summary>Per key id, the cell of its stored row (a row of a batch added to <paramref name="sources"/>), or <see cref="Cells.Absent"/>.</summary>
    public static long[] Find(StorageEngine engine, TableVersion table, bool readAsGiven, KeyIds keys, int[] keyIndexes, bool[] buckets, List<ColumnBatch> sources)
    {
        var stored = new long[keys.Count];
        Array.Fill(stored, Cells.Absent);
        var layout = table.Layout;
        var columnIds = new int[layout.Schema.Count];
        for (var c = 0; c < columnIds.Length; c++) columnIds[c] = layout.Schema[c].Id;
        IReadOnlyList<IStatsPredicate> filters = keys.TryGetIntegerRange(out var min, out var max)
            ? [new KeyRange(layout.Schema[keyIndexes[0]].Id, min, max)]
            : [];
        using var lease = engine.AcquireLease();
        var keyColumns = new ColumnVector[keyIndexes.Length];
        var ids = new int[1024];
        var matches = new List<int>();
        for (var bucket = 0; bucket < buckets.Length; bucket++)
        {
            if (!buckets[bucket]) continue;
            var spec = new ScanSpec { Table = table, ColumnIds = columnIds, Bucket = bucket, ReadAsGiven = readAsGiven, StatsFilters = filters };
            var (morsels, _, _) = TableScan.PlanMergedMorsels(engine, lease, spec);
            foreach (var morsel in morsels)
            {
                var keep = morsel.Keep ?? throw new InvalidOperationException("a merged morsel lists its surviving rows");
                var reader = morsel.Reader;
                for (var k = 0; k < keyIndexes.Length; k++)
                {
                    var fileColumn = reader.Footer.Schema.IndexOfId(layout.Schema[keyIndexes[k]].Id);
                    if (fileColumn < 0) ThrowHelper.Corrupt(reader.Name, "a primary-key column is missing");
                    keyColumns[k] = reader.ReadColumn(morsel.RowGroup, fileColumn);
                }
                if (ids.Length < keep.Length) ids = new int[keep.Length];
                keys.Find(keyColumns, keep, ids);
                matches.Clear();
                for (var i = 0; i < keep.Length; i++)
                    if (ids[i] >= 0) matches.Add(i);
                if (matches.Count == 0) continue;
                var rows = new int[matches.Count];
                for (var i = 0; i < rows.Length; i++) rows[i] = keep[matches[i]];
                var batch = morsel.WithRows(rows).Read();
                var source = sources.Count;
                sources.Add(batch);
                for (var i = 0; i < rows.Length; i++) stored[ids[matches[i]]] = Cells.Ref(source, i);
            }
        }
        return stored;
    }

    /// <summary>Row groups whose key range cannot hold any of the incoming integer keys are skipped.</summary>
    private sealed class KeyRange(int columnId, long min, long max) : IStatsPredicate
    {
        public int ColumnId => columnId;

        public bool MayMatch(ColumnStats? stats, long rowCount) =>
            stats is null || !stats.HasMinMax || (stats.MaxInt >= min && stats.MinInt <= max);
    }
}
