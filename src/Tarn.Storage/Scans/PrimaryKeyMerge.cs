using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Tarn.Storage.Segments;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Storage.Scans;

/// <summary>
/// Merge-on-read of a primary-key table (storage-spec DB-051): all versions of a key live in one bucket, so per
/// bucket the row with the highest offset of each key (within the scan's offset bounds) is its value, and a key whose
/// newest row is -U or -D is absent. Only the <c>$offset</c>, <c>$kind</c> and key columns of every row are read here;
/// each morsel then reads the requested columns of just its surviving rows (late materialization).
/// </summary>
internal static class PrimaryKeyMerge
{
    /// <summary>
    /// Merge results per table version: a version's files and inline parts never change, so a repeated query over an
    /// unchanged table (the same morsels) reuses the surviving rows instead of reading and hashing every key again.
    /// Entries die with their version.
    /// </summary>
    private static readonly ConditionalWeakTable<TableVersion, ConcurrentDictionary<MergeKey, int[]?[]>> Cache = new();

    public static List<ScanMorsel> Apply(List<ScanMorsel> morsels, TableLayout layout, TableVersion version)
    {
        var cache = Cache.GetValue(version, _ => new ConcurrentDictionary<MergeKey, int[]?[]>());
        if (cache.Count > 64) cache.Clear(); // many distinct pruned scans of one version: keep the memory bounded
        var byBucket = new Dictionary<int, List<ScanMorsel>>();
        foreach (var m in morsels)
        {
            if (!byBucket.TryGetValue(m.Bucket, out var list)) byBucket[m.Bucket] = list = [];
            list.Add(m);
        }
        var groups = byBucket.Values.ToArray();
        var merged = new List<ScanMorsel>[groups.Length];
        if (groups.Length == 1) merged[0] = Cached(groups[0], layout, cache);
        else Parallel.For(0, groups.Length, i => merged[i] = Cached(groups[i], layout, cache));
        var result = new List<ScanMorsel>(morsels.Count);
        foreach (var g in merged) result.AddRange(g);
        return result;
    }

    private static List<ScanMorsel> Cached(List<ScanMorsel> morsels, TableLayout layout, ConcurrentDictionary<MergeKey, int[]?[]> cache)
    {
        var key = new MergeKey(morsels);
        if (!cache.TryGetValue(key, out var keep))
        {
            keep = SurvivingRows(morsels, layout);
            cache.TryAdd(key, keep);
        }
        var result = new List<ScanMorsel>(morsels.Count);
        for (var i = 0; i < morsels.Count; i++)
            if (keep[i] is { } rows) result.Add(morsels[i].WithRows(rows));
        return result;
    }

    /// <summary>Identifies the input of one bucket's merge: the exact row groups (by reader instance) and offset bounds.</summary>
    private sealed class MergeKey : IEquatable<MergeKey>
    {
        private readonly SegmentReader[] _readers;
        private readonly long[] _shape; // per morsel: row group, start, end
        private readonly int _hash;

        public MergeKey(List<ScanMorsel> morsels)
        {
            _readers = new SegmentReader[morsels.Count];
            _shape = new long[morsels.Count * 3];
            var hash = new HashCode();
            for (var i = 0; i < morsels.Count; i++)
            {
                var m = morsels[i];
                _readers[i] = m.Reader;
                _shape[3 * i] = m.RowGroup;
                _shape[3 * i + 1] = m.Start;
                _shape[3 * i + 2] = m.End;
                hash.Add(RuntimeHelpers.GetHashCode(m.Reader));
                hash.Add(m.RowGroup);
                hash.Add(m.End);
            }
            _hash = hash.ToHashCode();
        }

        public bool Equals(MergeKey? other)
        {
            if (other is null || other._readers.Length != _readers.Length || !other._shape.AsSpan().SequenceEqual(_shape)) return false;
            for (var i = 0; i < _readers.Length; i++)
                if (!ReferenceEquals(_readers[i], other._readers[i])) return false;
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as MergeKey);
        public override int GetHashCode() => _hash;
    }

    /// <summary>Per morsel, the row numbers that survive the merge (null when none does).</summary>
    private static int[]?[] SurvivingRows(List<ScanMorsel> morsels, TableLayout layout)
    {
        var keys = new KeyIds(layout);
        var pkIds = layout.PrimaryKeyColumnIds;
        var ids = new int[morsels.Count][];
        var offsets = new long[morsels.Count][];
        var newest = new List<long>();
        var live = new List<bool>();
        for (var i = 0; i < morsels.Count; i++)
        {
            var m = morsels[i];
            var reader = m.Reader;
            var rows = reader.Footer.RowGroups[m.RowGroup].RowCount;
            var rel = ((PrimitiveVector<long>)reader.ReadColumn(m.RowGroup, 0)).Values;
            var kinds = m.KindColumn < 0 ? null : ((PrimitiveVector<sbyte>)reader.ReadColumn(m.RowGroup, m.KindColumn)).Values;
            var keyCols = new ColumnVector[pkIds.Count];
            for (var k = 0; k < keyCols.Length; k++)
            {
                var fileColumn = reader.Footer.Schema.IndexOfId(pkIds[k]);
                if (fileColumn < 0) ThrowHelper.Corrupt(reader.Name, $"primary-key column {pkIds[k]} is missing");
                keyCols[k] = reader.ReadColumn(m.RowGroup, fileColumn);
            }
            var rowIds = new int[rows];
            keys.Assign(keyCols, rowIds);
            var abs = new long[rows];
            for (var r = 0; r < rows; r++)
            {
                var o = rel[r] + m.BaseOffset;
                abs[r] = o;
                if (o < m.Start || o >= m.End) { rowIds[r] = -1; continue; }
                var id = rowIds[r];
                while (newest.Count <= id) { newest.Add(long.MinValue); live.Add(false); }
                if (o > newest[id])
                {
                    newest[id] = o;
                    live[id] = kinds is null || RowKinds.IsLive(kinds[r]);
                }
            }
            ids[i] = rowIds;
            offsets[i] = abs;
        }
        var result = new int[]?[morsels.Count];
        for (var i = 0; i < morsels.Count; i++)
        {
            var rowIds = ids[i];
            var abs = offsets[i];
            var keep = new int[rowIds.Length];
            var n = 0;
            for (var r = 0; r < rowIds.Length; r++)
            {
                var id = rowIds[r];
                if (id >= 0 && live[id] && newest[id] == abs[r]) keep[n++] = r;
            }
            if (n > 0) result[i] = n == keep.Length ? keep : keep[..n];
        }
        return result;
    }
}
