using Tarn.Storage.Engine;

namespace Tarn.Storage.Scans;

public sealed partial class TableScan
{
    /// <summary>
    /// Whether <see cref="PlanLookup"/> can serve point lookups of this table (a primary-key table with a one-column
    /// integer or VARCHAR key and no partitions).
    /// </summary>
    public static bool SupportsLookup(Tables.TableLayout layout) => PrimaryKeyIndex.Supports(layout);

    /// <summary>
    /// A scan of the live row of one primary key (at most one morsel of one row) through the bucket's
    /// <see cref="PrimaryKeyIndex"/>, instead of merging the whole bucket. <paramref name="key"/> is a long for an
    /// integer key, a string for a VARCHAR key. Returns null when the lookup cannot be served this way (the spec asks
    /// for a time-travel bound or a changelog, the table changed since <see cref="ScanSpec.Table"/> was taken, or the
    /// bucket is too large to index); the caller then plans a normal scan.
    /// </summary>
    public static TableScan? PlanLookup(StorageEngine engine, ScanSpec spec, int bucket, object key)
    {
        if (spec.Changelog || spec.StartOffsets is not null || spec.EndOffsets is not null || !SupportsLookup(spec.Table.Layout)) return null;
        var lease = engine.AcquireLease();
        try
        {
            if (!lease.State.Tables.TryGetValue(spec.Table.TableId, out var leased) || !ReferenceEquals(leased, spec.Table))
            {
                lease.Dispose();
                return null;
            }
            if (PrimaryKeyIndex.For(engine, lease, leased, bucket) is not { } index)
            {
                lease.Dispose();
                return null;
            }
            var morsels = new List<ScanMorsel>(1);
            if (index.TryFind(key, out var found, out var row))
            {
                var footer = found.Reader.Footer;
                var fileColumns = new int[spec.ColumnIds.Count];
                for (var i = 0; i < fileColumns.Length; i++) fileColumns[i] = footer.Schema.IndexOfId(spec.ColumnIds[i]);
                morsels.Add(new ScanMorsel(found.Reader, found.RowGroup, fileColumns, OutputTypes(spec), found.BaseOffset, bucket, found.Start, found.End,
                    needsOffsetFilter: false, spec.IncludeOffsetAndBucket, found.MinOffset, found.KindColumn, spec.IncludeRowKind, [row]));
            }
            return new TableScan(lease, morsels, index.RowGroupCount - morsels.Count, index.RowGroupCount) { IsLookup = true };
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The merged morsels of <paramref name="spec"/> through an existing lease (building a <see cref="PrimaryKeyIndex"/>).</summary>
    internal static (List<ScanMorsel> Morsels, int Pruned, int Total) PlanMergedMorsels(StorageEngine engine, ReadLease lease, ScanSpec spec) =>
        PlanMorsels(engine, lease, spec);
}
