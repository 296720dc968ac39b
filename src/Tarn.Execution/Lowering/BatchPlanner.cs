using Tarn.Execution.Operators;
using Tarn.Execution.Parallel;
using Tarn.Execution.Recursion;
using Tarn.Planner.Expressions;
using Tarn.Execution.Scan;
using Tarn.Execution.Window;
using Tarn.Planner.Logical;
using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Execution.Lowering;

/// <summary>What lowering learned about the scans of a plan (for EXPLAIN and tests).</summary>
public sealed class ScanReport
{
    private readonly List<string> _lines = [];
    private readonly List<Func<string>> _pending = [];

    public List<string> Lines
    {
        get
        {
            foreach (var line in _pending) _lines.Add(line());
            _pending.Clear();
            return _lines;
        }
    }

    /// <summary>Adds a line formatted only if someone reads <see cref="Lines"/> (most queries never do).</summary>
    public void Add(Func<string> line) => _pending.Add(line);
}

/// <summary>
/// Lowers a logical plan to batch operators (the batch_* side of the one-logical-plan design; the streaming runtime
/// lowers the same nodes to stream_* operators). Scans read the table versions current when lowering starts.
/// </summary>
public sealed partial class BatchPlanner(StorageEngine storage, ExecutionContext context) : IDisposable
{
    public ScanReport Report { get; } = new();

    public IBatchOperator Lower(LogicalPlan plan) => plan switch
    {
        LogicalScan scan => LowerScan(scan),
        LogicalFilter { Input: LogicalConnectorScan c } f => LowerFilteredConnectorScan(f, c),
        LogicalFilter f => new FilterOperator(Lower(f.Input), f.Predicate, context),
        LogicalProject p => new ProjectOperator(Lower(p.Input), p.Expressions, context),
        LogicalAggregate a => LowerAggregate(a),
        LogicalLimit { Input: LogicalSort s, Limit: { } n } l => new TopNOperator(LowerUnordered(s.Input), SortKeys(s), n, l.Offset, context),
        LogicalLimit l => new LimitOperator(Lower(l.Input), l.Limit, l.Offset),
        LogicalLimitPercent l => new LimitPercentOperator(Lower(l.Input), l.Percent, l.Offset, context),
        LogicalValues v => new ValuesOperator(v.Rows, v.Columns.Select(c => c.Type).ToList(), context),
        LogicalUnionAll u => new UnionAllOperator(u.Children.Select(Lower).ToList()),
        LogicalSort s => new SortOperator(LowerUnordered(s.Input), SortKeys(s), context),
        LogicalJoin j => JoinLowering.Lower(j, Lower(j.Left), Lower(j.Right), context),
        LogicalLookupJoin l => Lower(l.AsJoin()),
        LogicalTemporalJoin t => Lower(t.AsJoin()),
        LogicalExpand e => new ExpandOperator(Lower(e.Input), e.Projections, e.Columns.Select(c => c.Type).ToList(), context),
        LogicalReplicateRows r => new ReplicateRowsOperator(Lower(r.Input), r.CountColumn, context),
        LogicalWindowTvf w => LowerWindowTvf(w),
        LogicalConnectorScan c => LowerConnectorScan(c),
        LogicalWatermarkAssigner w => Lower(w.Input), // event time has no meaning over a finite snapshot
        LogicalApply a => new ApplyOperator(Lower(a.Left), a, () => new BatchPlanner(storage, context), context),
        LogicalWindow w => new WindowOperator(Lower(w.Input), w.Functions, context),
        LogicalRecursiveCte r => new RecursiveCteOperator(Lower(r.Anchor), r, () => new BatchPlanner(storage, context), context),
        LogicalWorkTableScan w => WorkTables.Scan(context, w),
        _ => throw new TarnException(SqlStates.FeatureNotSupported, $"no batch operator for {plan.GetType().Name}"),
    };

