using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;

namespace Tarn.Planner.Logical;

/// <summary>
/// Flink's processing-time lookup join, <c>l [LEFT] JOIN dim FOR SYSTEM_TIME AS OF l.proctime ON l.k = dim.id</c>:
/// every left row joins the <see cref="Dim"/> rows current when the row is processed; later changes of the dimension
/// do not revise earlier results. <see cref="LeftKeys"/> (over the left row, of the key columns' types) are looked up
/// on the dimension columns <see cref="DimKeys"/> (its primary key for a native table); <see cref="Residual"/> is the
/// rest of ON over the joined row (left columns, then dimension columns). <see cref="Condition"/> is the whole ON:
/// in a batch query the lookup join is the regular join of the left input with the dimension's current rows.
/// </summary>
public sealed record LogicalLookupJoin(
    LogicalPlan Left,
    LogicalPlan Dim,
    ObjectPath DimPath,
    TableDef DimTable,
    LogicalJoinKind Kind,
    IReadOnlyList<BoundExpression> LeftKeys,
    IReadOnlyList<int> DimKeys,
    BoundExpression? Residual,
    BoundExpression Condition,
    LookupCacheOptions Cache,
    IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [Left, Dim];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Left = inputs[0], Dim = inputs[1] };

    public override string Describe() =>
        $"LookupJoin {Kind} {DimPath} keys=[{string.Join(", ", LeftKeys.Select((k, i) => $"{k} = {Dim.Output[DimKeys[i]].Name}"))}]"
        + (Residual is null ? "" : $" residual={Residual}") + (Cache.Mode == LookupCacheMode.None ? "" : $" cache={Cache.Mode.ToString().ToUpperInvariant()}");

    /// <summary>The batch meaning: a regular join with the dimension's current rows.</summary>
    public LogicalJoin AsJoin() => new(Left, Dim, Kind, Condition, Columns);
}
