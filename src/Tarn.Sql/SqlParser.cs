using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using Tarn.Sql.Parsing;
using Tarn.Types;

namespace Tarn.Sql;

/// <summary>
/// The Flink SQL parser. Every syntax problem, lexical or grammatical, is reported as
/// <see cref="TarnException"/> with SQLSTATE 42601 and a message such as
/// "syntax error at line 3, column 14: unexpected 'FROM', expected expression"; there are no partial results.
/// Thread-safe; parsing is linear in the length of the text.
/// </summary>
public static class SqlParser
{
    /// <summary>Statements separated by ';'. Empty statements are skipped; positions are relative to the whole script.</summary>
    public static IReadOnlyList<Statement> ParseScript(string sql)
    {
        var tokens = SqlTokenizer.TokenizeOrThrow(sql);
        var statements = new List<Statement>();
        var at = new TokenList<SqlToken>(tokens);
        foreach (var (start, count) in ScriptSplitter.Split(tokens, out _))
        {
            at = Syntax.Skip(at, start - at.Position);
            statements.Add(ParseStatement(tokens, at, start + count));
        }
        return statements;
    }

    /// <summary>Exactly one statement; trailing ';' are allowed.</summary>
    public static Statement ParseStatement(string sql)
    {
        var tokens = SqlTokenizer.TokenizeOrThrow(sql);
        var end = tokens.Length;
        while (end > 0 && tokens[end - 1].Kind == SqlToken.Semicolon)
            end--;
        return ParseStatement(tokens, new TokenList<SqlToken>(tokens), end);
    }

    public static Expression ParseExpression(string sql) =>
        ParseWhole(SqlTokenizer.TokenizeOrThrow(sql), ExpressionGrammar.ExpressionParser, "end of expression");

    /// <summary>A type name such as "DECIMAL(10, 2) NOT NULL" or "TIMESTAMP(3) WITH LOCAL TIME ZONE".</summary>
    public static DataType ParseDataType(string sql) =>
        ParseWhole(SqlTokenizer.TokenizeOrThrow(sql), TypeGrammar.Type, "end of data type");

    /// <summary>Parses the statement starting at <paramref name="at"/>, which must end exactly at token index <paramref name="end"/>.</summary>
    private static Statement ParseStatement(Token<SqlToken>[] tokens, TokenList<SqlToken> at, int end) =>
        ParseSession.WithEnoughStack(() => ParseStatementHere(tokens, at, end));

    private static Statement ParseStatementHere(Token<SqlToken>[] tokens, TokenList<SqlToken> at, int end)
    {
        using var session = ParseSession.Begin(tokens, at.Position, end);
        var result = StatementGrammar.Statement(at);
        if (result.HasValue && result.Remainder.Position != end)
        {
            var stop = result.Remainder.Position < end ? result.Remainder : Syntax.Skip(at, end - at.Position);
            result = Syntax.Expected<Statement>(stop, "end of statement");
        }
        if (!result.HasValue)
            throw SyntaxErrors.From(result, tokens.Length > 0 ? tokens[^1] : null);
        return result.Value;
    }

    private static T ParseWhole<T>(Token<SqlToken>[] tokens, TokenListParser<SqlToken, T> parser, string endExpectation) =>
        ParseSession.WithEnoughStack(() => ParseWholeHere(tokens, parser, endExpectation));

    private static T ParseWholeHere<T>(Token<SqlToken>[] tokens, TokenListParser<SqlToken, T> parser, string endExpectation)
    {
        using var session = ParseSession.Begin(tokens, 0, tokens.Length);
        var result = Syntax.AtEnd(parser(new TokenList<SqlToken>(tokens)), endExpectation);
        if (!result.HasValue)
            throw SyntaxErrors.From(result, tokens.Length > 0 ? tokens[^1] : null);
        return result.Value;
    }
}
