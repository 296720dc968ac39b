using System.Text;
using Tarn.Console.Cli;

namespace Tarn.Console.Printing;

/// <summary>
/// Writes a failed statement's error to stderr:
/// <code>
/// Error [42601]: syntax error at or near "FORM"
///   at -f load.sql, line 3, column 10:
///   SELECT * FORM t;
///            ^
/// </code>
/// The position is relative to the script text, so for a file it is the file's line.
/// </summary>
internal static class ErrorPrinter
{
    /// <summary>Lines longer than this are shown as a window around the error column.</summary>
    private const int MaxShownLine = 160;

    public static void Print(TextWriter error, Exception exception, string script, ScriptSource source)
    {
        var (state, message, position) = Describe(exception);
        var text = new StringBuilder();
        text.Append("Error [").Append(state).Append("]: ").Append(message).Append('\n');

        var where = source.Describe();
        if (position is { } p)
        {
            text.Append("  at ");
            if (where.Length > 0) text.Append(where).Append(", ");
            text.Append("line ").Append(p.Line).Append(", column ").Append(p.Column);
            var line = LineAt(script, p.Line);
            if (line is null) text.Append('\n');
            else AppendSnippet(text.Append(":\n"), line, p.Column);
        }
        else if (where.Length > 0)
        {
            text.Append("  in ").Append(where).Append('\n');
        }
        error.Write(text.ToString());
        error.Flush();
    }

    /// <summary>Prints an error that is not tied to a script (opening the database, reading a file).</summary>
    public static void Print(TextWriter error, Exception exception)
    {
        var (state, message, _) = Describe(exception);
        error.Write($"Error [{state}]: {message}\n");
        error.Flush();
    }

    private static (string State, string Message, SourcePosition? Position) Describe(Exception exception) => exception switch
    {
        TarnException t => (t.SqlState, WithoutPosition(t.Message, t.Position), t.Position),
        OperationCanceledException => (SqlStates.QueryCanceled, "canceling statement due to user request", null),
        _ => (SqlStates.InternalError, $"{exception.Message} ({exception.GetType().Name})", null),
    };

    /// <summary>
    /// The engine may put the location into the message ("syntax error at line 1, column 1: ..."); the location line
    /// below says it already, with the source.
    /// </summary>
    private static string WithoutPosition(string message, SourcePosition? position)
    {
        if (position is not { } p) return message;
        var location = $" at {p}";
        var index = message.IndexOf(location, StringComparison.Ordinal);
        return index < 0 ? message : message.Remove(index, location.Length);
    }

    /// <summary>Line <paramref name="number"/> (1-based) of <paramref name="script"/>, or null if there is none.</summary>
    internal static string? LineAt(string script, int number)
    {
        if (number < 1) return null;
        var start = 0;
        for (var n = 1; n < number; n++)
        {
            var newline = script.IndexOf('\n', start);
            if (newline < 0) return null;
            start = newline + 1;
        }
        var end = script.IndexOf('\n', start);
        var line = end < 0 ? script[start..] : script[start..end];
        return line.TrimEnd('\r');
    }

    /// <summary>The line and a caret under <paramref name="column"/>; the padding copies the line's tabs so it lines up.</summary>
    private static void AppendSnippet(StringBuilder text, string line, int column)
    {
        var index = Math.Clamp(column - 1, 0, line.Length);
        var start = 0;
        var end = line.Length;
        if (line.Length > MaxShownLine)
        {
            start = Math.Max(0, index - MaxShownLine / 2);
            end = Math.Min(line.Length, start + MaxShownLine);
        }
        var prefix = start > 0 ? "..." : "";
        var shown = prefix + Clean(line[start..end]) + (end < line.Length ? "..." : "");

        var caret = new StringBuilder("  ");
        caret.Append(' ', prefix.Length);
        foreach (var rune in line[start..index].EnumerateRunes())
        {
            if (rune.Value == '\t') caret.Append('\t');
            else if (Rune.IsControl(rune)) caret.Append(' ');
            else caret.Append(' ', DisplayWidth.Of(rune));
        }
        text.Append("  ").Append(shown).Append('\n').Append(caret).Append("^\n");
    }

    /// <summary>Control characters other than tab would garble the terminal; show U+FFFD instead.</summary>
    private static string Clean(string line)
    {
        var chars = line.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (char.IsControl(chars[i]) && chars[i] != '\t') chars[i] = '\uFFFD';
        return new string(chars);
    }
}
