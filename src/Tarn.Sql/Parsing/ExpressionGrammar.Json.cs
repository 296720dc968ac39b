using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class ExpressionGrammar
{
    /// <summary>
    /// JSON_VALUE(json, path [RETURNING type] [{NULL | ERROR | DEFAULT e} ON EMPTY] [{NULL | ERROR | DEFAULT e} ON ERROR]).
    /// Without clauses the result is the plain call JSON_VALUE(json, path).
    /// </summary>
    private static TokenListParserResult<SqlToken, Expression> JsonValueForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var json = Expression(Skip(input, 2));
        if (!json.HasValue)
            return json;
        var comma = Comma(json.Remainder);
        if (!comma.HasValue)
            return Fail<Token<SqlToken>, Expression>(comma);
        var path = Expression(comma.Remainder);
        if (!path.HasValue)
            return path;
        var rest = path.Remainder;

        Tarn.Types.DataType? returning = null;
        if (NextIsWord(rest, "RETURNING"))
        {
            var type = TypeGrammar.Type(Skip(rest));
            if (!type.HasValue)
                return Fail<Tarn.Types.DataType, Expression>(type);
            returning = type.Value;
            rest = type.Remainder;
            // "RETURNING INT NULL ON EMPTY": the type grammar took NULL as a nullability marker; give it back.
            if (NextIsWord(rest, "ON") && rest.Position > 0 && IsWord(ParseSession.Current.Tokens[rest.Position - 1], "NULL"))
                rest = Skip(input, rest.Position - 1 - input.Position);
        }
        JsonBehavior? onEmpty = null, onError = null;
        while (Peek(rest, out var t) && (IsWord(t, "NULL") || IsWord(t, "ERROR") || IsWord(t, "DEFAULT")))
        {
            var behavior = Behavior(rest);
            if (!behavior.HasValue)
                return Fail<JsonBehavior, Expression>(behavior);
            var on = Keyword("ON")(behavior.Remainder);
            if (!on.HasValue)
                return Fail<Token<SqlToken>, Expression>(on);
            if (NextIsWord(on.Remainder, "EMPTY") && onEmpty is null && onError is null)
                onEmpty = behavior.Value;
            else if (NextIsWord(on.Remainder, "ERROR") && onError is null)
                onError = behavior.Value;
            else
                return onError is null ? Expected<Expression>(on.Remainder, onEmpty is null ? "EMPTY" : "ERROR", "ERROR") : Expected<Expression>(on.Remainder, "')'");
            rest = Skip(on.Remainder);
        }
        var close = RightParen(rest);
        if (!close.HasValue)
        {
            return returning is null && onEmpty is null && onError is null
                ? Expected<Expression>(rest, "RETURNING", "ON EMPTY", "ON ERROR", "')'")
                : Fail<Token<SqlToken>, Expression>(close);
        }
        Expression result = returning is null && onEmpty is null && onError is null
            ? new FunctionCall(WordName(word), [json.Value, path.Value], false, null, null, Pos(word))
            : new JsonValueExpression(json.Value, path.Value, returning, onEmpty, onError, Pos(word));
        return Ok(result, input, close.Remainder);
    }

    /// <summary>NULL | ERROR | DEFAULT expression (before ON EMPTY / ON ERROR).</summary>
    private static TokenListParserResult<SqlToken, JsonBehavior> Behavior(TokenList<SqlToken> input)
    {
        Peek(input, out var t);
        if (IsWord(t, "NULL"))
            return Ok(new JsonBehavior(JsonBehaviorKind.Null, null, Pos(t)), input, Skip(input));
        if (IsWord(t, "ERROR"))
            return Ok(new JsonBehavior(JsonBehaviorKind.Error, null, Pos(t)), input, Skip(input));
        var value = Expression(Skip(input));
        return value.HasValue
            ? Ok(new JsonBehavior(JsonBehaviorKind.Default, value.Value, Pos(t)), input, value.Remainder)
            : Fail<Expression, JsonBehavior>(value);
    }
}
