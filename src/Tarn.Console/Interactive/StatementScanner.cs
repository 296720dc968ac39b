using System.Text;

namespace Tarn.Console.Interactive;

/// <summary>
/// Just enough SQL lexing for the prompt: whether typed text ends with a statement terminator, and a one-line form
/// of a statement for history. Knows '...' strings (with '' escapes), "..." and `...` identifiers, -- line comments
/// and /* */ block comments, so a ';' inside any of them does not end the statement.
/// </summary>
internal static class StatementScanner
{
    private enum State { Code, SingleQuote, DoubleQuote, Backtick, LineComment, BlockComment }

    /// <summary>True when the last thing outside strings and comments is ';'.</summary>
    public static bool EndsStatement(string text)
    {
        var lastCode = '\0';
        Scan(text, (ch, state) => { if (state == State.Code && !char.IsWhiteSpace(ch)) lastCode = ch; });
        return lastCode == ';';
    }

    /// <summary>True when the text holds nothing but whitespace and comments.</summary>
    public static bool IsBlank(string text)
    {
        var blank = true;
        Scan(text, (ch, state) => { if (state != State.LineComment && state != State.BlockComment && !char.IsWhiteSpace(ch)) blank = false; });
        return blank;
    }

    /// <summary>
    /// The text on one line for the single-line editor's history: line comments dropped and newlines outside quotes
    /// turned into spaces. Newlines inside quoted text are kept, since they are part of the value.
    /// </summary>
    public static string ToSingleLine(string text)
    {
        var sb = new StringBuilder(text.Length);
        Scan(text, (ch, state) =>
        {
            if (state == State.LineComment) return;
            if (state is State.SingleQuote or State.DoubleQuote or State.Backtick) sb.Append(ch);
            else sb.Append(ch is '\n' or '\r' or '\t' ? ' ' : ch);
        });
        return sb.ToString().Trim();
    }

    /// <summary>Calls <paramref name="visit"/> with each character and the lexical state it belongs to.</summary>
    private static void Scan(string text, Action<char, State> visit)
    {
        var state = State.Code;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            switch (state)
            {
                case State.Code:
                    if (ch == '-' && next == '-') state = State.LineComment;
                    else if (ch == '/' && next == '*') { visit(ch, State.BlockComment); visit(next, State.BlockComment); i++; state = State.BlockComment; continue; }
                    else if (ch == '\'') state = State.SingleQuote;
                    else if (ch == '"') state = State.DoubleQuote;
                    else if (ch == '`') state = State.Backtick;
                    visit(ch, state);
                    break;
                case State.LineComment:
                    if (ch == '\n') { state = State.Code; visit(ch, state); }
                    else visit(ch, state);
                    break;
                case State.BlockComment:
                    visit(ch, state);
                    if (ch == '*' && next == '/') { visit(next, state); i++; state = State.Code; }
                    break;
                default:
                    visit(ch, state);
                    var close = state switch { State.SingleQuote => '\'', State.DoubleQuote => '"', _ => '`' };
                    if (ch != close) break;
                    if (next == close) { visit(next, state); i++; }
                    else state = State.Code;
                    break;
            }
        }
    }
}
