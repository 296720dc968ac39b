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
    /// <summary>Population and sample variance and standard deviation (DOUBLE); the sample forms are NULL below 2 values.</summary>
    StddevPop,
    StddevSamp,
    VarPop,
    VarSamp,
    /// <summary>BOOL_AND / BOOL_OR over BOOLEAN (NULLs skipped).</summary>
    BoolAnd,
    BoolOr,
    /// <summary>LISTAGG / STRING_AGG: the non-NULL values as strings joined by <see cref="AggregateCall.Separator"/>, in input order.</summary>
    ListAgg,
    /// <summary>APPROX_COUNT_DISTINCT: a HyperLogLog estimate of the number of distinct non-NULL values.</summary>
    ApproxCountDistinct,
    /// <summary>FIRST_VALUE / LAST_VALUE as aggregates (Flink): the first / last non-NULL value in input order.</summary>
    FirstValue,
    LastValue,
    /// <summary>ARRAY_AGG / LIST (Flink, DuckDB): every value, NULLs included, as an ARRAY in input order; NULL for no rows.</summary>
    ArrayAgg,
}

/// <summary>
/// One aggregate of a GROUP BY (not a <see cref="BoundExpression"/>: it is evaluated by the aggregation
/// operator over groups). <paramref name="Argument"/> and <paramref name="Filter"/> refer to the aggregation's
/// input columns; <paramref name="Filter"/> is the <c>FILTER (WHERE ...)</c> predicate (rows where it is not TRUE
/// are skipped). Result types: <see cref="TypeRules.AggregateType"/>. Build with <see cref="BoundExpressions.Aggregate"/>.
/// </summary>
public sealed record AggregateCall(AggregateKind Kind, BoundExpression? Argument, bool Distinct, BoundExpression? Filter, DataType Type, string? Separator = null)
{
    public override string ToString()
    {
        var name = Kind switch
        {
            AggregateKind.CountStar or AggregateKind.Count => "COUNT",
            AggregateKind.StddevPop => "STDDEV_POP",
            AggregateKind.StddevSamp => "STDDEV_SAMP",
            AggregateKind.VarPop => "VAR_POP",
            AggregateKind.VarSamp => "VAR_SAMP",
            AggregateKind.BoolAnd => "BOOL_AND",
            AggregateKind.BoolOr => "BOOL_OR",
            AggregateKind.ApproxCountDistinct => "APPROX_COUNT_DISTINCT",
            AggregateKind.FirstValue => "FIRST_VALUE",
            AggregateKind.LastValue => "LAST_VALUE",
            AggregateKind.ArrayAgg => "ARRAY_AGG",
            _ => Kind.ToString().ToUpperInvariant(),
        };
        var arg = Kind == AggregateKind.CountStar ? "*" : (Distinct ? "DISTINCT " : "") + Argument + (Separator is null ? "" : $", '{Separator}'");
        return $"{name}({arg}){(Filter is null ? "" : $" FILTER (WHERE {Filter})")}";
    }
}
