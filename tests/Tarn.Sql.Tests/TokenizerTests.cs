using Tarn.Sql.Lexing;

namespace Tarn.Sql.Tests;

public class TokenizerTests
{
    private static (SqlToken Kind, string Text)[] Lex(string sql) =>
        SqlTokenizer.TokenizeOrThrow(sql).Select(t => (t.Kind, t.ToStringValue())).ToArray();

    private static SqlToken[] Kinds(string sql) => SqlTokenizer.TokenizeOrThrow(sql).Select(t => t.Kind).ToArray();

    [Fact]
    public void Reserved_words_are_keywords_in_any_case_and_other_words_identifiers()
    {
        Assert.Equal(
            [(SqlToken.Keyword, "select"), (SqlToken.Identifier, "status"), (SqlToken.Keyword, "FrOm"), (SqlToken.Identifier, "Orders"), (SqlToken.Identifier, "date")],
            Lex("select status FrOm Orders date"));
    }

    [Fact]
    public void Comments_are_skipped_and_hints_are_tokens()
    {
        Assert.Equal(
            [SqlToken.Keyword, SqlToken.HintStart, SqlToken.Identifier, SqlToken.HintEnd, SqlToken.Identifier],
            Kinds("select -- line comment\n /* block\n comment */ /*+ hint */ x"));
        Assert.Equal([SqlToken.Star, SqlToken.Slash], Kinds("*/"));
        Assert.Equal([SqlToken.Identifier, SqlToken.Slash, SqlToken.Identifier], Kinds("a / /**/ b"));
    }

    [Fact]
    public void Numbers_of_each_kind()
    {
        Assert.Equal(
            [(SqlToken.Integer, "42"), (SqlToken.Decimal, "1.5"), (SqlToken.Decimal, ".5"), (SqlToken.Decimal, "1."),
             (SqlToken.Approximate, "1e3"), (SqlToken.Approximate, "1.5E-2"), (SqlToken.Approximate, "2E+10")],
            Lex("42 1.5 .5 1. 1e3 1.5E-2 2E+10"));
    }

    [Theory]
    [InlineData("select 1e", 1, 8, "exponent")]
    [InlineData("select 123abc", 1, 8, "invalid number")]
    [InlineData("select 'abc", 1, 8, "unterminated string literal")]
    [InlineData("select\n  `abc", 2, 3, "unterminated quoted identifier")]
    [InlineData("select \"\"", 1, 8, "empty quoted identifier")]
    [InlineData("select /* never closed", 1, 8, "unterminated comment")]
    [InlineData("select /*+ hint", 1, 8, "unterminated hint")]
    [InlineData("select a # b", 1, 10, "unexpected character '#'")]
    [InlineData("select x'0g'", 1, 8, "hexadecimal")]
    [InlineData("select x'abc'", 1, 8, "odd number")]
    [InlineData("select a | b", 1, 10, "'||'")]
    [InlineData("select $x", 1, 8, "'$'")]
    public void Lexical_errors_are_syntax_errors_with_positions(string sql, int line, int column, string fragment) =>
        Sql.SyntaxError(() => SqlParser.ParseStatement(sql), line, column, fragment);

    [Fact]
    public void Quoted_text_keeps_semicolons_and_escapes()
    {
        var tokens = SqlTokenizer.TokenizeOrThrow("'it''s; fine' `a``b;` \"c\"\"d\"");
        Assert.Equal([SqlToken.String, SqlToken.QuotedIdentifier, SqlToken.QuotedIdentifier], tokens.Select(t => t.Kind));
        Assert.Equal("it's; fine", Parsing.Literals.UnquoteString(tokens[0]));
        Assert.Equal("a`b;", Parsing.Literals.UnquoteIdentifier(tokens[1]));
        Assert.Equal("c\"d", Parsing.Literals.UnquoteIdentifier(tokens[2]));
    }

    [Fact]
    public void Operators_and_parameters()
    {
        Assert.Equal(
            [SqlToken.NotEqual, SqlToken.NotEqual, SqlToken.LessOrEqual, SqlToken.GreaterOrEqual, SqlToken.Less, SqlToken.Greater,
             SqlToken.Equal, SqlToken.Concat, SqlToken.Arrow, SqlToken.DoubleColon, SqlToken.Percent,
             SqlToken.Parameter, SqlToken.Parameter, SqlToken.Parameter, SqlToken.Parameter],
            Kinds("<> != <= >= < > = || => :: % ? $12 :name @other"));
        Assert.Equal([SqlToken.Identifier, SqlToken.DoubleColon, SqlToken.Identifier], Kinds("a::int"));
    }

    [Fact]
    public void Positions_count_lines_and_columns_from_one()
    {
        var tokens = SqlTokenizer.TokenizeOrThrow("select\n  a,\r\n\tb");
        Assert.Equal((1, 1), (tokens[0].Position.Line, tokens[0].Position.Column));
        Assert.Equal((2, 3), (tokens[1].Position.Line, tokens[1].Position.Column));
        Assert.Equal((3, 2), (tokens[3].Position.Line, tokens[3].Position.Column));
    }

    [Fact]
    public void Superpower_tokenize_entry_point_agrees()
    {
        var sql = "select a,\n 'x' from t -- c";
        var viaSuperpower = SqlTokenizer.Instance.Tokenize(sql).Select(t => (t.Kind, t.ToStringValue(), t.Position.Line, t.Position.Column));
        var direct = SqlTokenizer.TokenizeOrThrow(sql).Select(t => (t.Kind, t.ToStringValue(), t.Position.Line, t.Position.Column));
        Assert.Equal(direct, viaSuperpower);
        Assert.False(SqlTokenizer.Instance.TryTokenize("select 'x").HasValue);
    }
}
