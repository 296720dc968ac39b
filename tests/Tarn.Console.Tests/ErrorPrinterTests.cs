using Tarn.Console.Cli;
using Tarn.Console.Printing;

namespace Tarn.Console.Tests;

public class ErrorPrinterTests
{
    private static string Print(Exception e, string script, ScriptSource source)
    {
        var error = new StringWriter();
        ErrorPrinter.Print(error, e, script, source);
        return error.ToString();
    }

    [Fact]
    public void Shows_source_line_and_caret_under_the_column()
    {
        var script = "CREATE TABLE t (x INT);\n\nSELECT * FORM t;\n";
        var e = new TarnException(SqlStates.SyntaxError, "syntax error at or near \"FORM\"", new SourcePosition(3, 10));

        Assert.Equal(
            """
            Error [42601]: syntax error at or near "FORM"
              at -f load.sql, line 3, column 10:
              SELECT * FORM t;
                       ^

            """,
            Print(e, script, ScriptSource.File("load.sql")));
    }

    [Fact]
    public void Caret_padding_keeps_tabs_and_counts_wide_characters()
    {
        var e = new TarnException(SqlStates.UndefinedColumn, "column not found", new SourcePosition(1, 10));
        var text = Print(e, "\tSELECT 日本x", ScriptSource.Command("...", 2));

        var lines = text.Split('\n');
        Assert.Equal("  at -c #2, line 1, column 10:", lines[1]);
        Assert.Equal("  \tSELECT 日本x", lines[2]);
        Assert.Equal("  \t" + new string(' ', 9) + "^", lines[3]);
    }

    [Fact]
    public void At_the_prompt_only_line_and_column_are_named()
    {
        var e = new TarnException(SqlStates.SyntaxError, "bad", new SourcePosition(2, 1));

        Assert.Equal("Error [42601]: bad\n  at line 2, column 1:\n  oops\n  ^\n", Print(e, "SELECT 1;\noops", ScriptSource.Prompt));
    }

    [Fact]
    public void Without_a_position_the_source_is_still_named()
    {
        var e = new TarnException(SqlStates.UndefinedTable, "table 'x' does not exist");

        Assert.Equal("Error [42P01]: table 'x' does not exist\n  in -c #1\n", Print(e, "SELECT * FROM x", ScriptSource.Command("", 1)));
        Assert.Equal("Error [42P01]: table 'x' does not exist\n", Print(e, "SELECT * FROM x", ScriptSource.Prompt));
    }

    [Fact]
    public void Long_lines_are_shown_as_a_window_around_the_column()
    {
        var line = new string('a', 500) + "BAD" + new string('b', 500);
        var e = new TarnException(SqlStates.SyntaxError, "bad", new SourcePosition(1, 501));

        var lines = Print(e, line, ScriptSource.Stdin).Split('\n');

        Assert.StartsWith("  ...a", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("b...", lines[2], StringComparison.Ordinal);
        Assert.True(lines[2].Length < 200);
        Assert.Equal("BAD", lines[2].Substring(lines[3].IndexOf('^', StringComparison.Ordinal), 3));
    }

    [Fact]
    public void Positions_past_the_script_and_other_exceptions_do_not_break_it()
    {
        var beyond = new TarnException(SqlStates.SyntaxError, "unexpected end", new SourcePosition(9, 1));
        Assert.Equal("Error [42601]: unexpected end\n  at stdin, line 9, column 1\n", Print(beyond, "SELECT", ScriptSource.Stdin));

        var bug = Print(new InvalidOperationException("boom"), "SELECT 1", ScriptSource.Prompt);
        Assert.Equal("Error [XX000]: boom (InvalidOperationException)\n", bug);

        var cancelled = Print(new OperationCanceledException(), "SELECT 1", ScriptSource.Prompt);
        Assert.StartsWith("Error [57014]: canceling statement", cancelled, StringComparison.Ordinal);
    }

    [Fact]
    public void A_location_already_in_the_message_is_not_repeated()
    {
        var atEnd = new TarnException(SqlStates.UndefinedTable, "table 'nope' does not exist at line 1, column 15", new SourcePosition(1, 15));
        var inside = new TarnException(SqlStates.SyntaxError, "syntax error at line 1, column 1: unexpected 'SELEC'", new SourcePosition(1, 1));

        var lines = Print(atEnd, "SELECT * FROM nope", ScriptSource.Prompt).Split('\n');
        Assert.Equal("Error [42P01]: table 'nope' does not exist", lines[0]);
        Assert.Equal("  at line 1, column 15:", lines[1]);
        Assert.StartsWith("Error [42601]: syntax error: unexpected 'SELEC'\n", Print(inside, "SELEC", ScriptSource.Prompt), StringComparison.Ordinal);
    }
}
