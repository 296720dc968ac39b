using System.Collections.Frozen;
using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using Tarn.Types;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class ExpressionGrammar
{
    /// <summary>
    /// Words with their own argument syntax. They are not reserved: each applies only when followed by the token
    /// given here (CAST + '(', DATE + string, ARRAY + '['), so columns named date or row still work.
    /// </summary>
    private static class SpecialForms
    {
        private static readonly FrozenDictionary<string, (SqlToken Next, TokenListParser<SqlToken, Expression> Parser)> Forms =
            new Dictionary<string, (SqlToken, TokenListParser<SqlToken, Expression>)>(StringComparer.OrdinalIgnoreCase)
            {
                ["CAST"] = (SqlToken.LeftParen, CastForm),
                ["TRY_CAST"] = (SqlToken.LeftParen, CastForm),
                ["EXTRACT"] = (SqlToken.LeftParen, ExtractForm),
                ["FLOOR"] = (SqlToken.LeftParen, FloorCeilForm),
                ["CEIL"] = (SqlToken.LeftParen, FloorCeilForm),
                ["CEILING"] = (SqlToken.LeftParen, FloorCeilForm),
                ["TRIM"] = (SqlToken.LeftParen, TrimForm),
                ["SUBSTRING"] = (SqlToken.LeftParen, SubstringForm),
                ["POSITION"] = (SqlToken.LeftParen, PositionForm),
                ["OVERLAY"] = (SqlToken.LeftParen, OverlayForm),
                ["TIMESTAMPADD"] = (SqlToken.LeftParen, TimestampArithmeticForm),
                ["TIMESTAMPDIFF"] = (SqlToken.LeftParen, TimestampArithmeticForm),
                ["ROW"] = (SqlToken.LeftParen, RowForm),
                ["JSON_VALUE"] = (SqlToken.LeftParen, JsonValueForm),
                ["ARRAY"] = (SqlToken.LeftBracket, ArrayForm),
                ["MAP"] = (SqlToken.LeftBracket, MapForm),
                ["DATE"] = (SqlToken.String, DateTimeForm),
                ["TIME"] = (SqlToken.String, DateTimeForm),
                ["TIMESTAMP"] = (SqlToken.String, DateTimeForm),
            }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

        private static readonly FrozenDictionary<string, (SqlToken Next, TokenListParser<SqlToken, Expression> Parser)>.AlternateLookup<ReadOnlySpan<char>> Lookup =
            Forms.GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>The special-form parser for <paramref name="word"/> if the token after it (<paramref name="rest"/>) fits.</summary>
        public static bool TryGetValue(Token<SqlToken> word, TokenList<SqlToken> rest, out TokenListParser<SqlToken, Expression> parser)
        {
            if (Lookup.TryGetValue(word.Span.AsReadOnlySpan(), out var form) && NextIs(rest, form.Next))
            {
                parser = form.Parser;
                return true;
            }
            parser = null!;
            return false;
        }
    }

    /// <summary>The function name token as a qualified name, spelled as written.</summary>
    private static QualifiedName WordName(Token<SqlToken> word) =>
        new([new Identifier(word.ToStringValue(), false, Pos(word))], Pos(word));

    /// <summary>CAST(e AS type) and TRY_CAST(e AS type).</summary>
    private static TokenListParserResult<SqlToken, Expression> CastForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var operand = Expression(Skip(input, 2));
        if (!operand.HasValue)
            return operand;
        var @as = Keyword("AS")(operand.Remainder);
        if (!@as.HasValue)
            return Fail<Token<SqlToken>, Expression>(@as);
        var type = TypeGrammar.Type(@as.Remainder);
        if (!type.HasValue)
            return Fail<DataType, Expression>(type);
        var close = RightParen(type.Remainder);
        if (!close.HasValue)
            return Fail<Token<SqlToken>, Expression>(close);
        var isTry = IsWord(word, "TRY_CAST");
        return Ok<Expression>(new CastExpression(operand.Value, type.Value, isTry, Pos(word)), input, close.Remainder);
    }

    /// <summary>EXTRACT(unit FROM e).</summary>
    private static TokenListParserResult<SqlToken, Expression> ExtractForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var unit = TimeUnitWord(Skip(input, 2));
        if (!unit.HasValue)
            return Fail<TimeUnit, Expression>(unit);
        var from = Keyword("FROM")(unit.Remainder);
        if (!from.HasValue)
            return Fail<Token<SqlToken>, Expression>(from);
        var source = Expression(from.Remainder);
        if (!source.HasValue)
            return source;
        var close = RightParen(source.Remainder);
        return close.HasValue
            ? Ok<Expression>(new ExtractExpression(unit.Value, source.Value, Pos(word)), input, close.Remainder)
            : Fail<Token<SqlToken>, Expression>(close);
    }

    /// <summary>FLOOR(e TO unit) / CEIL(e TO unit), or plain FLOOR(e) / CEIL(e) as a function call.</summary>
    private static TokenListParserResult<SqlToken, Expression> FloorCeilForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var operand = Expression(Skip(input, 2));
        if (!operand.HasValue)
            return operand;
        var rest = operand.Remainder;
        Expression result;
        if (NextIsWord(rest, "TO"))
        {
            var unit = TimeUnitWord(Skip(rest));
            if (!unit.HasValue)
                return Fail<TimeUnit, Expression>(unit);
            result = new FloorCeilExpression(!IsWord(word, "FLOOR"), operand.Value, unit.Value, Pos(word));
            rest = unit.Remainder;
        }
        else if (NextIs(rest, SqlToken.RightParen))
        {
            result = new FunctionCall(WordName(word), [operand.Value], false, null, null, Pos(word));
        }
        else
        {
            return Expected<Expression>(rest, "TO", "')'");
        }
        var close = RightParen(rest);
        return close.HasValue ? Ok(result, input, close.Remainder) : Fail<Token<SqlToken>, Expression>(close);
    }

    /// <summary>TRIM([BOTH | LEADING | TRAILING] [characters] FROM source) or TRIM(source).</summary>
    private static TokenListParserResult<SqlToken, Expression> TrimForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var rest = Skip(input, 2);
        var mode = TrimMode.Both;
        var modeWritten = true;
        if (NextIsWord(rest, "BOTH"))
            mode = TrimMode.Both;
        else if (NextIsWord(rest, "LEADING"))
            mode = TrimMode.Leading;
        else if (NextIsWord(rest, "TRAILING"))
            mode = TrimMode.Trailing;
        else
            modeWritten = false;
        if (modeWritten)
            rest = Skip(rest);

        Expression? characters = null;
        Expression source;
        if (NextIsWord(rest, "FROM"))
        {
            var s = Expression(Skip(rest));
            if (!s.HasValue)
                return s;
            source = s.Value;
            rest = s.Remainder;
        }
        else
        {
            var first = Expression(rest);
            if (!first.HasValue)
                return first;
            rest = first.Remainder;
            if (NextIsWord(rest, "FROM"))
            {
                var s = Expression(Skip(rest));
                if (!s.HasValue)
                    return s;
                characters = first.Value;
                source = s.Value;
                rest = s.Remainder;
            }
            else if (modeWritten)
            {
                return Expected<Expression>(rest, "FROM");
            }
            else
            {
                source = first.Value;
            }
        }
        var close = RightParen(rest);
        return close.HasValue
            ? Ok<Expression>(new TrimExpression(mode, characters, source, Pos(word)), input, close.Remainder)
            : Fail<Token<SqlToken>, Expression>(close);
    }

    /// <summary>SUBSTRING(s FROM a [FOR b]) → SUBSTRING(s, a[, b]); SUBSTRING(s, a, b) as a plain call.</summary>
    private static TokenListParserResult<SqlToken, Expression> SubstringForm(TokenList<SqlToken> input) =>
        KeywordArguments(input, Expression, "FROM", "FOR");

    /// <summary>POSITION(a IN b) → POSITION(a, b). The first operand stops before IN.</summary>
    private static TokenListParserResult<SqlToken, Expression> PositionForm(TokenList<SqlToken> input) =>
        KeywordArguments(input, Additive, "IN");

    /// <summary>OVERLAY(s PLACING r FROM a [FOR b]) → OVERLAY(s, r, a[, b]).</summary>
    private static TokenListParserResult<SqlToken, Expression> OverlayForm(TokenList<SqlToken> input) =>
        KeywordArguments(input, Expression, "PLACING", "FROM", "FOR");

    /// <summary>
    /// name(first KW1 arg KW2 arg ...) with keyword separators (the last one optional) or the ordinary
    /// name(first, arg, ...): both become a call with positional arguments.
    /// </summary>
    private static TokenListParserResult<SqlToken, Expression> KeywordArguments(
        TokenList<SqlToken> input, TokenListParser<SqlToken, Expression> firstArgument, params string[] separators)
    {
        Peek(input, out var word);
        var first = firstArgument(Skip(input, 2));
        if (!first.HasValue)
            return first;
        var rest = first.Remainder;
        var arguments = new List<Expression> { first.Value };
        if (NextIsWord(rest, separators[0]))
        {
            for (var i = 0; i < separators.Length; i++)
            {
                if (!NextIsWord(rest, separators[i]))
                {
                    if (i == separators.Length - 1)
                        break;
                    return Expected<Expression>(rest, separators[i]);
                }
                var argument = Expression(Skip(rest));
                if (!argument.HasValue)
                    return argument;
                arguments.Add(argument.Value);
                rest = argument.Remainder;
            }
        }
        else
        {
            while (NextIs(rest, SqlToken.Comma))
            {
                var argument = Expression(Skip(rest));
                if (!argument.HasValue)
                    return argument;
                arguments.Add(argument.Value);
                rest = argument.Remainder;
            }
        }
        var close = NextIs(rest, SqlToken.RightParen)
            ? RightParen(rest)
            : Expected<Token<SqlToken>>(rest, arguments.Count == 1 ? [separators[0], "','", "')'"] : ["')'"]);
        if (!close.HasValue)
            return Fail<Token<SqlToken>, Expression>(close);
        return Ok<Expression>(new FunctionCall(WordName(word), NodeList.Wrap(arguments.ToArray()), false, null, null, Pos(word)), input, close.Remainder);
    }

    /// <summary>TIMESTAMPADD(unit, n, ts) and TIMESTAMPDIFF(unit, a, b): the unit becomes a <see cref="TimeUnitExpression"/>.</summary>
    private static TokenListParserResult<SqlToken, Expression> TimestampArithmeticForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var unitAt = Skip(input, 2);
        var unit = TimeUnitWord(unitAt);
        if (!unit.HasValue)
            return Fail<TimeUnit, Expression>(unit);
        Peek(unitAt, out var unitToken);
        var arguments = new List<Expression> { new TimeUnitExpression(unit.Value, Pos(unitToken)) };
        var rest = unit.Remainder;
        while (true)
        {
            if (NextIs(rest, SqlToken.RightParen))
                break;
            if (!NextIs(rest, SqlToken.Comma))
                return Expected<Expression>(rest, "','", "')'");
            var argument = Expression(Skip(rest));
            if (!argument.HasValue)
                return argument;
            arguments.Add(argument.Value);
            rest = argument.Remainder;
        }
        return Ok<Expression>(new FunctionCall(WordName(word), NodeList.Wrap(arguments.ToArray()), false, null, null, Pos(word)), input, Skip(rest));
    }

    /// <summary>ROW(a, b, ...).</summary>
    private static TokenListParserResult<SqlToken, Expression> RowForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var fields = Parenthesized(ExpressionParser)(Skip(input));
        return fields.HasValue
            ? Ok<Expression>(new RowConstructor(fields.Value, Pos(word)), input, fields.Remainder)
            : Fail<NodeList<Expression>, Expression>(fields);
    }

    /// <summary>ARRAY[a, b, ...].</summary>
    private static TokenListParserResult<SqlToken, Expression> ArrayForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var elements = Bracketed(Skip(input));
        return elements.HasValue
            ? Ok<Expression>(new ArrayConstructor(elements.Value, Pos(word)), input, elements.Remainder)
            : Fail<NodeList<Expression>, Expression>(elements);
    }

    /// <summary>DuckDB's list literal [a, b, ...] (also []): the same as ARRAY[a, b, ...].</summary>
    private static TokenListParserResult<SqlToken, Expression> ListLiteral(TokenList<SqlToken> input)
    {
        Peek(input, out var bracket);
        var elements = Bracketed(input);
        return elements.HasValue
            ? Ok<Expression>(new ArrayConstructor(elements.Value, Pos(bracket)), input, elements.Remainder)
            : Fail<NodeList<Expression>, Expression>(elements);
    }

    /// <summary>MAP[k1, v1, k2, v2, ...].</summary>
    private static TokenListParserResult<SqlToken, Expression> MapForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var elements = Bracketed(Skip(input));
        if (!elements.HasValue)
            return Fail<NodeList<Expression>, Expression>(elements);
        var all = elements.Value;
        if (all.Count % 2 != 0)
            throw SyntaxErrors.At(word, "MAP[...] needs key, value pairs: the number of elements must be even");
        var keys = new Expression[all.Count / 2];
        var values = new Expression[all.Count / 2];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = all[2 * i];
            values[i] = all[(2 * i) + 1];
        }
        return Ok<Expression>(new MapConstructor(NodeList.Wrap(keys), NodeList.Wrap(values), Pos(word)), input, elements.Remainder);
    }

    /// <summary>[e, e, ...], or [] (no elements).</summary>
    private static TokenListParserResult<SqlToken, NodeList<Expression>> Bracketed(TokenList<SqlToken> input)
    {
        if (NextIs(Skip(input), SqlToken.RightBracket))
            return Ok(NodeList.Wrap(Array.Empty<Expression>()), input, Skip(input, 2));
        var list = CommaList(ExpressionParser)(Skip(input));
        if (!list.HasValue)
            return list;
        var close = NextIs(list.Remainder, SqlToken.RightBracket)
            ? Ok(true, list.Remainder, Skip(list.Remainder))
            : Expected<bool>(list.Remainder, "','", "']'");
        return close.HasValue ? Ok(list.Value, input, close.Remainder) : Fail<bool, NodeList<Expression>>(close);
    }

    /// <summary>DATE 'yyyy-mm-dd', TIME '...', TIMESTAMP '...'.</summary>
    private static TokenListParserResult<SqlToken, Expression> DateTimeForm(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        PeekAt(input, 1, out var text);
        var kind = IsWord(word, "DATE") ? DateTimeLiteralKind.Date
            : IsWord(word, "TIME") ? DateTimeLiteralKind.Time
            : DateTimeLiteralKind.Timestamp;
        return Ok<Expression>(new DateTimeLiteral(kind, Literals.UnquoteString(text), Pos(word)), input, Skip(input, 2));
    }

    /// <summary>The expression parser as a delegate, for list helpers.</summary>
    internal static readonly TokenListParser<SqlToken, Expression> ExpressionParser = Expression;
}
