using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Sources;

/// <summary>
/// Implemented by the connector registry (<see cref="ExecutionContext.Connectors"/>) when some connectors can evaluate
/// part of a filter themselves (a SQL database answering a WHERE clause): the batch planner offers the filter right
/// above a connector scan. The planner keeps its own filter above the operator, so a connector may push any subset of
/// the conjuncts, or none.
/// </summary>
public interface IConnectorFilterPushdown
{
    /// <summary>An operator producing <paramref name="scan"/>'s columns, with or without the rows failing <paramref name="filter"/>; null when the connector cannot be read in batch.</summary>
    IBatchOperator? OpenBatch(LogicalConnectorScan scan, BoundExpression filter, ExecutionContext context);
}
