namespace Tarn.Sql.Ast;

/// <summary>
/// name(args) [FILTER (WHERE cond)] [OVER window]. Also the canonical form of SQL's keyword-argument
/// functions: SUBSTRING(s FROM a FOR b) is SUBSTRING(s, a, b), POSITION(a IN b) is POSITION(a, b),
/// OVERLAY(s PLACING r FROM a FOR b) is OVERLAY(s, r, a, b), and CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME,
/// LOCALTIME and LOCALTIMESTAMP (written without parentheses) are calls with no arguments, name upper-cased.
/// Arguments may include <see cref="StarExpression"/> (COUNT(*)), <see cref="NamedArgument"/>,
/// <see cref="TableArgument"/>, <see cref="DescriptorExpression"/> and <see cref="TimeUnitExpression"/>.
/// </summary>
public sealed record FunctionCall(
    QualifiedName Name,
    NodeList<Expression> Arguments,
    bool Distinct,
    Expression? Filter,
    WindowSpecification? Over,
    SourcePosition Position) : Expression(Position)
{
    /// <summary>ORDER BY inside the parentheses of an aggregate (<c>string_agg(x, ',' ORDER BY y)</c>, PostgreSQL and DuckDB).</summary>
    public NodeList<OrderItem> OrderBy { get; init; } = NodeList<OrderItem>.Empty;
}

/// <summary>name =&gt; value, an argument passed by name.</summary>
public sealed record NamedArgument(Identifier Name, Expression Value, SourcePosition Position) : Expression(Position);

/// <summary>
/// TABLE t [PARTITION BY k | PARTITION BY (k1, k2)], a table passed to a table-valued function such as
/// TUMBLE(TABLE t, ...) or SESSION(TABLE t PARTITION BY k, ...).
/// </summary>
public sealed record TableArgument(QualifiedName Table, SourcePosition Position) : Expression(Position)
{
    /// <summary>The PARTITION BY columns (Flink's set semantics for table arguments, used by SESSION windows).</summary>
    public NodeList<Identifier> PartitionBy { get; init; } = NodeList<Identifier>.Empty;
}

/// <summary>DESCRIPTOR(c1, c2), the column list argument of window table functions.</summary>
public sealed record DescriptorExpression(NodeList<Identifier> Columns, SourcePosition Position) : Expression(Position);

/// <summary>The unit argument of TIMESTAMPADD(unit, n, ts) and TIMESTAMPDIFF(unit, a, b).</summary>
public sealed record TimeUnitExpression(TimeUnit Unit, SourcePosition Position) : Expression(Position);
