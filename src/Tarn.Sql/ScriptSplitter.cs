using Superpower.Model;
using Tarn.Sql.Lexing;
using Tarn.Sql.Parsing;

namespace Tarn.Sql;

/// <summary>
/// Cuts a token stream into statements at top-level ';'. Working on tokens means semicolons inside strings,
/// quoted names and comments never split. A statement set ([EXECUTE] STATEMENT SET BEGIN ... END, or the
/// SQL client's BEGIN STATEMENT SET; ... END) stays one statement: inside it ';' separates its INSERTs, and the
/// block ends at the END that does not close a CASE.
/// </summary>
internal static class ScriptSplitter
{
    public static List<(int Start, int Count)> Split(ReadOnlySpan<Token<SqlToken>> tokens, out bool endsInsideBlock)
    {
        var segments = new List<(int, int)>();
        var start = 0;
        var inBlock = false;
        var caseDepth = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            if (inBlock)
            {
                if (Syntax.IsWord(t, "CASE"))
                {
                    caseDepth++;
                }
                else if (Syntax.IsWord(t, "END"))
                {
                    if (caseDepth > 0)
                        caseDepth--;
                    else
                        inBlock = false;
                }
                continue;
            }
            if (t.Kind == SqlToken.Semicolon)
            {
                if (i > start)
                    segments.Add((start, i - start));
                start = i + 1;
            }
            else if ((i == start && Syntax.IsWord(t, "BEGIN") && IsWordAt(tokens, i + 1, "STATEMENT") && IsWordAt(tokens, i + 2, "SET"))
                || (Syntax.IsWord(t, "STATEMENT") && IsWordAt(tokens, i + 1, "SET") && IsWordAt(tokens, i + 2, "BEGIN")))
            {
                inBlock = true;
                caseDepth = 0;
                i += 2;
            }
        }
        if (tokens.Length > start)
            segments.Add((start, tokens.Length - start));
        endsInsideBlock = inBlock;
        return segments;
    }

    private static bool IsWordAt(ReadOnlySpan<Token<SqlToken>> tokens, int index, string word) =>
        index < tokens.Length && Syntax.IsWord(tokens[index], word);
}
