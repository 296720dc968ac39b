namespace Tarn.Sql.Ast;

/// <summary>The part of a query that produces rows: a SELECT, VALUES, a set operation or a parenthesized query.</summary>
public abstract record QueryBody(SourcePosition Position) : Node(Position);

/// <summary>
/// SELECT [hints] [ALL | DISTINCT] items [FROM ...] [WHERE] [GROUP BY] [HAVING] [WINDOW] [QUALIFY].
/// <see cref="From"/> holds the comma-separated FROM items (each possibly a join tree); empty without FROM.
/// <see cref="GroupBy"/> is empty without GROUP BY.
/// </summary>
public sealed record SelectBody(
    NodeList<Hint> Hints,
    bool Distinct,
    NodeList<SelectItem> Items,
    NodeList<TableReference> From,
    Expression? Where,
    NodeList<GroupingElement> GroupBy,
    Expression? Having,
    NodeList<WindowDefinition> Windows,
    Expression? Qualify,
    SourcePosition Position) : QueryBody(Position)
{
    /// <summary>DISTINCT ON (expr, ...) (PostgreSQL, DuckDB): one row per distinct value of these, the first in ORDER BY order; <see cref="Distinct"/> is then true too.</summary>
    public NodeList<Expression> DistinctOn { get; init; } = NodeList<Expression>.Empty;
}

/// <summary>
/// expr [[AS] alias]; also <c>*</c> and <c>t.*</c> as a <see cref="StarExpression"/> (never with an alias).
/// </summary>
public sealed record SelectItem(Expression Expression, Identifier? Alias, SourcePosition Position) : Node(Position);

public enum SetOperator
{
    Union,
    Intersect,
    Except,
}

/// <summary>left UNION | INTERSECT | EXCEPT [ALL | DISTINCT] right. INTERSECT binds tighter than UNION and EXCEPT.</summary>
public sealed record SetOperationBody(SetOperator Operator, bool All, QueryBody Left, QueryBody Right, SourcePosition Position)
    : QueryBody(Position);

/// <summary>VALUES row, row, ... Each row is a list of expressions; VALUES 1, 2 is two one-column rows.</summary>
public sealed record ValuesBody(NodeList<ValuesRow> Rows, SourcePosition Position) : QueryBody(Position);

public sealed record ValuesRow(NodeList<Expression> Values, SourcePosition Position) : Node(Position);

/// <summary>
/// (query) used as an operand of a set operation when the inner query has its own WITH, ORDER BY or LIMIT.
/// A parenthesized body without those is not wrapped: (SELECT 1) UNION (SELECT 2) holds the two SELECTs directly.
/// </summary>
public sealed record ParenthesizedBody(Query Query, SourcePosition Position) : QueryBody(Position);
