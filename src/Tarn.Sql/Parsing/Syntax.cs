using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;

namespace Tarn.Sql.Parsing;

/// <summary>
/// Token-level building blocks shared by the grammar classes. Keywords are matched by text, case-insensitively,
/// on both reserved (<see cref="SqlToken.Keyword"/>) and ordinary word tokens, so a keyword like TABLES needs no
/// reservation. Failures that consume nothing report an expectation ("FROM", "')'", "identifier") so that
/// alternatives merge into messages like "expected ',' or ')'".
/// </summary>
internal static class Syntax
{
    public static SourcePosition Pos(Token<SqlToken> token) => new(token.Position.Line, token.Position.Column);

    public static TokenListParserResult<SqlToken, T> Ok<T>(T value, TokenList<SqlToken> from, TokenList<SqlToken> rest) =>
        TokenListParserResult.Value(value, from, rest);

    public static TokenListParserResult<SqlToken, T> Expected<T>(TokenList<SqlToken> at, params string[] expectations) =>
        TokenListParserResult.Empty<SqlToken, T>(at, expectations);

    public static TokenListParserResult<SqlToken, TTo> Fail<TFrom, TTo>(TokenListParserResult<SqlToken, TFrom> failure) =>
        TokenListParserResult.CastEmpty<SqlToken, TFrom, TTo>(failure);

    /// <summary>True if a failed result consumed input, i.e. it is an error to report rather than an alternative not taken.</summary>
    public static bool IsPartial<T>(TokenListParserResult<SqlToken, T> failure, TokenList<SqlToken> from) => failure.Remainder != from;

    /// <summary>The next token, or false at the end of input.</summary>
    public static bool Peek(TokenList<SqlToken> input, out Token<SqlToken> token)
    {
        var next = input.ConsumeToken();
        token = next.HasValue ? next.Value : default;
        return next.HasValue;
    }

    /// <summary>The token <paramref name="offset"/> positions ahead (0 is the next one).</summary>
    public static bool PeekAt(TokenList<SqlToken> input, int offset, out Token<SqlToken> token)
    {
        var rest = input;
        for (var i = 0; i < offset; i++)
        {
            var next = rest.ConsumeToken();
            if (!next.HasValue)
            {
                token = default;
                return false;
            }
            rest = next.Remainder;
        }
        return Peek(rest, out token);
    }

    public static TokenList<SqlToken> Skip(TokenList<SqlToken> input, int count = 1)
    {
        for (var i = 0; i < count; i++)
            input = input.ConsumeToken().Remainder;
        return input;
    }

    public static bool IsWord(Token<SqlToken> token, string word) =>
        token.Kind is SqlToken.Identifier or SqlToken.Keyword && token.HasValue && token.Span.EqualsValueIgnoreCase(word);

    public static bool NextIsWord(TokenList<SqlToken> input, string word) => Peek(input, out var t) && IsWord(t, word);

    public static bool NextIs(TokenList<SqlToken> input, SqlToken kind) => Peek(input, out var t) && t.Kind == kind;

    public static bool NextAre(TokenList<SqlToken> input, string word, SqlToken kind) =>
        NextIsWord(input, word) && PeekAt(input, 1, out var t) && t.Kind == kind;

    public static bool NextAreWords(TokenList<SqlToken> input, string first, string second) =>
        NextIsWord(input, first) && PeekAt(input, 1, out var t) && IsWord(t, second);

    /// <summary>True at the end of the input or at the ';' that ends the current statement.</summary>
    public static bool AtStatementEnd(TokenList<SqlToken> input) => !Peek(input, out var t) || t.Kind == SqlToken.Semicolon;

    /// <summary>
    /// True if the parentheses at the input open a query: after any number of '(' comes SELECT, WITH or VALUES.
    /// The scan stops after the nesting limit (deeper input fails anyway), so nested calls stay linear.
    /// </summary>
    public static bool ParenthesesOpenQuery(TokenList<SqlToken> input)
    {
        for (var i = 0; i <= ParseSession.MaxNestingDepth && NextIs(input, SqlToken.LeftParen); i++)
            input = Skip(input);
        return Peek(input, out var t) && StartsQuery(t);
    }

    /// <summary>True if the tokens start a query: SELECT, WITH, VALUES or DuckDB's FROM-first FROM.</summary>
    public static bool StartsQuery(Token<SqlToken> token) =>
        IsWord(token, "SELECT") || IsWord(token, "WITH") || IsWord(token, "VALUES") || IsWord(token, "FROM");

