using Tarn.Catalog.Model;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Lookup;

/// <summary>
/// Implemented by the connector registry (<see cref="ExecutionContext.Connectors"/>) when some connectors can serve
/// lookup joins: the streaming planner asks it for the dimension's <see cref="ILookupSource"/> and puts the table's
/// lookup cache (<see cref="LookupCache.Create"/>) in front. Batch queries need nothing: they join the scan.
/// </summary>
public interface IConnectorLookupSources
{
    /// <summary>
    /// A lookup source for connector table <paramref name="table"/> returning rows shaped like <paramref name="dim"/>'s
    /// output, looked up on the columns <paramref name="keyColumns"/> of that row; null when its connector cannot.
    /// </summary>
    ILookupSource? OpenLookup(TableDef table, LogicalPlan dim, IReadOnlyList<int> keyColumns, ExecutionContext context);
}
