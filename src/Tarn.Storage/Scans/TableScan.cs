using System.Runtime.CompilerServices;
using Tarn.Storage.Engine;
using Tarn.Storage.Segments;
using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Storage.Scans;

/// <summary>
/// A planned scan of one table version: the morsels left after partition and statistics pruning, plus the lease that
/// keeps their files alive. Dispose it when the query ends.
/// </summary>
public sealed partial class TableScan : IDisposable
{
    private static readonly ConditionalWeakTable<InlinePart, SegmentReader> InlineReaders = new();
    private readonly ReadLease _lease;

    private TableScan(ReadLease lease, List<ScanMorsel> morsels, int prunedRowGroups, int totalRowGroups)
    {
        _lease = lease;
        Morsels = morsels;
        PrunedRowGroups = prunedRowGroups;
        TotalRowGroups = totalRowGroups;
    }

    public IReadOnlyList<ScanMorsel> Morsels { get; }
    public int PrunedRowGroups { get; }
    public int TotalRowGroups { get; }

    /// <summary>Planned by <see cref="PlanLookup"/>: the live row of one key, found through the primary-key index.</summary>
    public bool IsLookup { get; private init; }

    /// <summary>Output column types of every morsel's batches.</summary>
    public static DataType[] OutputTypes(ScanSpec spec)
    {
        var schema = spec.Table.Layout.Schema;
        var extra = (spec.IncludeOffsetAndBucket ? 2 : 0) + (spec.IncludeRowKind ? 1 : 0);
        var types = new DataType[spec.ColumnIds.Count + extra];
        for (var i = 0; i < spec.ColumnIds.Count; i++) types[i] = schema[schema.IndexOfId(spec.ColumnIds[i])].Type;
        if (spec.IncludeOffsetAndBucket)
        {
            types[spec.ColumnIds.Count] = DataType.BigInt.WithNullable(false);
            types[spec.ColumnIds.Count + 1] = DataType.Int.WithNullable(false);
        }
        if (spec.IncludeRowKind) types[^1] = DataType.TinyInt.WithNullable(false);
        return types;
    }

