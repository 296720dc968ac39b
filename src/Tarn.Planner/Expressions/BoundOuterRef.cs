using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// A correlated reference from inside a subquery to a column of an enclosing query: column <paramref name="Index"/>
/// of the left input of the <paramref name="Depth"/>-th enclosing <c>LogicalApply</c> (1 = the nearest one). It never
/// reaches execution: decorrelation turns it into a join column, or the apply fallback replaces it by a literal.
/// </summary>
public sealed record BoundOuterRef(int Depth, int Index, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [];
    public override string ToString() => $"^{Depth}#{Index}";
}
