namespace Tarn.Console.Interactive;

internal enum EditOutcome
{
    Continue,
    Submit,
    EndOfInput,
    Interrupt,
    ClearScreen,
}

/// <summary>
/// Emacs-style key bindings over a <see cref="LineBuffer"/> and the history; no terminal I/O, so every binding can be
/// tested with synthetic keys. Arrows, Home/End, Ctrl-A/E/B/F, Alt-B/F and Ctrl-arrows by word, Backspace/Delete,
/// Ctrl-U/K/W, Up/Down and Ctrl-P/N for history, Ctrl-D (end of input on an empty line), Ctrl-C, Ctrl-L.
/// </summary>
internal sealed class LineEditSession(ReplHistory history)
{
    private int _historyIndex = history.Count;
    private string _draft = "";

    public LineBuffer Line { get; } = new();

    public EditOutcome Handle(ConsoleKeyInfo key)
    {
        var control = (key.Modifiers & ConsoleModifiers.Control) != 0;
        var alt = (key.Modifiers & ConsoleModifiers.Alt) != 0;
        switch (key.Key)
        {
            case ConsoleKey.Enter: return EditOutcome.Submit;
            case ConsoleKey.LeftArrow when control || alt: Line.WordLeft(); return EditOutcome.Continue;
            case ConsoleKey.RightArrow when control || alt: Line.WordRight(); return EditOutcome.Continue;
            case ConsoleKey.LeftArrow: Line.Left(); return EditOutcome.Continue;
            case ConsoleKey.RightArrow: Line.Right(); return EditOutcome.Continue;
            case ConsoleKey.Home: Line.Home(); return EditOutcome.Continue;
            case ConsoleKey.End: Line.End(); return EditOutcome.Continue;
            case ConsoleKey.UpArrow: PreviousHistory(); return EditOutcome.Continue;
            case ConsoleKey.DownArrow: NextHistory(); return EditOutcome.Continue;
            case ConsoleKey.Delete: Line.Delete(); return EditOutcome.Continue;
            case ConsoleKey.Backspace: Line.Backspace(); return EditOutcome.Continue;
            case ConsoleKey.Escape: return EditOutcome.Continue;
            case ConsoleKey.B when alt: Line.WordLeft(); return EditOutcome.Continue;
            case ConsoleKey.F when alt: Line.WordRight(); return EditOutcome.Continue;
        }

        switch (key.KeyChar)
        {
            case '\r' or '\n': return EditOutcome.Submit;
            case '\x03': return EditOutcome.Interrupt;
            case '\x04':
                if (Line.Length == 0) return EditOutcome.EndOfInput;
                Line.Delete();
                return EditOutcome.Continue;
            case '\x01': Line.Home(); break;
            case '\x05': Line.End(); break;
            case '\x02': Line.Left(); break;
            case '\x06': Line.Right(); break;
            case '\b' or '\x7f': Line.Backspace(); break;
            case '\x0b': Line.KillToEnd(); break;
            case '\x15': Line.KillToStart(); break;
            case '\x17': Line.DeleteWordBefore(); break;
            case '\x10': PreviousHistory(); break;
            case '\x0e': NextHistory(); break;
            case '\x0c': return EditOutcome.ClearScreen;
            case '\t': Line.Insert('\t'); break;
            case var ch when ch != '\0' && !char.IsControl(ch): Line.Insert(ch); break;
        }
        return EditOutcome.Continue;
    }

    private void PreviousHistory()
    {
        if (_historyIndex == 0) return;
        if (_historyIndex == history.Count) _draft = Line.Text;
        Line.Set(history[--_historyIndex]);
    }

    private void NextHistory()
    {
        if (_historyIndex >= history.Count) return;
        _historyIndex++;
        Line.Set(_historyIndex == history.Count ? _draft : history[_historyIndex]);
    }
}
