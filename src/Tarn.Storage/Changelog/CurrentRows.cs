using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Segments;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Storage.Changelog;

/// <summary>
/// The current row of every key an upsert touches (DB-051: the key's newest stored row, if it is +I/+U), read in one
/// pass per touched bucket: the <c>$offset</c>, <c>$kind</c> and key columns of the bucket's rows are probed against
/// the incoming keys only (a small hash table, instead of merging every key of the bucket), and only the newest
/// matching rows are then read in full. For a single integer key, row groups whose key range misses the incoming keys
/// are skipped by their statistics (safe: every version of a key has the same key, DB-053), so upserts of mostly new,
/// increasing keys read almost nothing.
/// </summary>
internal static class CurrentRows
{
    /// <summary>Per key id, the cell of its current row (a row of a batch added to <paramref name="sources"/>), or <see cref="Cells.Absent"/>.</summary>
    public static long[] Find(StorageEngine engine, TableVersion table, bool readAsGiven, KeyIds keys, int[] keyIndexes, bool[] buckets, List<ColumnBatch> sources)
    {
        var count = keys.Count;
        var stored = new long[count];
        Array.Fill(stored, Cells.Absent);
        var newest = new long[count];
        Array.Fill(newest, long.MinValue);
        var where = new long[count];   // morsel index << 32 | row of the newest row
        var live = new bool[count];
        var layout = table.Layout;
        var columnIds = new int[layout.Schema.Count];
        for (var c = 0; c < columnIds.Length; c++) columnIds[c] = layout.Schema[c].Id;
        IReadOnlyList<IStatsPredicate> filters = keys.TryGetIntegerRange(out var min, out var max)
            ? [new KeyRange(layout.Schema[keyIndexes[0]].Id, min, max)]
            : [];
        using var lease = engine.AcquireLease();
        var keyColumns = new ColumnVector[keyIndexes.Length];
        var ids = new int[1024];
        var rows = new int[1024];
        for (var bucket = 0; bucket < buckets.Length; bucket++)
        {
            if (!buckets[bucket]) continue;
            // Every stored row of the bucket within the version's bounds (no merge: only the incoming keys matter).
            var spec = new ScanSpec
            {
                Table = table, ColumnIds = columnIds, Bucket = bucket, ReadAsGiven = readAsGiven, StatsFilters = filters, Changelog = true,
            };
            var (morsels, _, _) = TableScan.PlanMergedMorsels(engine, lease, spec);
            var matched = new List<int>[morsels.Count];
            var found = new List<int>(); // keys seen in this bucket (a key's versions all live in one bucket)
            for (var m = 0; m < morsels.Count; m++)
            {
                var morsel = morsels[m];
                var reader = morsel.Reader;
                var n = reader.Footer.RowGroups[morsel.RowGroup].RowCount;
                if (ids.Length < n) { ids = new int[n]; rows = new int[n]; }
                for (var k = 0; k < keyIndexes.Length; k++)
                {
                    var fileColumn = reader.Footer.Schema.IndexOfId(layout.Schema[keyIndexes[k]].Id);
                    if (fileColumn < 0) ThrowHelper.Corrupt(reader.Name, "a primary-key column is missing");
                    keyColumns[k] = reader.ReadColumn(morsel.RowGroup, fileColumn);
                }
                for (var r = 0; r < n; r++) rows[r] = r;
                keys.Find(keyColumns, rows.AsSpan(0, n), ids);
                long[]? offsets = null;
                sbyte[]? kinds = null;
                for (var r = 0; r < n; r++)
                {
                    var id = ids[r];
                    if (id < 0) continue;
                    offsets ??= ((PrimitiveVector<long>)reader.ReadColumn(morsel.RowGroup, 0)).Values;
                    var offset = offsets[r] + morsel.BaseOffset;
                    if (offset < morsel.Start || offset >= morsel.End || offset <= newest[id]) continue;
                    if (newest[id] == long.MinValue) found.Add(id);
                    if (kinds is null && morsel.KindColumn >= 0) kinds = ((PrimitiveVector<sbyte>)reader.ReadColumn(morsel.RowGroup, morsel.KindColumn)).Values;
                    newest[id] = offset;
                    where[id] = ((long)m << 32) | (uint)r;
                    live[id] = kinds is null || RowKinds.IsLive(kinds[r]);
                }
            }
            // Read the newest live rows in full, grouped by row group.
            foreach (var id in found)
            {
                if (!live[id]) continue;
                var m = (int)(where[id] >> 32);
                (matched[m] ??= []).Add(id);
            }
            for (var m = 0; m < morsels.Count; m++)
            {
                if (matched[m] is not { } keyIds) continue;
                keyIds.Sort((a, b) => ((uint)where[a]).CompareTo((uint)where[b]));
                var selection = new int[keyIds.Count];
                for (var i = 0; i < selection.Length; i++) selection[i] = (int)(uint)where[keyIds[i]];
                var batch = morsels[m].WithRows(selection).Read();
                var source = sources.Count;
                sources.Add(batch);
                for (var i = 0; i < selection.Length; i++) stored[keyIds[i]] = Cells.Ref(source, i);
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
