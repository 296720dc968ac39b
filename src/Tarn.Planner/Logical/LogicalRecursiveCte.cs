namespace Tarn.Planner.Logical;

/// <summary>
/// WITH RECURSIVE: the rows of <see cref="Anchor"/>, then, repeatedly, the rows <see cref="Recursive"/> produces when
/// its <see cref="LogicalWorkTableScan"/>s (same <see cref="WorkTableId"/>) read the rows the previous round added,
/// until a round adds none. With <see cref="UnionAll"/> false (UNION) a row already produced is not added again, in
/// any round, which also ends cycles. Both inputs produce <see cref="Columns"/>' types.
/// </summary>
public sealed record LogicalRecursiveCte(LogicalPlan Anchor, LogicalPlan Recursive, bool UnionAll, int WorkTableId, IReadOnlyList<OutputColumn> Columns)
    : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [Anchor, Recursive];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Anchor = inputs[0], Recursive = inputs[1] };
    public override string Describe() => $"RecursiveCte #{WorkTableId} {(UnionAll ? "UNION ALL" : "UNION")}";
}

/// <summary>Inside the recursive term of a <see cref="LogicalRecursiveCte"/>: the rows its previous round added.</summary>
public sealed record LogicalWorkTableScan(int WorkTableId, IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this;
    public override string Describe() => $"WorkTableScan #{WorkTableId}";
}
