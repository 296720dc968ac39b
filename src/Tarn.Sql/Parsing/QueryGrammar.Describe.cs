using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>
/// DuckDB's DESCRIBE / SUMMARIZE of a query: <c>DESCRIBE query</c>, <c>DESCRIBE TABLE t</c>, <c>SUMMARIZE query | [TABLE] t</c>
/// and the same inside parentheses as a FROM item. Flink's <c>DESCRIBE t</c> (a table name alone) stays a
/// <see cref="DescribeStatement"/> with Flink's columns.
/// </summary>
internal static partial class QueryGrammar
{
    /// <summary>True at DESCRIBE / DESC followed by TABLE or a query: DuckDB's form rather than Flink's DESCRIBE name.</summary>
    public static bool StartsDescribeQuery(TokenList<SqlToken> input)
    {
        var rest = Skip(input);
        return NextIsWord(rest, "TABLE") || NextIs(rest, SqlToken.LeftParen) || Peek(rest, out var t) && StartsQuery(t);
    }

    /// <summary>DESCRIBE | SUMMARIZE target as a statement: <c>SELECT * FROM (DESCRIBE target)</c>.</summary>
    public static TokenListParserResult<SqlToken, Statement> DescribeStatement(TokenList<SqlToken> input)
    {
        var item = DescribeItem(input);
        if (!item.HasValue)
            return Fail<DescribeTable, Statement>(item);
        var query = SelectStarFrom(item.Value, item.Value.Position);
        return Ok<Statement>(new QueryStatement(query, item.Value.Position), input, item.Remainder);
    }

    /// <summary>True at ( DESCRIBE | DESC | SUMMARIZE ... in FROM.</summary>
    private static bool StartsDescribeTable(TokenList<SqlToken> input)
    {
        var rest = Skip(input);
        return NextIsWord(rest, "DESCRIBE") || NextIsWord(rest, "DESC")
            || NextIsWord(rest, "SUMMARIZE") && PeekAt(rest, 1, out var next) && next.Kind != SqlToken.RightParen;
    }

    /// <summary>( DESCRIBE | SUMMARIZE target ) [alias]; <paramref name="input"/> is at '('.</summary>
    private static TokenListParserResult<SqlToken, TableReference> ParenthesizedDescribe(TokenList<SqlToken> input)
    {
        var item = DescribeItem(Skip(input));
        if (!item.HasValue)
            return Fail<DescribeTable, TableReference>(item);
        var close = RightParen(item.Remainder);
        if (!close.HasValue)
            return Fail<Token<SqlToken>, TableReference>(close);
        var alias = TableAlias(close.Remainder);
        if (!alias.HasValue)
            return Fail<TableAlias?, TableReference>(alias);
        return Ok<TableReference>(item.Value with { Alias = alias.Value }, input, alias.Remainder);
    }

    /// <summary>DESCRIBE | DESC | SUMMARIZE, then TABLE name, a query, or a name.</summary>
    private static TokenListParserResult<SqlToken, DescribeTable> DescribeItem(TokenList<SqlToken> input)
    {
        Peek(input, out var keyword);
        var summarize = IsWord(keyword, "SUMMARIZE");
        var rest = Skip(input);
        Query query;
        var ofTable = false;
        if (NextIs(rest, SqlToken.LeftParen) || Peek(rest, out var t) && StartsQuery(t))
        {
            var parsed = Query(rest);
            if (!parsed.HasValue)
                return Fail<Query, DescribeTable>(parsed);
            query = parsed.Value;
            rest = parsed.Remainder;
        }
        else
        {
            if (NextIsWord(rest, "TABLE"))
                rest = Skip(rest);
            var name = DottedName(rest);
            if (!name.HasValue)
                return Fail<QualifiedName, DescribeTable>(name);
            query = SelectStarFrom(new NamedTable(name.Value, [], null, null, name.Value.Position), name.Value.Position);
            rest = name.Remainder;
            ofTable = true;
        }
        return Ok(new DescribeTable(query, summarize, null, Pos(keyword)) { OfTable = ofTable }, input, rest);
    }

    /// <summary>SELECT * FROM <paramref name="table"/>.</summary>
    private static Query SelectStarFrom(TableReference table, SourcePosition position)
    {
        var body = new SelectBody([], false, [new SelectItem(new StarExpression([], position), null, position)], [table],
            null, [], null, [], null, position);
        return new Query([], body, [], null, null, position);
    }
}
