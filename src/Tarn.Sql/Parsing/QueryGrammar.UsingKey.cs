using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class QueryGrammar
{
    /// <summary>DuckDB's USING KEY (expr, ...) after a CTE's name and columns, or nothing.</summary>
    private static TokenListParserResult<SqlToken, NodeList<Expression>> UsingKey(TokenList<SqlToken> input)
    {
        if (!NextAreWords(input, "USING", "KEY"))
            return Ok<NodeList<Expression>>([], input, input);
        var keys = Parenthesized(ExpressionGrammar.ExpressionParser)(Skip(input, 2));
        return keys.HasValue ? Ok(keys.Value, input, keys.Remainder) : keys;
    }
}
