using Tarn.Execution.Lookup;
using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>
    /// Processing-time lookup joins: the probe side streams, the dimension is looked up (through its lookup cache)
    /// per probe batch. Native tables are looked up over their current version; connector tables need a lookup
    /// source of their connector.
    /// </summary>
    private void LowerLookupJoin(LogicalLookupJoin join, IChangeConsumer output)
    {
        ILookupSource source = join.DimTable.IsNative
            ? new NativeLookupSource(storage, join.DimTable.TableId, join.Dim, join.DimKeys, context)
            : (context.Connectors as IConnectorLookupSources)?.OpenLookup(join.DimTable, join.Dim, join.DimKeys, context)
              ?? throw new TarnException(SqlStates.FeatureNotSupported,
                  $"connector '{join.DimTable.Connector}' of table '{join.DimPath}' does not support lookup joins yet; run the query with 'execution.runtime-mode' = 'batch'");
        var cache = LookupCache.Create(source, join.Cache);
        var dimTypes = join.Columns.Skip(join.Left.Output.Count).Select(c => c.Type).ToList();
        LowerNode(join.Left, new StreamLookupJoin(join.LeftKeys, join.Residual, join.Kind == LogicalJoinKind.Left, cache, dimTypes, context, output));
    }

    /// <summary>
    /// Event-time temporal joins: the versioned table streams its changelog into per-key versions, probe rows wait
    /// for the watermark (or the end of bounded inputs).
    /// </summary>
    private void LowerTemporalJoin(LogicalTemporalJoin join, IChangeConsumer output)
    {
        var op = new StreamTemporalJoin(join.LeftKeys, join.LeftTime, join.VersionKeys, join.VersionTime, join.Residual, join.Kind == LogicalJoinKind.Left,
            [.. join.Columns.Select(c => c.Type)], join.Left.Output.Count, state.ForNextOperator(), context, output);
        LowerNode(join.Left, op.Left);
        LowerNode(join.Versioned, op.Right);
    }
}
