using Tarn.Catalog;
using Tarn.Catalog.Model;

namespace Tarn.Planner.Logical;

/// <summary>
/// Reads a connector table (<c>'connector' = 'filesystem'</c> and friends): rows that live outside Tarn's storage.
/// <see cref="ColumnIndexes"/> are positions in the table's physical columns, in output order (projection pushdown);
/// which connector can produce them is decided when the plan is lowered.
/// </summary>
public sealed record LogicalConnectorScan(
    ObjectPath Path,
    TableDef Table,
    IReadOnlyList<int> ColumnIndexes,
    IReadOnlyList<OutputColumn> Columns,
    string Alias,
    SourcePosition Position) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;

    /// <summary>State TTL from a <c>STATE_TTL</c> hint naming this table (streaming: its join side / aggregate).</summary>
    public TimeSpan? StateTtl { get; init; }
    public override IReadOnlyList<LogicalPlan> Inputs => [];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this;

    public override string Describe() =>
        $"ConnectorScan {Path} connector={Table.Connector} [{string.Join(", ", Columns.Select(c => c.Name))}]";
}