    public static TokenListParser<SqlToken, Token<SqlToken>> Keyword(string word)
    {
        string[] expectation = [word];
        return input =>
        {
            var next = input.ConsumeToken();
            return next.HasValue && IsWord(next.Value, word) ? next : Expected<Token<SqlToken>>(input, expectation);
        };
    }

    /// <summary>A sequence of keywords such as GROUP BY; returns the first token.</summary>
    public static TokenListParser<SqlToken, Token<SqlToken>> Keywords(params string[] words)
    {
        var parsers = Array.ConvertAll(words, Keyword);
        return input =>
        {
            var first = parsers[0](input);
            if (!first.HasValue)
                return first;
            var rest = first.Remainder;
            for (var i = 1; i < parsers.Length; i++)
            {
                var next = parsers[i](rest);
                if (!next.HasValue)
                    return next;
                rest = next.Remainder;
            }
            return Ok(first.Value, input, rest);
        };
    }

    /// <summary>An optional keyword sequence as a flag.</summary>
    public static TokenListParser<SqlToken, bool> Flag(params string[] words) =>
        Keywords(words).Value(true).OptionalOrDefault(false);

    public static TokenListParser<SqlToken, Token<SqlToken>> Symbol(SqlToken kind)
    {
        string[] expectation = [Describe(kind)];
        return input =>
        {
            var next = input.ConsumeToken();
            return next.HasValue && next.Value.Kind == kind ? next : Expected<Token<SqlToken>>(input, expectation);
        };
    }

    public static readonly TokenListParser<SqlToken, Token<SqlToken>> LeftParen = Symbol(SqlToken.LeftParen);
    public static readonly TokenListParser<SqlToken, Token<SqlToken>> RightParen = Symbol(SqlToken.RightParen);
    public static readonly TokenListParser<SqlToken, Token<SqlToken>> Comma = Symbol(SqlToken.Comma);
    public static readonly TokenListParser<SqlToken, Token<SqlToken>> EqualSign = Symbol(SqlToken.Equal);

    /// <summary>A name: an unquoted non-reserved word or a quoted identifier.</summary>
    public static readonly TokenListParser<SqlToken, Identifier> Name = input =>
    {
        var next = input.ConsumeToken();
        if (next.HasValue)
        {
            var token = next.Value;
            if (token.Kind == SqlToken.Identifier)
                return Ok(new Identifier(token.ToStringValue(), false, Pos(token)), input, next.Remainder);
            if (token.Kind == SqlToken.QuotedIdentifier)
                return Ok(new Identifier(Literals.UnquoteIdentifier(token), true, Pos(token)), input, next.Remainder);
        }
        return Expected<Identifier>(input, "identifier");
    };

    /// <summary>a.b.c</summary>
    public static readonly TokenListParser<SqlToken, QualifiedName> DottedName = input =>
    {
        var first = Name(input);
        if (!first.HasValue)
            return Fail<Identifier, QualifiedName>(first);
        var parts = new List<Identifier> { first.Value };
        var rest = first.Remainder;
        while (NextIs(rest, SqlToken.Dot))
        {
            var part = Name(Skip(rest));
            if (!part.HasValue)
                return Fail<Identifier, QualifiedName>(part);
            parts.Add(part.Value);
            rest = part.Remainder;
        }
        return Ok(new QualifiedName(NodeList.Wrap(parts.ToArray()), first.Value.Position), input, rest);
    };

    /// <summary>A string literal's value.</summary>
    public static readonly TokenListParser<SqlToken, string> StringValue = input =>
    {
        var next = input.ConsumeToken();
        return next.HasValue && next.Value.Kind == SqlToken.String
            ? Ok(Literals.UnquoteString(next.Value), input, next.Remainder)
            : Expected<string>(input, "string literal");
    };

    /// <summary>A non-negative integer that fits an int, such as a type length or precision.</summary>
    public static readonly TokenListParser<SqlToken, int> SmallInteger = input =>
    {
        var next = input.ConsumeToken();
        if (!next.HasValue || next.Value.Kind != SqlToken.Integer)
            return Expected<int>(input, "integer");
        if (!int.TryParse(next.Value.Span.AsReadOnlySpan(), out var value))
            throw SyntaxErrors.At(next.Value, $"integer {next.Value.ToStringValue()} is too large here");
        return Ok(value, input, next.Remainder);
    };

    /// <summary>COMMENT 'text'.</summary>
    public static readonly TokenListParser<SqlToken, string> Comment = Keyword("COMMENT").IgnoreThen(StringValue);

