using Tarn.Execution.Streaming.Operators;
using Tarn.Execution.Streaming.Sources;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Logical;
using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>
/// Lowers an optimized logical plan to streaming operators (the <c>stream_*</c> counterparts of the batch lowering in
/// Lowering/BatchPlanner.cs): the same logical nodes, incremental operators over changelog batches. Operators are
/// created from the output towards the sources; stateful operators take state ids in that (deterministic) order.
/// </summary>
public sealed partial class StreamPlanner(StorageEngine storage, ExecutionContext context, StreamStateContext state)
{
    private readonly List<StreamInput> _inputs = [];

    /// <summary>How a table source starts when the job has no saved position (the job's first run).</summary>
    public StreamStart TableStart { get; init; } = StreamStart.Earliest;

    public StreamGraph Lower(LogicalPlan plan, IChangeConsumer output)
    {
        FindSharedSubplans(plan);
        LowerNode(plan, output);
        return new StreamGraph(_inputs, ChangelogModeInference.Of(plan));
    }

    private void LowerNode(LogicalPlan plan, IChangeConsumer output)
    {
        // Event-time bookkeeping is about the consumer the caller gave, even when a shared aggregate puts a tee before it.
        var consumer = output;
        var sourcesBefore = TrackEventTime(plan, consumer);
        if (plan is LogicalAggregate shared && ReuseShared(shared, ref output))
        {
            EndEventTime(consumer, sourcesBefore);
            return;
        }
        switch (plan)
        {
            case LogicalScan scan:
                RejectTimeTravel(scan);
                var types = scan.Columns.Select(c => c.Type).ToList();
                // Flink's 'values' test tables are bounded: a job reads the rows present when it starts, then finishes.
                var bounded = string.Equals(scan.Table.Connector, "values", StringComparison.OrdinalIgnoreCase);
                _inputs.Add(new StreamInput(new TableStreamSource(storage, scan.Table.TableId, scan.ColumnIds, types, TableStart, bounded), output, $"table {scan.Path}"));
                break;
            case LogicalConnectorScan c when ConnectorChangelog.IsUpsert(c.Table):
                LowerUpsertConnectorScan(c, output);
                break;
            case LogicalConnectorScan c:
                var source = context.Connectors?.OpenStream(c, context)
                    ?? throw new TarnException(SqlStates.FeatureNotSupported,
                        $"connector '{c.Table.Connector}' of table '{c.Path}' cannot be read as a stream at {c.Position}", c.Position);
                _inputs.Add(new StreamInput(source, output, $"{c.Table.Connector} {c.Path}"));
                break;
            case LogicalValues v:
                using (var values = new Tarn.Execution.Operators.ValuesOperator(v.Rows, v.Columns.Select(col => col.Type).ToList(), context))
                {
                    var batch = values.Next() ?? new ColumnBatch([.. v.Columns.Select(col => ColumnVector.Create(col.Type, 1))], 0);
                    _inputs.Add(new StreamInput(new ValuesStreamSource(batch, values.OutputTypes), output, "values"));
                }
                break;
            case LogicalProject or LogicalFilter when RankingPattern.TryMatch(plan, out var ranking):
                LowerRanking(ranking, output);
                break;
            case LogicalWindow w:
                LowerWindow(w, output);
                break;
            case LogicalFilter f:
                LowerNode(f.Input, new StreamFilter(f.Predicate, context, output));
                break;
            case LogicalProject p:
                LowerNode(p.Input, new StreamProject(p.Expressions, context, output));
                break;
            case LogicalAggregate a when TryLowerHopSlices(a, output):
                break;
            case LogicalAggregate a:
                var retracts = !ChangelogModeInference.Of(a.Input).IsInsertOnly();
                var aggregate = new StreamGroupAggregate(a.Keys, a.Aggregates, retracts, state.ForNextOperator(), context, output,
                    WindowAggregates.WindowEndKey(a));
                if (HintedStateTtl(a.Input) is { } aggregateTtl) aggregate.StateTtl = aggregateTtl;
                LowerNode(a.Input, aggregate);
                break;
            case LogicalUnionAll u:
                var union = new StreamUnion(u.Children.Count, output);
                for (var i = 0; i < u.Children.Count; i++) LowerNode(u.Children[i], union.Inputs[i]);
                break;
            case LogicalWatermarkAssigner a:
                LowerWatermarkAssigner(a, output);
                break;
            case LogicalWindowTvf w:
                LowerWindowTvf(w, output);
                break;
            case LogicalJoin j:
                LowerJoin(j, output);
                break;
            case LogicalLookupJoin l:
                LowerLookupJoin(l, output);
                break;
            case LogicalTemporalJoin t:
                LowerTemporalJoin(t, output);
                break;
            case LogicalSort or LogicalLimit:
                throw new TarnException(SqlStates.FeatureNotSupported,
                    "ORDER BY and LIMIT are not supported on an unbounded stream; use them in batch mode, or ROW_NUMBER() for a Top-N");
            default:
                throw new TarnException(SqlStates.FeatureNotSupported,
                    $"{plan.Describe()} is not supported in streaming mode yet; run the query with 'execution.runtime-mode' = 'batch'");
        }
        EndEventTime(consumer, sourcesBefore);
    }

    private static void RejectTimeTravel(LogicalScan scan)
    {
        if (scan.Version is not ScanVersion.LatestVersion)
            throw new TarnException(SqlStates.FeatureNotSupported, $"time travel (FOR SYSTEM_TIME AS OF) on '{scan.Path}' is not supported in a streaming job");
    }
}
