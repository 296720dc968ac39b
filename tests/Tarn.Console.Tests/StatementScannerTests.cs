using Tarn.Console.Interactive;

namespace Tarn.Console.Tests;

public class StatementScannerTests
{
    [Theory]
    [InlineData("SELECT 1;", true)]
    [InlineData("SELECT 1;  \n ", true)]
    [InlineData("SELECT 1", false)]
    [InlineData("SELECT 1; SELECT 2", false)]
    [InlineData("SELECT ';'", false)]
    [InlineData("SELECT 'it''s;'", false)]
    [InlineData("SELECT 'it''s';", true)]
    [InlineData("SELECT \"a;b\"", false)]
    [InlineData("SELECT `a;b`", false)]
    [InlineData("SELECT 1 -- done;", false)]
    [InlineData("SELECT 1; -- trailing comment", true)]
    [InlineData("SELECT 1 /* ; */", false)]
    [InlineData("SELECT 1; /* note */", true)]
    [InlineData("SELECT 1 /* unterminated ;", false)]
    public void Ends_statement_only_on_a_semicolon_outside_strings_and_comments(string text, bool expected) =>
        Assert.Equal(expected, StatementScanner.EndsStatement(text));

    [Theory]
    [InlineData("", true)]
    [InlineData("  \n\t", true)]
    [InlineData("-- just a comment", true)]
    [InlineData("/* x */ -- y", true)]
    [InlineData("/* x */ SELECT", false)]
    public void Knows_blank_text(string text, bool expected) =>
        Assert.Equal(expected, StatementScanner.IsBlank(text));

    [Fact]
    public void Single_line_form_drops_line_comments_and_keeps_newlines_in_strings()
    {
        var text = "SELECT a, -- the key\n  'two\nlines'\nFROM t;";

        Assert.Equal("SELECT a,    'two\nlines' FROM t;", StatementScanner.ToSingleLine(text));
    }
}
