using Tarn.Planner.Expressions;

namespace Tarn.Planner.Logical;

/// <summary>
/// Join kinds; Semi and Anti keep only left rows (with / without a match) and output only left columns. Mark outputs
/// every left row plus a BOOLEAN: TRUE when a matching right row has <see cref="LogicalJoin.MarkCondition"/> TRUE,
/// NULL when rows match but none has it TRUE, FALSE when none matches. Single is a left join that fails (21000) when a
/// left row matches more than one right row (a scalar subquery).
/// </summary>
public enum LogicalJoinKind { Inner, Left, Right, Full, Cross, Semi, Anti, Mark, Single }

/// <summary>
/// Joins two inputs. Output is the left columns, then the right columns (nullable on the side an outer join may
/// leave empty). <see cref="Condition"/> refers to that concatenated row; null means every pair (cross join).
/// </summary>
public sealed record LogicalJoin(LogicalPlan Left, LogicalPlan Right, LogicalJoinKind Kind, BoundExpression? Condition, IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [Left, Right];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Left = inputs[0], Right = inputs[1] };
    public override string Describe() => $"Join {Kind}{(Condition is null ? "" : $" ON {Condition}")}{(MarkCondition is null ? "" : $" MARK {MarkCondition}")}";

    /// <summary>Mark joins: the value over a matching pair (null = TRUE, an EXISTS mark).</summary>
    public BoundExpression? MarkCondition { get; init; }

    /// <summary>The output columns of a join of <paramref name="left"/> and <paramref name="right"/>.</summary>
    public static List<OutputColumn> ColumnsOf(LogicalPlan left, LogicalPlan right, LogicalJoinKind kind)
    {
        if (kind is LogicalJoinKind.Semi or LogicalJoinKind.Anti) return [.. left.Output];
        if (kind is LogicalJoinKind.Mark) return [.. left.Output, new OutputColumn("$mark", Tarn.Types.DataType.Boolean.WithNullable(true))];
        var nullLeft = kind is LogicalJoinKind.Right or LogicalJoinKind.Full;
        var nullRight = kind is LogicalJoinKind.Left or LogicalJoinKind.Full or LogicalJoinKind.Single;
        return left.Output.Select(c => nullLeft ? c with { Type = c.Type.WithNullable(true) } : c)
            .Concat(right.Output.Select(c => nullRight ? c with { Type = c.Type.WithNullable(true) } : c)).ToList();
    }
}
