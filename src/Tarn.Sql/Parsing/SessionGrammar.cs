using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>SET, RESET and STOP JOB.</summary>
internal static class SessionGrammar
{
    /// <summary>SET, or SET key = value where key is a string (or a dotted name) and value a string, number, boolean or word.</summary>
    public static TokenListParserResult<SqlToken, Statement> Set(TokenList<SqlToken> input)
    {
        Peek(input, out var set);
        var rest = Skip(input);
        if (AtStatementEnd(rest))
            return Ok<Statement>(new SetStatement(null, null, Pos(set)), input, rest);
        var key = Key(rest);
        if (!key.HasValue)
            return Fail<string, Statement>(key);
        var equal = EqualSign(key.Remainder);
        if (!equal.HasValue)
            return Fail<Token<SqlToken>, Statement>(equal);
        var value = Peek(equal.Remainder, out var word) && word.Kind == SqlToken.Identifier
            ? Ok(word.ToStringValue(), equal.Remainder, Skip(equal.Remainder))
            : OptionGrammar.Value(equal.Remainder);
        return value.HasValue
            ? Ok<Statement>(new SetStatement(key.Value, value.Value, Pos(set)), input, value.Remainder)
            : Fail<string, Statement>(value);
    }

    /// <summary>RESET, or RESET key.</summary>
    public static TokenListParserResult<SqlToken, Statement> Reset(TokenList<SqlToken> input)
    {
        Peek(input, out var reset);
        var rest = Skip(input);
        if (AtStatementEnd(rest))
            return Ok<Statement>(new ResetStatement(null, Pos(reset)), input, rest);
        var key = Key(rest);
        return key.HasValue
            ? Ok<Statement>(new ResetStatement(key.Value, Pos(reset)), input, key.Remainder)
            : Fail<string, Statement>(key);
    }

    private static TokenListParserResult<SqlToken, string> Key(TokenList<SqlToken> input)
    {
        if (NextIs(input, SqlToken.String))
            return StringValue(input);
        var name = DottedName(input);
        if (!name.HasValue)
            return IsPartial(name, input) ? Fail<QualifiedName, string>(name) : Expected<string>(input, "string literal");
        var parts = new string[name.Value.Parts.Count];
        for (var i = 0; i < parts.Length; i++)
            parts[i] = name.Value.Parts[i].Value;
        return Ok(string.Join('.', parts), input, name.Remainder);
    }

    /// <summary>STOP JOB 'id' [WITH SAVEPOINT] [WITH DRAIN].</summary>
    public static TokenListParserResult<SqlToken, Statement> StopJob(TokenList<SqlToken> input)
    {
        Peek(input, out var stop);
        var job = Keyword("JOB")(Skip(input));
        if (!job.HasValue)
            return Fail<Token<SqlToken>, Statement>(job);
        var id = StringValue(job.Remainder);
        if (!id.HasValue)
            return Fail<string, Statement>(id);
        var rest = id.Remainder;
        var savepoint = NextAreWords(rest, "WITH", "SAVEPOINT");
        if (savepoint)
            rest = Skip(rest, 2);
        var drain = NextAreWords(rest, "WITH", "DRAIN");
        if (drain)
            rest = Skip(rest, 2);
        if (NextIsWord(rest, "WITH"))
            return Expected<Statement>(Skip(rest), savepoint ? ["DRAIN"] : ["SAVEPOINT", "DRAIN"]);
        return Ok<Statement>(new StopJobStatement(id.Value, savepoint, drain, Pos(stop)), input, rest);
    }
}
