using Tarn.Console.Interactive;

namespace Tarn.Console.Tests;

public class LineEditSessionTests
{
    private static ConsoleKeyInfo Key(ConsoleKey key, char ch = '\0', bool control = false, bool alt = false) =>
        new(ch, key, shift: false, alt, control);

    private static ConsoleKeyInfo Char(char ch) => new(ch, 0, false, false, false);

    private static ConsoleKeyInfo Ctrl(char letter) =>
        new((char)(char.ToUpperInvariant(letter) - '@'), ConsoleKey.A + (char.ToUpperInvariant(letter) - 'A'), false, false, true);

    private static EditOutcome Type(LineEditSession session, string text)
    {
        var outcome = EditOutcome.Continue;
        foreach (var ch in text) outcome = session.Handle(Char(ch));
        return outcome;
    }

    [Fact]
    public void Inserts_moves_and_deletes()
    {
        var session = new LineEditSession(new ReplHistory(null));
        Type(session, "SELCT 1");
        session.Handle(Key(ConsoleKey.Home));
        for (var i = 0; i < 3; i++) session.Handle(Key(ConsoleKey.RightArrow));
        Type(session, "E");
        Assert.Equal("SELECT 1", session.Line.Text);

        session.Handle(Ctrl('e'));
        session.Handle(Key(ConsoleKey.Backspace, '\x7f'));
        Type(session, "2");
        session.Handle(Ctrl('a'));
        session.Handle(Key(ConsoleKey.Delete));
        Assert.Equal("ELECT 2", session.Line.Text);
        Assert.Equal(0, session.Line.Cursor);
    }

    [Fact]
    public void Word_motions_and_kills()
    {
        var session = new LineEditSession(new ReplHistory(null));
        Type(session, "SELECT a_b FROM tbl");
        session.Handle(Key(ConsoleKey.LeftArrow, control: true));
        Assert.Equal(16, session.Line.Cursor);
        session.Handle(Key(ConsoleKey.B, 'b', alt: true));
        Assert.Equal(11, session.Line.Cursor);
        session.Handle(Ctrl('w'));
        Assert.Equal("SELECT FROM tbl", session.Line.Text);
        session.Handle(Ctrl('k'));
        Assert.Equal("SELECT ", session.Line.Text);
        session.Handle(Ctrl('u'));
        Assert.Equal("", session.Line.Text);
    }

    [Fact]
    public void Surrogate_pairs_move_and_delete_as_one()
    {
        var session = new LineEditSession(new ReplHistory(null));
        Type(session, "a😀b");
        session.Handle(Key(ConsoleKey.LeftArrow));
        session.Handle(Key(ConsoleKey.LeftArrow));
        Assert.Equal(1, session.Line.Cursor);
        session.Handle(Key(ConsoleKey.Delete));
        Assert.Equal("ab", session.Line.Text);
    }

    [Fact]
    public void Up_and_down_walk_history_and_restore_the_draft()
    {
        var history = new ReplHistory(null);
        history.Add("SELECT 1;");
        history.Add("SELECT 2;");
        var session = new LineEditSession(history);
        Type(session, "draft");

        session.Handle(Key(ConsoleKey.UpArrow));
        Assert.Equal("SELECT 2;", session.Line.Text);
        session.Handle(Ctrl('p'));
        Assert.Equal("SELECT 1;", session.Line.Text);
        session.Handle(Key(ConsoleKey.UpArrow));
        Assert.Equal("SELECT 1;", session.Line.Text);
        session.Handle(Key(ConsoleKey.DownArrow));
        session.Handle(Ctrl('n'));
        Assert.Equal("draft", session.Line.Text);
    }

    [Fact]
    public void Enter_ctrl_c_and_ctrl_d_end_the_line()
    {
        var session = new LineEditSession(new ReplHistory(null));
        Assert.Equal(EditOutcome.EndOfInput, session.Handle(Ctrl('d')));
        Type(session, "ab");
        session.Handle(Key(ConsoleKey.LeftArrow));
        Assert.Equal(EditOutcome.Continue, session.Handle(Ctrl('d')));
        Assert.Equal("a", session.Line.Text);
        Assert.Equal(EditOutcome.Interrupt, session.Handle(Ctrl('c')));
        Assert.Equal(EditOutcome.Submit, session.Handle(Key(ConsoleKey.Enter, '\r')));
        Assert.Equal(EditOutcome.ClearScreen, session.Handle(Ctrl('l')));
    }
}
