namespace Tarn.Sql.Ast;

/// <summary>
/// DuckDB's <c>(DESCRIBE query)</c> and <c>(SUMMARIZE query)</c> as a FROM item: one row per column of
/// <see cref="Query"/> (<c>DESCRIBE TABLE t</c> and <c>SUMMARIZE t</c> describe <c>SELECT * FROM t</c>). The statements
/// <c>DESCRIBE query</c> and <c>SUMMARIZE ...</c> are queries over this item.
/// </summary>
public sealed record DescribeTable(Query Query, bool Summarize, TableAlias? Alias, SourcePosition Position) : TableReference(Position)
{
    /// <summary>Written as a table name (DESCRIBE [TABLE] t), not a query: its columns' NOT NULL shows.</summary>
    public bool OfTable { get; init; }
}
