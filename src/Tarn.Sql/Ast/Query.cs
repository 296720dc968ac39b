namespace Tarn.Sql.Ast;

/// <summary>
/// A complete query: [WITH ...] body [ORDER BY ...] [LIMIT / OFFSET / FETCH]. ORDER BY and LIMIT apply to the
/// whole body, set operations included. LIMIT n, FETCH FIRST n ROWS ONLY both set <see cref="Limit"/>
/// (FETCH FIRST ROW ONLY is 1); LIMIT ALL leaves it null.
/// </summary>
public sealed record Query(
    NodeList<CommonTableExpression> With,
    QueryBody Body,
    NodeList<OrderItem> OrderBy,
    Expression? Limit,
    Expression? Offset,
    SourcePosition Position) : Node(Position)
{
    /// <summary>True when the query is just its body: no WITH, ORDER BY, LIMIT or OFFSET.</summary>
    public bool IsBodyOnly => With.IsEmpty && OrderBy.IsEmpty && Limit is null && Offset is null;

    /// <summary>DuckDB's LIMIT n % / LIMIT n PERCENT: <see cref="Limit"/> is a percentage of the rows, not a count.</summary>
    public bool LimitPercent { get; init; }
}

/// <summary>name [(columns)] AS [[NOT] MATERIALIZED] (query) in a WITH clause.</summary>
public sealed record CommonTableExpression(Identifier Name, NodeList<Identifier> Columns, Query Query, SourcePosition Position)
    : Node(Position)
{
    /// <summary>Part of a WITH RECURSIVE clause: the query may read its own name (set on every CTE of that clause).</summary>
    public bool Recursive { get; init; }

    /// <summary>AS MATERIALIZED (true), AS NOT MATERIALIZED (false) or neither (null): a planner hint without effect on results.</summary>
    public bool? Materialized { get; init; }

    /// <summary>
    /// DuckDB's USING KEY (k, ..., agg(c), ...) of a recursive CTE: its result keeps one row per key, the last one
    /// produced, with the columns named in an aggregate combined over every row of that key instead. Empty when absent.
    /// </summary>
    public NodeList<Expression> UsingKey { get; init; } = NodeList<Expression>.Empty;
}

public enum NullOrdering
{
    /// <summary>Not written: the engine's default for the direction applies.</summary>
    Default,
    First,
    Last,
}

/// <summary>expr [ASC | DESC] [NULLS FIRST | LAST]. An integer literal expression is an ordinal (ORDER BY 1).</summary>
public sealed record OrderItem(Expression Expression, bool Descending, NullOrdering Nulls, SourcePosition Position) : Node(Position);