    public static TableScan Plan(StorageEngine engine, ScanSpec spec)
    {
        var lease = engine.AcquireLease();
        try
        {
            var (morsels, pruned, total) = PlanMorsels(engine, lease, spec);
            return new TableScan(lease, morsels, pruned, total);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The morsels of <paramref name="spec"/> read through the files <paramref name="lease"/> pins.</summary>
    private static (List<ScanMorsel> Morsels, int Pruned, int Total) PlanMorsels(StorageEngine engine, ReadLease lease, ScanSpec spec)
    {
        {
            // Read through the leased state, whose files cannot disappear. Flush and compaction never change which
            // rows a version holds, so a newer version bounded by the requested version's offsets gives the same rows.
            if (!spec.ReadAsGiven)
            {
                if (!lease.State.Tables.TryGetValue(spec.Table.TableId, out var leased))
                    throw new TarnException(SqlStates.UndefinedTable, "the table was dropped while the query was running");
                if (!ReferenceEquals(leased, spec.Table))
                    spec = spec with { Table = leased, EndOffsets = spec.EndOffsets ?? spec.Table.NextOffsets };
            }
            var table = spec.Table;
            var layout = table.Layout;
            var merge = layout.HasPrimaryKey && !spec.Changelog;
            if (merge) spec = KeySafePruning(spec, layout);
            var types = OutputTypes(spec);
            var morsels = new List<ScanMorsel>();
            var pruned = 0;
            var total = 0;

            foreach (var segment in table.Segments)
            {
                if (spec.Bucket is { } only && segment.Bucket != only) continue;
                var (start, end) = Bounds(spec, segment.Bucket);
                if (segment.MaxOffset < start || segment.MinOffset >= end) continue;
                if (spec.PartitionFilter is { } pf && !pf.MayMatch(segment.Partition)) { pruned++; continue; }
                var reader = engine.OpenSegment(layout, segment);
                AddRowGroups(reader, spec, types, segment.BaseOffset, segment.Bucket, start, end, morsels, ref pruned, ref total);
            }
            foreach (var part in table.Inline)
            {
                if (spec.Bucket is { } only && part.Bucket != only) continue;
                var (start, end) = Bounds(spec, part.Bucket);
                if (part.EndOffset <= start || part.BaseOffset >= end) continue;
                var reader = InlineReaders.GetValue(part, p =>
                    SegmentReader.Open(new MemorySegmentSource(p.Image, $"inline rows of table {layout.TableId} bucket {p.Bucket} at offset {p.BaseOffset}")));
                if (spec.PartitionFilter is not null || spec.StatsFilters.Count > 0)
                {
                    // Inline parts mix partitions; only statistics can prune them.
                }
                AddRowGroups(reader, spec, types, part.BaseOffset, part.Bucket, start, end, morsels, ref pruned, ref total);
            }
            if (merge) morsels = PrimaryKeyMerge.Apply(morsels, layout, table);
            return (morsels, pruned, total);
        }
    }

    /// <summary>
    /// Pruning of a primary-key table may only use predicates on key columns: skipping a file because an old version
    /// of a key matches nothing must not hide that a newer version (elsewhere) replaced or deleted it, and every version
    /// of a key has the same key values. Partition columns count when they are part of the key (DB-053).
    /// </summary>
    private static ScanSpec KeySafePruning(ScanSpec spec, TableLayout layout)
    {
        var stats = new List<IStatsPredicate>(spec.StatsFilters.Count);
        foreach (var p in spec.StatsFilters)
            if (layout.PrimaryKeyColumnIds.Contains(p.ColumnId)) stats.Add(p);
        return spec with
        {
            StatsFilters = stats,
            PartitionFilter = layout.KeyIncludesPartitions ? spec.PartitionFilter : null,
        };
    }

    private static (long Start, long End) Bounds(ScanSpec spec, int bucket)
    {
        var start = spec.StartOffsets is { } s ? s[bucket] : 0;
        var end = spec.EndOffsets is { } e ? e[bucket] : spec.Table.NextOffsets[bucket];
        return (start, end);
    }

    private static void AddRowGroups(SegmentReader reader, ScanSpec spec, DataType[] types, long baseOffset, int bucket, long start, long end,
        List<ScanMorsel> morsels, ref int pruned, ref int total)
    {
        var footer = reader.Footer;
        var fileColumns = new int[spec.ColumnIds.Count];
        for (var i = 0; i < fileColumns.Length; i++) fileColumns[i] = footer.Schema.IndexOfId(spec.ColumnIds[i]);
        var offsetColumn = footer.Schema.IndexOfId(SystemColumns.OffsetId);
        var kindColumn = footer.Schema.IndexOfId(SystemColumns.RowKindId);
        if (offsetColumn != 0) ThrowHelper.Corrupt(null, "segment does not start with the $offset column");
        for (var rg = 0; rg < footer.RowGroups.Count; rg++)
        {
            total++;
            var info = footer.RowGroups[rg];
            var offStats = info.Chunks[0].Stats;
            var min = (long)offStats.MinInt + baseOffset;
            var max = (long)offStats.MaxInt + baseOffset;
            if (max < start || min >= end) continue;
            if (!StatsMayMatch(spec, footer, info)) { pruned++; continue; }
            var needsFilter = min < start || max >= end;
            morsels.Add(new ScanMorsel(reader, rg, fileColumns, types, baseOffset, bucket, start, end, needsFilter, spec.IncludeOffsetAndBucket, min,
                kindColumn, spec.IncludeRowKind));
        }
    }

    private static bool StatsMayMatch(ScanSpec spec, SegmentFooter footer, RowGroupInfo info)
    {
        foreach (var p in spec.StatsFilters)
        {
            var c = footer.Schema.IndexOfId(p.ColumnId);
            if (!p.MayMatch(c < 0 ? null : info.Chunks[c].Stats, info.RowCount)) return false;
        }
        return true;
    }

    public void Dispose() => _lease.Dispose();
}
