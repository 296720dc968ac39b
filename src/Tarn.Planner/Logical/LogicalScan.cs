using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Storage.Tables;

namespace Tarn.Planner.Logical;

/// <summary>Which rows of a native table a scan sees: the newest, or an older snapshot (time travel).</summary>
public abstract record ScanVersion
{
    public static readonly ScanVersion Latest = new LatestVersion();
    public sealed record LatestVersion : ScanVersion;
    public sealed record SnapshotVersion(long SnapshotId) : ScanVersion;
    public sealed record TimestampVersion(long Micros) : ScanVersion;
}

/// <summary>
/// Reads columns of a native table. <see cref="ColumnIds"/> are the table's physical column ids, in output order.
/// <see cref="Filters"/> are conjuncts over this scan's output that the scan may use to skip partitions and row
/// groups; they stay in a Filter above as well unless <see cref="FiltersExact"/> (pruning is never exact today).
/// </summary>
public sealed record LogicalScan(
    ObjectPath Path,
    TableDef Table,
    TableVersion Storage,
    IReadOnlyList<int> ColumnIds,
    IReadOnlyList<OutputColumn> Columns,
    ScanVersion Version,
    IReadOnlyList<BoundExpression> Filters,
    string Alias) : LogicalPlan
{
    public bool FiltersExact => false;

    /// <summary>State TTL from a <c>STATE_TTL</c> hint naming this table (streaming: its join side / aggregate).</summary>
    public TimeSpan? StateTtl { get; init; }
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this;

    public override string Describe()
    {
        var cols = string.Join(", ", Columns.Select(c => c.Name));
        var version = Version switch
        {
            ScanVersion.SnapshotVersion s => $" snapshot={s.SnapshotId}",
            ScanVersion.TimestampVersion t => $" as_of={t.Micros}",
            _ => "",
        };
        var filters = Filters.Count == 0 ? "" : $" prune=[{string.Join(" AND ", Filters)}]";
        return $"Scan {Path} [{cols}]{version}{filters}";
    }
}
