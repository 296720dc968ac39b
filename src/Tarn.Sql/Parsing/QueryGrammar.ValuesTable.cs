using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class QueryGrammar
{
    /// <summary>
    /// DuckDB's unparenthesized VALUES in FROM: <c>FROM VALUES (1, 2), (3, 4) v(a, b)</c> means
    /// <c>FROM (VALUES (1, 2), (3, 4)) v(a, b)</c>. Rows must be parenthesized here, so a comma followed by anything
    /// else ends the rows and continues the FROM list.
    /// </summary>
    private static TokenListParserResult<SqlToken, TableReference> ValuesTable(TokenList<SqlToken> input)
    {
        Peek(input, out var values);
        var rows = new List<ValuesRow>();
        var rest = Skip(input);
        while (true)
        {
            if (!Peek(rest, out var open) || open.Kind != SqlToken.LeftParen)
                return Expected<TableReference>(rest, "'('");
            var row = RowValues(rest);
            if (!row.HasValue)
                return Fail<NodeList<Expression>, TableReference>(row);
            rows.Add(new ValuesRow(row.Value, Pos(open)));
            rest = row.Remainder;
            if (!NextIs(rest, SqlToken.Comma) || !NextIs(Skip(rest), SqlToken.LeftParen))
                break;
            rest = Skip(rest);
        }
        var body = new ValuesBody(NodeList.Wrap(rows.ToArray()), Pos(values));
        var query = new Query([], body, [], null, null, Pos(values));
        var alias = TableAlias(rest);
        if (!alias.HasValue)
            return Fail<TableAlias?, TableReference>(alias);
        return Ok<TableReference>(new DerivedTable(query, false, alias.Value, Pos(values)), input, alias.Remainder);
    }
}
