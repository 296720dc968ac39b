using Tarn.Types;

namespace Tarn.Planner.Expressions;

public enum AggregateKind : byte
{
    /// <summary><c>COUNT(*)</c>: rows, NULLs included; no argument.</summary>
    CountStar,
    Count,
    Sum,
    Min,
    Max,
    Avg,
}

/// <summary>
/// One aggregate of a GROUP BY (not a <see cref="BoundExpression"/>: it is evaluated by the aggregation
/// operator over groups). <paramref name="Argument"/> and <paramref name="Filter"/> refer to the aggregation's
/// input columns; <paramref name="Filter"/> is the <c>FILTER (WHERE ...)</c> predicate (rows where it is not TRUE
/// are skipped). Result types: <see cref="TypeRules.AggregateType"/>. Build with <see cref="BoundExpressions.Aggregate"/>.
/// </summary>
public sealed record AggregateCall(AggregateKind Kind, BoundExpression? Argument, bool Distinct, BoundExpression? Filter, DataType Type)
{
    public override string ToString()
    {
        var name = Kind switch
        {
            AggregateKind.CountStar or AggregateKind.Count => "COUNT",
            _ => Kind.ToString().ToUpperInvariant(),
        };
        var arg = Kind == AggregateKind.CountStar ? "*" : (Distinct ? "DISTINCT " : "") + Argument;
        return $"{name}({arg}){(Filter is null ? "" : $" FILTER (WHERE {Filter})")}";
    }
}
