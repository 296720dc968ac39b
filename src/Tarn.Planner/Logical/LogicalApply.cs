using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Planner.Logical;

/// <summary>What a subquery computes for each row of the apply's left input.</summary>
public enum ApplyKind
{
    /// <summary>The single value of the subquery's single row (NULL without rows; 21000 with more than one).</summary>
    Scalar,
    /// <summary>Whether the subquery has a row (never NULL).</summary>
    Exists,
    /// <summary><c>operand op ANY (subquery)</c> in three-valued logic: TRUE if a row compares TRUE, else NULL if one compares NULL, else FALSE.</summary>
    Any,
    /// <summary>A LATERAL subquery in FROM: every row of the subquery, appended to the left row (left rows without any disappear).</summary>
    Lateral,
    /// <summary>LEFT JOIN LATERAL: as <see cref="Lateral"/>, but a left row without subquery rows is kept once, with NULLs.</summary>
    LateralLeft,
}

/// <summary>How the apply uses the subquery's result.</summary>
public enum ApplyMode
{
    /// <summary>Appends the result as a column (a "mark" for Exists/Any, the value for Scalar).</summary>
    Mark,
    /// <summary>Keeps the left rows whose result is TRUE (a top-level WHERE/HAVING conjunct); outputs the left columns.</summary>
    Semi,
    /// <summary>Keeps the left rows whose result is FALSE (NOT EXISTS, NOT IN, ALL); outputs the left columns.</summary>
    Anti,
}

/// <summary>
/// A dependent join (Neumann and Kemper's "Unnesting Arbitrary Queries"): <see cref="Right"/> is evaluated for each
/// row of <see cref="Left"/> and may read its columns through <see cref="BoundOuterRef"/>s. The binder produces it for
/// every subquery; decorrelation rules turn it into joins; what remains is evaluated per distinct outer values.
/// <see cref="Operand"/> (over the left columns) and <see cref="Comparison"/> are used by <see cref="ApplyKind.Any"/>
/// only: each right row's first column is compared as <c>Operand Comparison value</c>.
/// </summary>
public sealed record LogicalApply(LogicalPlan Left, LogicalPlan Right, ApplyKind Kind, ApplyMode Mode, BoundExpression? Operand, ComparisonOperator Comparison) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Kind switch
    {
        ApplyKind.Lateral => [.. Left.Output, .. Right.Output],
        ApplyKind.LateralLeft => [.. Left.Output, .. Right.Output.Select(c => c with { Type = c.Type.WithNullable(true) })],
        _ => Mode == ApplyMode.Mark ? [.. Left.Output, new OutputColumn("$subquery", ResultType)] : Left.Output,
    };

    /// <summary>True for the LATERAL kinds, whose output appends all the subquery's columns.</summary>
    public bool IsLateral => Kind is ApplyKind.Lateral or ApplyKind.LateralLeft;
    public override IReadOnlyList<LogicalPlan> Inputs => [Left, Right];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Left = inputs[0], Right = inputs[1] };
    public override string Describe() => $"Apply {Kind} {Mode}{(Operand is null ? "" : $" {Operand} {Comparison} ANY")}";

    /// <summary>The result's type: the subquery's column (nullable) for Scalar, BOOLEAN otherwise (nullable for Any).</summary>
    public DataType ResultType => Kind switch
    {
        ApplyKind.Scalar => Right.Output[0].Type.WithNullable(true),
        ApplyKind.Exists => DataType.Boolean.WithNullable(false),
        _ => DataType.Boolean.WithNullable(true),
    };

    /// <summary>The comparison of the operand with the right row's first column, over the concatenated row (left, then right).</summary>
    public BoundExpression AnyComparison()
    {
        var leftCount = Left.Output.Count;
        return BoundExpressions.Compare(Comparison, Operand!, BoundExpressions.Column(leftCount, Right.Output[0].Type));
    }
}
