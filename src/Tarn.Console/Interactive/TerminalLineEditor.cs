using System.Text;
using Tarn.Console.Printing;

namespace Tarn.Console.Interactive;

/// <summary>
/// Reads a line from the real terminal with editing and history (see <see cref="LineEditSession"/> for the keys).
/// Redraws with relative ANSI cursor moves, so a line longer than the window wraps correctly. Ctrl-C is read as a
/// key while editing (it drops the line) and goes back to being a signal while statements run.
/// </summary>
/// <param name="screen">Where the prompt and the typed text are drawn: stdout, or stderr when stdout is redirected.</param>
internal sealed class TerminalLineEditor(ReplHistory history, TextWriter screen) : ILineSource
{
    private readonly TextWriter _out = screen;

    /// <summary>Rows between the prompt's first row and the cursor, after the last redraw.</summary>
    private int _cursorRow;

    /// <summary>The last redraw ended exactly at the window edge, so the cursor already sits on a fresh row.</summary>
    private bool _endsAtRowStart;

    public void AddHistory(string statement) => history.Add(StatementScanner.ToSingleLine(statement));

    public LineRead ReadLine(string prompt)
    {
        var session = new LineEditSession(history);
        var treatControlCAsInput = System.Console.TreatControlCAsInput;
        System.Console.TreatControlCAsInput = true;
        _cursorRow = 0;
        try
        {
            Render(prompt, session.Line);
            while (true)
            {
                var outcome = session.Handle(System.Console.ReadKey(intercept: true));
                switch (outcome)
                {
                    case EditOutcome.Submit:
                        Finish(prompt, session.Line, "");
                        return LineRead.Line(session.Line.Text);
                    case EditOutcome.EndOfInput:
                        Finish(prompt, session.Line, "");
                        return LineRead.EndOfInput;
                    case EditOutcome.Interrupt:
                        Finish(prompt, session.Line, "^C");
                        return LineRead.Interrupted;
                    case EditOutcome.ClearScreen:
                        _out.Write("\x1b[H\x1b[2J");
                        _cursorRow = 0;
                        break;
                }
                // While pasting, keys are already waiting: draw once when the paste is through.
                if (!System.Console.KeyAvailable) Render(prompt, session.Line);
            }
        }
        finally
        {
            System.Console.TreatControlCAsInput = treatControlCAsInput;
        }
    }

    /// <summary>Shows the whole line with the cursor at its end, then moves to a new row.</summary>
    private void Finish(string prompt, LineBuffer line, string marker)
    {
        line.End();
        Render(prompt, line);
        _out.Write(marker.Length == 0 && _endsAtRowStart ? "" : marker + "\r\n");
        _out.Flush();
        _cursorRow = 0;
    }

    private void Render(string prompt, LineBuffer line)
    {
        var width = WindowWidth();
        var shown = Displayable(line.Text);
        var promptWidth = DisplayWidth.Of(prompt);
        var total = promptWidth + DisplayWidth.Of(shown);
        var target = promptWidth + DisplayWidth.Of(shown[..line.Cursor]);

        var sb = new StringBuilder();
        if (_cursorRow > 0) sb.Append("\x1b[").Append(_cursorRow).Append('A');
        sb.Append("\r\x1b[J").Append(prompt).Append(shown);
        // A line that fills its last row exactly leaves the terminal in a pending-wrap state; make the wrap happen.
        _endsAtRowStart = total > 0 && total % width == 0;
        if (_endsAtRowStart) sb.Append("\r\n");
        var up = total / width - target / width;
        if (up > 0) sb.Append("\x1b[").Append(up).Append('A');
        sb.Append('\r');
        if (target % width > 0) sb.Append("\x1b[").Append(target % width).Append('C');
        _cursorRow = target / width;
        _out.Write(sb.ToString());
        _out.Flush();
    }

    /// <summary>One display character per text character: newlines inside quoted values show as ↵, tabs as a space.</summary>
    private static string Displayable(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '\n') chars[i] = '\u21B5';
            else if (chars[i] == '\t') chars[i] = ' ';
            else if (char.IsControl(chars[i])) chars[i] = '?';
        }
        return new string(chars);
    }

    private static int WindowWidth()
    {
        try
        {
            var width = System.Console.WindowWidth;
            return width > 0 ? width : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
