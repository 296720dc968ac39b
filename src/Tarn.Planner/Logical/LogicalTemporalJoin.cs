using Tarn.Catalog;
using Tarn.Planner.Expressions;

namespace Tarn.Planner.Logical;

/// <summary>
/// Flink's event-time temporal join, <c>l [LEFT] JOIN versioned FOR SYSTEM_TIME AS OF l.rowtime ON l.k = v.pk</c>:
/// every left row joins the version of the <see cref="Versioned"/> row (per primary key) valid at the left row's
/// time: the one with the greatest version time (<see cref="VersionTime"/>, the versioned table's rowtime column)
/// not after <see cref="LeftTime"/>. <see cref="LeftKeys"/> and <see cref="VersionKeys"/> are the equi-join keys on
/// the versioned table's primary key; <see cref="Residual"/> is the rest of ON over the joined row.
/// </summary>
public sealed record LogicalTemporalJoin(
    LogicalPlan Left,
    LogicalPlan Versioned,
    ObjectPath VersionedPath,
    LogicalJoinKind Kind,
    int LeftTime,
    int VersionTime,
    IReadOnlyList<BoundExpression> LeftKeys,
    IReadOnlyList<int> VersionKeys,
    BoundExpression? Residual,
    BoundExpression Condition,
    IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [Left, Versioned];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Left = inputs[0], Versioned = inputs[1] };

    public override string Describe() =>
        $"TemporalJoin {Kind} {VersionedPath} AS OF {Left.Output[LeftTime].Name} version={Versioned.Output[VersionTime].Name}"
        + $" keys=[{string.Join(", ", LeftKeys.Select((k, i) => $"{k} = {Versioned.Output[VersionKeys[i]].Name}"))}]"
        + (Residual is null ? "" : $" residual={Residual}");

    /// <summary>
    /// The batch meaning over the versioned table's current rows (one version per primary key): the regular join on
    /// ON and <c>version time &lt;= left time</c>.
    /// </summary>
    public LogicalJoin AsJoin()
    {
        var width = Left.Output.Count;
        var leftTime = Left.Output[LeftTime].Type;
        var versionTime = Versioned.Output[VersionTime].Type;
        BoundExpression version = BoundExpressions.Column(width + VersionTime, versionTime);
        if (versionTime.Kind != leftTime.Kind) version = BoundExpressions.Cast(version, leftTime.WithNullable(true), CastMode.Implicit);
        var notAfter = BoundExpressions.Compare(ComparisonOperator.LessOrEqual, version, BoundExpressions.Column(LeftTime, leftTime));
        return new LogicalJoin(Left, Versioned, Kind, BoundExpressions.And(Condition, notAfter), Columns);
    }
}
