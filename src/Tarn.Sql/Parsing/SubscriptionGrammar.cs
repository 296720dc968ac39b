using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>RisingWave's durable subscriptions: CREATE SUBSCRIPTION ... FROM ... WITH (...), DROP SUBSCRIPTION, SHOW SUBSCRIPTIONS.</summary>
internal static class SubscriptionGrammar
{
    /// <summary>Whether the statement at <paramref name="input"/> is one of this grammar's.</summary>
    public static bool Matches(TokenList<SqlToken> input)
    {
        if (!Peek(input, out var first)) return false;
        var second = Skip(input);
        if (IsWord(first, "CREATE") || IsWord(first, "DROP")) return NextIsWord(second, "SUBSCRIPTION");
        return IsWord(first, "SHOW") && NextIsWord(second, "SUBSCRIPTIONS");
    }

    public static TokenListParserResult<SqlToken, Statement> Parse(TokenList<SqlToken> input)
    {
        Peek(input, out var first);
        var position = Pos(first);
        var rest = Skip(input, 2);
        if (IsWord(first, "SHOW")) return Ok<Statement>(new ShowSubscriptionsStatement(position), input, rest);
        if (IsWord(first, "DROP"))
        {
            var ifExists = NextAreWords(rest, "IF", "EXISTS");
            if (ifExists) rest = Skip(rest, 2);
            var dropped = DottedName(rest);
            return dropped.HasValue
                ? Ok<Statement>(new DropSubscriptionStatement(dropped.Value, ifExists, position), input, dropped.Remainder)
                : Fail<QualifiedName, Statement>(dropped);
        }
        var ifNotExists = false;
        if (NextAreWords(rest, "IF", "NOT"))
        {
            var words = Keywords("IF", "NOT", "EXISTS")(rest);
            if (!words.HasValue) return Fail<Token<SqlToken>, Statement>(words);
            ifNotExists = true;
            rest = words.Remainder;
        }
        var name = DottedName(rest);
        if (!name.HasValue) return Fail<QualifiedName, Statement>(name);
        var from = Keyword("FROM")(name.Remainder);
        if (!from.HasValue) return Fail<Token<SqlToken>, Statement>(from);
        var table = DottedName(from.Remainder);
        if (!table.HasValue) return Fail<QualifiedName, Statement>(table);
        rest = table.Remainder;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (NextIsWord(rest, "WITH"))
        {
            var list = Parenthesized(Option)(Skip(rest));
            if (!list.HasValue) return Fail<NodeList<(string, string)>, Statement>(list);
            foreach (var (key, value) in list.Value) options[key] = value;
            rest = list.Remainder;
        }
        return Ok<Statement>(new CreateSubscriptionStatement(name.Value, table.Value, options, ifNotExists, position), input, rest);
    }

    /// <summary>key = 'value' (the key a plain or quoted name, or a string; folded to lower case).</summary>
    private static readonly TokenListParser<SqlToken, (string, string)> Option = input =>
    {
        string key;
        TokenList<SqlToken> rest;
        var quoted = StringValue(input);
        if (quoted.HasValue)
        {
            key = quoted.Value;
            rest = quoted.Remainder;
        }
        else
        {
            var name = Name(input);
            if (!name.HasValue) return Fail<Identifier, (string, string)>(name);
            key = name.Value.Value;
            rest = name.Remainder;
        }
        var eq = EqualSign(rest);
        if (!eq.HasValue) return Fail<Token<SqlToken>, (string, string)>(eq);
        var value = StringValue(eq.Remainder);
        return value.HasValue ? Ok((key.ToLowerInvariant(), value.Value), input, value.Remainder) : Fail<string, (string, string)>(value);
    };
}
