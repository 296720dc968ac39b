using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class ExpressionGrammar
{
    /// <summary>
    /// DuckDB's <c>LIMIT n %</c> / <c>LIMIT n PERCENT</c>: an operand followed by % (not followed by another operand,
    /// which would make it a modulo) or by PERCENT. Returns no value, consuming nothing, for any other input.
    /// </summary>
    internal static TokenListParserResult<SqlToken, Expression> LimitPercent(TokenList<SqlToken> input)
    {
        var operand = Unary(input);
        if (!operand.HasValue)
            return Expected<Expression>(input, ExpressionExpectation);
        var rest = operand.Remainder;
        if (NextIsWord(rest, "PERCENT"))
            return Ok(operand.Value, input, Skip(rest));
        if (NextIs(rest, SqlToken.Percent) && !StartsOperand(Skip(rest)))
            return Ok(operand.Value, input, Skip(rest));
        return Expected<Expression>(input, ExpressionExpectation);
    }

    /// <summary>True if the next token can start the right operand of a modulo inside a LIMIT (a constant expression).</summary>
    private static bool StartsOperand(TokenList<SqlToken> input) =>
        Peek(input, out var t) && t.Kind is SqlToken.Integer or SqlToken.Decimal or SqlToken.Approximate or SqlToken.Parameter
            or SqlToken.LeftParen or SqlToken.Plus or SqlToken.Minus or SqlToken.String
            || Peek(input, out var w) && (IsWord(w, "CAST") || IsWord(w, "CASE"));
}