    /// <summary>item, item, ... (at least one).</summary>
    public static TokenListParser<SqlToken, NodeList<T>> CommaList<T>(TokenListParser<SqlToken, T> item) => input =>
    {
        var first = item(input);
        if (!first.HasValue)
            return Fail<T, NodeList<T>>(first);
        var items = new List<T> { first.Value };
        var rest = first.Remainder;
        while (NextIs(rest, SqlToken.Comma))
        {
            var next = item(Skip(rest));
            if (!next.HasValue)
                return Fail<T, NodeList<T>>(next);
            items.Add(next.Value);
            rest = next.Remainder;
        }
        return Ok(NodeList.Wrap(items.ToArray()), input, rest);
    };

    /// <summary>( item, item, ... ); an error after an item expects "',' or ')'".</summary>
    public static TokenListParser<SqlToken, NodeList<T>> Parenthesized<T>(TokenListParser<SqlToken, T> item, bool allowEmpty = false) => input =>
    {
        var open = LeftParen(input);
        if (!open.HasValue)
            return Fail<Token<SqlToken>, NodeList<T>>(open);
        var rest = open.Remainder;
        if (allowEmpty && NextIs(rest, SqlToken.RightParen))
            return Ok(NodeList<T>.Empty, input, Skip(rest));
        var items = new List<T>();
        while (true)
        {
            var next = item(rest);
            if (!next.HasValue)
                return Fail<T, NodeList<T>>(next);
            items.Add(next.Value);
            rest = next.Remainder;
            if (NextIs(rest, SqlToken.Comma))
            {
                rest = Skip(rest);
                continue;
            }
            if (NextIs(rest, SqlToken.RightParen))
                return Ok(NodeList.Wrap(items.ToArray()), input, Skip(rest));
            return Expected<NodeList<T>>(rest, "','", "')'");
        }
    };

    /// <summary>Parses <paramref name="parser"/> only if <paramref name="condition"/> holds for the input; otherwise fails without consuming.</summary>
    public static TokenListParser<SqlToken, T> When<T>(Func<TokenList<SqlToken>, bool> condition, TokenListParser<SqlToken, T> parser, string expectation)
    {
        string[] expectations = [expectation];
        return input => condition(input) ? parser(input) : Expected<T>(input, expectations);
    }

    /// <summary>
    /// Like <paramref name="parser"/>.Optional() for reference types: absent gives null, but a partial match is an error.
    /// </summary>
    public static TokenListParser<SqlToken, T?> OptionalNode<T>(this TokenListParser<SqlToken, T> parser) where T : class =>
        parser.Select(static value => (T?)value).OptionalOrDefault(null);

    /// <summary>Fails at the current token unless the input is exhausted.</summary>
    public static TokenListParserResult<SqlToken, T> AtEnd<T>(TokenListParserResult<SqlToken, T> result, string expectation)
    {
        if (!result.HasValue || result.Remainder.IsAtEnd)
            return result;
        return Expected<T>(result.Remainder, expectation);
    }

    public static string Describe(SqlToken kind) => kind switch
    {
        SqlToken.LeftParen => "'('",
        SqlToken.RightParen => "')'",
        SqlToken.LeftBracket => "'['",
        SqlToken.RightBracket => "']'",
        SqlToken.Comma => "','",
        SqlToken.Dot => "'.'",
        SqlToken.Semicolon => "';'",
        SqlToken.Plus => "'+'",
        SqlToken.Minus => "'-'",
        SqlToken.Star => "'*'",
        SqlToken.Slash => "'/'",
        SqlToken.Percent => "'%'",
        SqlToken.Concat => "'||'",
        SqlToken.Equal => "'='",
        SqlToken.NotEqual => "'<>'",
        SqlToken.Less => "'<'",
        SqlToken.LessOrEqual => "'<='",
        SqlToken.Greater => "'>'",
        SqlToken.GreaterOrEqual => "'>='",
        SqlToken.DoubleColon => "'::'",
        SqlToken.Arrow => "'=>'",
        SqlToken.HintStart => "'/*+'",
        SqlToken.HintEnd => "'*/'",
        SqlToken.String => "string literal",
        SqlToken.BinaryString => "binary literal",
        SqlToken.Integer => "integer",
        SqlToken.Decimal or SqlToken.Approximate => "number",
        SqlToken.Parameter => "parameter",
        SqlToken.QuotedIdentifier or SqlToken.Identifier => "identifier",
        _ => "keyword",
    };
}
