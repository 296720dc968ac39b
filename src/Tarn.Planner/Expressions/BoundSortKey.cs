namespace Tarn.Planner.Expressions;

/// <summary>
/// One ORDER BY item. When NULLS FIRST/LAST is not written, Flink's default applies (Calcite's NullCollation.LOW:
/// NULL is the smallest value): ASC puts NULLs first, DESC puts them last. PostgreSQL does the opposite; we follow
/// Flink because Tarn speaks its dialect.
/// </summary>
public sealed record BoundSortKey(BoundExpression Expression, bool Descending = false, bool? NullsFirst = null)
{
    public bool EffectiveNullsFirst => NullsFirst ?? !Descending;

    public override string ToString() =>
        $"{Expression} {(Descending ? "DESC" : "ASC")} NULLS {(EffectiveNullsFirst ? "FIRST" : "LAST")}";
}
