using Tarn.Execution.Operators;
using Tarn.Execution.Sources;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Lowering;

public sealed partial class BatchPlanner
{
    /// <summary>A filter right above a connector scan: the connector may evaluate part of it (<see cref="IConnectorFilterPushdown"/>); the filter still runs.</summary>
    private IBatchOperator LowerFilteredConnectorScan(LogicalFilter filter, LogicalConnectorScan scan)
    {
        var source = (context.Connectors as IConnectorFilterPushdown)?.OpenBatch(scan, filter.Predicate, context) ?? LowerConnectorScan(scan);
        return new FilterOperator(source, filter.Predicate, context);
    }
}