    /// <summary>Plans the scan of a table: resolves time travel to per-bucket end offsets and prunes by the pushed filters.</summary>
    public TableScan PlanScan(LogicalScan scan)
    {
        var pinned = context.PinnedTables?.Invoke(scan.Table.TableId);
        var table = pinned ?? storage.GetTable(scan.Table.TableId)
            ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{scan.Path}' was dropped");
        var end = ResolveVersion(scan, table);
        var types = scan.Columns.Select(c => c.Type).ToList();
        var (stats, partitions) = PruningPredicates.Build(scan.Filters, scan.ColumnIds, types, table.Layout);
        var spec = new ScanSpec
        {
            Table = table,
            ColumnIds = scan.ColumnIds,
            EndOffsets = end,
            StatsFilters = stats,
            PartitionFilter = partitions,
            Bucket = BucketPruning.BucketOf(scan.Filters, scan.ColumnIds, table.Layout),
            ReadAsGiven = pinned is not null,
        };
        var planned = (end is null ? PointLookup.TryPlan(storage, spec, scan.Filters, scan.ColumnIds) : null) ?? TableScan.Plan(storage, spec);
        Report.Add(() => $"scan {scan.Path}: {planned.Morsels.Count} row groups to read, pruned={planned.PrunedRowGroups} of {planned.TotalRowGroups}"
                         + (spec.Bucket is { } only ? $", bucket={only} of {table.Layout.BucketCount}" : "")
                         + (planned.IsLookup ? ", primary-key lookup" : ""));
        return planned;
    }

    private static List<BoundSortKey> SortKeys(LogicalSort sort) =>
        sort.Keys.Select(k => new BoundSortKey(BoundExpressions.Column(k.Column, sort.Input.Output[k.Column].Type), k.Descending, k.NullsFirst)).ToList();

    /// <summary>
    /// Aggregation over a scan with only filters and projections between is run in parallel: each worker takes row
    /// groups (morsels), runs its own filter/project pipeline into a thread-local hash table, and the tables merge.
    /// </summary>
    private IBatchOperator LowerAggregate(LogicalAggregate aggregate)
    {
        if (TryMorselPipeline(aggregate.Input, ColumnsReadBy(aggregate)) is { } source)
            return new ParallelHashAggregateOperator(source, aggregate.Keys, aggregate.Aggregates, context);
        return new HashAggregateOperator(Lower(aggregate.Input), aggregate.Keys, aggregate.Aggregates, context);
    }

    /// <summary>
    /// A morsel source when <paramref name="plan"/> is Filter/Project/Expand nodes, row-local window functions (TUMBLE,
    /// HOP, CUMULATE) and hash joins probed by their left
    /// input (see <see cref="IsPipelinedJoin"/>) over a scan; otherwise null. <paramref name="consumerReads"/> are the
    /// pipeline's output columns its consumer reads; <paramref name="consumesEachBatch"/> says that the consumer is done
    /// with a batch before the same worker produces the next (an aggregation), so workers may reuse their arrays.
    /// </summary>
    private IMorselSource? TryMorselPipeline(LogicalPlan plan, HashSet<int> consumerReads, bool consumesEachBatch = true)
    {
        var chain = new List<LogicalPlan>();
        var node = plan;
        while (node is LogicalFilter or LogicalProject or LogicalExpand or LogicalWindowTvf { Kind: not WindowTvfKind.Session } || IsPipelinedJoin(node))
        {
            chain.Add(node);
            node = node.Inputs[0];
        }
        if (node is not LogicalScan scan) return null;
        var planned = PlanScan(scan);
        _ownedScans.Add(planned);
        var types = scan.Columns.Select(c => c.Type).ToList();
        chain.Reverse();
        var joins = LowerJoinBuilds(chain, consumesEachBatch);
        // Each worker decodes into the same column arrays morsel after morsel: the aggregate consumes a batch fully
        // before its worker takes the next morsel, and fresh 512 KB arrays per chunk cost more than decoding them.
        var reuse = new ThreadLocal<ColumnVector?[]>(() => new ColumnVector?[types.Count]);
        _reuse.Add(reuse);
        IBatchOperator Stages(IBatchOperator op) => StagesFrom(op, 0);
        IBatchOperator StagesFrom(IBatchOperator op, int from)
        {
            for (var i = from; i < chain.Count; i++)
            {
                var n = chain[i];
                op = n switch
                {
                    LogicalFilter f => new FilterOperator(op, f.Predicate, context),
                    LogicalExpand e => new ExpandOperator(op, e.Projections, e.Columns.Select(c => c.Type).ToList(), context),
                    LogicalWindowTvf w => new WindowTvf.WindowTvfOperator(op, w, context),
                    LogicalJoin j => joins![j].Probe(op),
                    _ => new ProjectOperator(op, ((LogicalProject)n).Expressions, context),
                };
            }
            return op;
        }
        var rowGroups = planned.Morsels.Select(m => (Func<IBatchOperator>)(() => new MorselOperator(m, types, consumesEachBatch ? reuse.Value : null))).ToList();
        if (joins is not null) return OwnJoinPipeline(rowGroups, types, Stages, joins);
        // A filter right above the scan that its statistics predicates express exactly is skipped on row groups whose
        // statistics prove every row matches (the middle of a range over a nearly sorted column).
        var implied = chain.Count > 0 && chain[0] is LogicalFilter first
            ? PruningPredicates.Equivalent(Planner.Optimizer.ExpressionRewriter.Conjuncts(first.Predicate), scan.ColumnIds, types, scan.Storage.Layout) : null;
        // Such row groups need not decode the columns only that filter reads.
        var unread = implied is not null ? ColumnsUnreadAboveFirstFilter(chain, types.Count, consumerReads) : null;
        var sources = new List<Func<IBatchOperator>>(rowGroups.Count);
        for (var i = 0; i < rowGroups.Count; i++)
        {
            var open = rowGroups[i];
            var morsel = planned.Morsels[i];
            var skipFilter = implied is not null && morsel.AllRowsMatch(implied);
            sources.Add(skipFilter ? () => StagesFrom(new MorselOperator(morsel, types, consumesEachBatch ? reuse.Value : null, unread), 1) : () => Stages(open()));
        }
        return new ListMorselSource(sources);
    }

