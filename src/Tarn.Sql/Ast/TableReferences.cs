namespace Tarn.Sql.Ast;

/// <summary>An item of FROM: a table, subquery, table function, UNNEST or a join of those.</summary>
public abstract record TableReference(SourcePosition Position) : Node(Position);

/// <summary>[AS] name [(column aliases)].</summary>
public sealed record TableAlias(Identifier Name, NodeList<Identifier> Columns, SourcePosition Position) : Node(Position);

/// <summary>
/// A table or view by name: name [/*+ hints */] [FOR SYSTEM_TIME AS OF expr] [[AS] alias [(columns)]].
/// </summary>
public sealed record NamedTable(QualifiedName Name, NodeList<Hint> Hints, Expression? SystemTime, TableAlias? Alias, SourcePosition Position)
    : TableReference(Position);

/// <summary>[LATERAL] (query) [AS] alias [(columns)], including (VALUES ...) AS t(a, b).</summary>
public sealed record DerivedTable(Query Query, bool Lateral, TableAlias? Alias, SourcePosition Position) : TableReference(Position);

/// <summary>
/// A table-valued function call: [LATERAL] TABLE(fn(args)) [AS] alias [(columns)], e.g.
/// LATERAL TABLE(split(s)) AS t(word) or TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' MINUTE)).
/// </summary>
public sealed record FunctionTable(FunctionCall Call, bool Lateral, TableAlias? Alias, SourcePosition Position) : TableReference(Position);

/// <summary>UNNEST(array, ...) [WITH ORDINALITY] [AS] alias [(columns)].</summary>
public sealed record UnnestTable(NodeList<Expression> Arguments, bool WithOrdinality, TableAlias? Alias, SourcePosition Position)
    : TableReference(Position);

public enum JoinType
{
    Inner,
    Left,
    Right,
    Full,
    Cross,
    /// <summary>DuckDB's explicit SEMI JOIN: the left rows with a match, left columns only.</summary>
    Semi,
    /// <summary>DuckDB's explicit ANTI JOIN: the left rows without a match, left columns only.</summary>
    Anti,
}

/// <summary>
/// left [INNER | LEFT | RIGHT | FULL [OUTER] | CROSS] JOIN right [ON condition | USING (columns)]. CROSS joins have
/// neither; other joins have exactly one of <see cref="On"/> and <see cref="Using"/>. Joins are left-deep.
/// </summary>
public sealed record JoinedTable(JoinType Type, TableReference Left, TableReference Right, Expression? On, NodeList<Identifier> Using, SourcePosition Position)
    : TableReference(Position)
{
    /// <summary>NATURAL join: USING the columns both sides name alike (neither ON nor USING is given).</summary>
    public bool Natural { get; init; }

    /// <summary>
    /// DuckDB's ASOF join: each left row pairs with the one right row that satisfies the equalities of ON and is
    /// nearest by its single inequality (the greatest right value for l &gt;= r, the least for l &lt;= r).
    /// </summary>
    public bool AsOf { get; init; }
}
