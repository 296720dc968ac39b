using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>
/// Hints, /*+ NAME(args), NAME('k' = 'v', ...), NAME */, accepted right after SELECT and right after a table name
/// (the two places Flink reads them). The tokenizer turns '/*+' and its '*/' into tokens; anywhere else they are
/// a syntax error, as in Flink.
/// </summary>
internal static class HintGrammar
{
    public static TokenListParserResult<SqlToken, NodeList<Hint>> Hints(TokenList<SqlToken> input)
    {
        var start = Symbol(SqlToken.HintStart)(input);
        if (!start.HasValue)
            return Fail<Token<SqlToken>, NodeList<Hint>>(start);
        var hints = CommaList(HintParser)(start.Remainder);
        if (!hints.HasValue)
            return hints;
        var end = NextIs(hints.Remainder, SqlToken.HintEnd)
            ? Ok(true, hints.Remainder, Skip(hints.Remainder))
            : Expected<bool>(hints.Remainder, "','", "'*/'");
        return end.HasValue ? Ok(hints.Value, input, end.Remainder) : Fail<bool, NodeList<Hint>>(end);
    }

    private static readonly TokenListParser<SqlToken, Hint> HintParser = Hint;

    /// <summary>NAME, NAME(a, b, ...) or NAME(k = v, ...).</summary>
    private static TokenListParserResult<SqlToken, Hint> Hint(TokenList<SqlToken> input)
    {
        if (!Peek(input, out var name) || name.Kind is not (SqlToken.Identifier or SqlToken.Keyword))
            return Expected<Hint>(input, "hint name");
        var rest = Skip(input);
        var position = Pos(name);
        if (!NextIs(rest, SqlToken.LeftParen))
            return Ok(new Hint(name.ToStringValue(), [], [], position), input, rest);
        if (PeekAt(rest, 1, out var afterParen) && afterParen.Kind == SqlToken.RightParen)
            return Ok(new Hint(name.ToStringValue(), [], [], position), input, Skip(rest, 2));
        if (PeekAt(rest, 2, out var afterKey) && afterKey.Kind == SqlToken.Equal)
        {
            var options = Parenthesized(OptionParser)(rest);
            return options.HasValue
                ? Ok(new Hint(name.ToStringValue(), [], options.Value, position), input, options.Remainder)
                : Fail<NodeList<Property>, Hint>(options);
        }
        var arguments = Parenthesized(ArgumentParser)(rest);
        return arguments.HasValue
            ? Ok(new Hint(name.ToStringValue(), arguments.Value, [], position), input, arguments.Remainder)
            : Fail<NodeList<string>, Hint>(arguments);
    }

    private static readonly TokenListParser<SqlToken, Property> OptionParser = input =>
    {
        if (!Peek(input, out var key))
            return Expected<Property>(input, "option key");
        string keyText;
        if (key.Kind == SqlToken.String)
            keyText = Literals.UnquoteString(key);
        else if (key.Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier)
            keyText = Name(input).Value.Value;
        else
            return Expected<Property>(input, "option key");
        var equal = EqualSign(Skip(input));
        if (!equal.HasValue)
            return Fail<Token<SqlToken>, Property>(equal);
        var value = OptionGrammar.Value(equal.Remainder);
        return value.HasValue
            ? Ok(new Property(keyText, value.Value, Pos(key)), input, value.Remainder)
            : Fail<string, Property>(value);
    };

    /// <summary>A plain hint argument: a (dotted) name, a string or a number, as text.</summary>
    private static readonly TokenListParser<SqlToken, string> ArgumentParser = input =>
    {
        if (Peek(input, out var t))
        {
            switch (t.Kind)
            {
                case SqlToken.String:
                    return Ok(Literals.UnquoteString(t), input, Skip(input));
                case SqlToken.Integer:
                case SqlToken.Decimal:
                    return Ok(t.ToStringValue(), input, Skip(input));
                case SqlToken.Identifier:
                case SqlToken.QuotedIdentifier:
                    var name = DottedName(input);
                    if (!name.HasValue)
                        return Fail<QualifiedName, string>(name);
                    var parts = new string[name.Value.Parts.Count];
                    for (var i = 0; i < parts.Length; i++)
                        parts[i] = name.Value.Parts[i].Value;
                    return Ok(string.Join('.', parts), input, name.Remainder);
            }
        }
        return Expected<string>(input, "hint argument");
    };
}

/// <summary>'key' = 'value' lists of WITH (...), ALTER TABLE ... SET (...) and SET 'key' = 'value'.</summary>
internal static class OptionGrammar
{
    /// <summary>An option value as text: a string, or for convenience a number or TRUE / FALSE.</summary>
    public static TokenListParserResult<SqlToken, string> Value(TokenList<SqlToken> input)
    {
        if (Peek(input, out var t))
        {
            switch (t.Kind)
            {
                case SqlToken.String:
                    return Ok(Literals.UnquoteString(t), input, Skip(input));
                case SqlToken.Integer:
                case SqlToken.Decimal:
                case SqlToken.Approximate:
                    return Ok(t.ToStringValue(), input, Skip(input));
                case SqlToken.Minus when PeekAt(input, 1, out var number) && number.Kind is SqlToken.Integer or SqlToken.Decimal or SqlToken.Approximate:
                    return Ok("-" + number.ToStringValue(), input, Skip(input, 2));
                case SqlToken.Keyword when IsWord(t, "TRUE") || IsWord(t, "FALSE"):
                    return Ok(t.ToStringValue().ToLowerInvariant(), input, Skip(input));
            }
        }
        return Expected<string>(input, "string literal");
    }

    /// <summary>'key' = value.</summary>
    public static TokenListParserResult<SqlToken, Property> Property(TokenList<SqlToken> input)
    {
        Peek(input, out var keyToken);
        var key = StringValue(input);
        if (!key.HasValue)
            return Fail<string, Property>(key);
        var equal = EqualSign(key.Remainder);
        if (!equal.HasValue)
            return Fail<Token<SqlToken>, Property>(equal);
        var value = Value(equal.Remainder);
        return value.HasValue
            ? Ok(new Property(key.Value, value.Value, Pos(keyToken)), input, value.Remainder)
            : Fail<string, Property>(value);
    }

    private static readonly TokenListParser<SqlToken, Property> PropertyParser = Property;

    /// <summary>('k' = 'v', ...), at least one entry.</summary>
    public static readonly TokenListParser<SqlToken, NodeList<Property>> PropertyList = Parenthesized(PropertyParser);

    /// <summary>WITH ('k' = 'v', ...).</summary>
    public static TokenListParserResult<SqlToken, NodeList<Property>> With(TokenList<SqlToken> input)
    {
        var with = Keyword("WITH")(input);
        if (!with.HasValue)
            return Fail<Token<SqlToken>, NodeList<Property>>(with);
        var list = PropertyList(with.Remainder);
        return list.HasValue ? Ok(list.Value, input, list.Remainder) : list;
    }
}