    private readonly List<TableScan> _ownedScans = [];
    private readonly List<ThreadLocal<ColumnVector?[]>> _reuse = [];

    /// <summary>Releases the scans planned for parallel pipelines (their operators do not own them). Call after the operators are done.</summary>
    public void Dispose()
    {
        foreach (var p in _joinPipelines) p.Dispose();
        _joinPipelines.Clear();
        foreach (var s in _ownedScans) s.Dispose();
        _ownedScans.Clear();
        foreach (var r in _reuse) r.Dispose();
        _reuse.Clear();
    }

    private IBatchOperator LowerConnectorScan(LogicalConnectorScan scan) =>
        context.Connectors?.OpenBatch(scan, context)
        ?? throw new TarnException(SqlStates.FeatureNotSupported, $"table '{scan.Path}' uses connector '{scan.Table.Connector}', which this version cannot read yet at {scan.Position}", scan.Position);

    private IBatchOperator LowerScan(LogicalScan scan) =>
        new ScanOperator(PlanScan(scan), scan.Columns.Select(c => c.Type).ToList(), context);

    private static IReadOnlyList<long>? ResolveVersion(LogicalScan scan, TableVersion table)
    {
        switch (scan.Version)
        {
            case ScanVersion.SnapshotVersion s:
            {
                var snapshot = table.FindSnapshot(s.SnapshotId);
                if (snapshot is not null) return snapshot.EndOffsets;
                if (s.SnapshotId > table.LastSnapshotId)
                    throw new TarnException(SqlStates.InvalidParameterValue, $"snapshot {s.SnapshotId} of '{scan.Path}' does not exist (the latest is {table.LastSnapshotId})");
                throw new TarnException(SqlStates.SnapshotTooOld, $"snapshot {s.SnapshotId} of '{scan.Path}' has expired");
            }
            case ScanVersion.TimestampVersion t:
            {
                var snapshot = table.FindSnapshotAsOf(t.Micros, out var exact);
                if (!exact)
                    throw new TarnException(SqlStates.SnapshotTooOld,
                        $"'{scan.Path}' keeps older snapshots one per second, and none of them is the table as of that instant; use a whole-second timestamp or a snapshot id");
                if (snapshot is not null) return snapshot.EndOffsets;
                if (table.Snapshots.Count > 0 && table.Snapshots[0].SnapshotId > 1)
                    throw new TarnException(SqlStates.SnapshotTooOld, $"'{scan.Path}' has no retained snapshot that old (the oldest retained is {table.Snapshots[0].SnapshotId})");
                return new long[table.Layout.BucketCount]; // before the first commit: the table was empty
            }
            default:
                return null;
        }
    }
}
