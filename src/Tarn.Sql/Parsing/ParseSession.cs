using System.Runtime.CompilerServices;
using Superpower.Model;
using Tarn.Sql.Lexing;

namespace Tarn.Sql.Parsing;

/// <summary>
/// Per-statement state the otherwise stateless grammar needs: the ordinals of '?' parameters (numbered by
/// order of appearance, computed up front so backtracking cannot disturb them) and the nesting depth. The
/// grammar's combinators are shared static objects, so this lives in a thread-static slot for the duration of
/// one parse.
/// </summary>
internal sealed class ParseSession
{
    /// <summary>
    /// Deepest nesting of expressions and queries accepted. Real SQL stays far below; the limit keeps the
    /// recursive-descent parser (and every later recursive pass over the tree) off the end of the stack.
    /// </summary>
    public const int MaxNestingDepth = 200;

    /// <summary>
    /// Stack reserved for a parse that ran out of stack on its caller's thread. Each nesting level costs the
    /// combinators several kilobytes (about 9 KB for CASE), so a 1 MB thread fails near 110 levels while
    /// 200 levels fit in a few megabytes; the space is reserved, not committed, so a large figure is cheap.
    /// </summary>
    private const int DeepStackSize = 64 * 1024 * 1024;

    [ThreadStatic]
    private static ParseSession? t_current;

    [ThreadStatic]
    private static bool t_onDeepStack;

    private readonly int[] _questionMarkOffsets;
    private int _depth;

    private ParseSession(Token<SqlToken>[] tokens, int[] questionMarkOffsets)
    {
        Tokens = tokens;
        _questionMarkOffsets = questionMarkOffsets;
    }

    /// <summary>All tokens of the text being parsed; a TokenList's Position indexes into them.</summary>
    public Token<SqlToken>[] Tokens { get; }

    public static ParseSession Current => t_current ?? throw new InvalidOperationException("no parse in progress");

    /// <summary>
    /// Starts parsing, on this thread, the statement at tokens[start..end) (which numbers its own '?'
    /// parameters); dispose the scope to end it.
    /// </summary>
    public static Scope Begin(Token<SqlToken>[] tokens, int start, int end)
    {
        var offsets = new List<int>();
        foreach (var token in tokens.AsSpan(start, end - start))
        {
            if (token.Kind == SqlToken.Parameter && token.Span.Length == 1)
                offsets.Add(token.Span.Position.Absolute);
        }
        var previous = t_current;
        t_current = new ParseSession(tokens, offsets.ToArray());
        return new Scope(previous);
    }

    /// <summary>1-based ordinal of a '?' token within its statement.</summary>
    public int QuestionMarkOrdinal(Token<SqlToken> token) =>
        Array.BinarySearch(_questionMarkOffsets, token.Span.Position.Absolute) + 1;

    /// <summary>Enters one level of nesting; throws a syntax error when the statement nests too deeply.</summary>
    public static Nesting Enter(TokenList<SqlToken> input)
    {
        var session = Current;
        if (session._depth < MaxNestingDepth && !RuntimeHelpers.TryEnsureSufficientExecutionStack() && !t_onDeepStack)
            throw new ParserStackExhausted();
        if (session._depth >= MaxNestingDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            var position = Syntax.Peek(input, out var token) ? Syntax.Pos(token) : new SourcePosition(1, 1);
            throw SyntaxErrors.At(position, "statement is nested too deeply");
        }
        session._depth++;
        return new Nesting(session);
    }

    /// <summary>
    /// Prefix operators (NOT NOT ..., - - ...) are parsed in a loop but still nest the tree; they count against
    /// the same limit so that no later recursive pass meets an unbounded chain of them.
    /// </summary>
    public static void CheckPrefixDepth(int count, Token<SqlToken> at)
    {
        if (Current._depth + count > MaxNestingDepth)
            throw SyntaxErrors.At(at, "statement is nested too deeply");
    }

    /// <summary>
    /// Runs a parse so that its outcome depends only on the text, never on how much stack the calling thread
    /// happens to have left: when the stack runs short first, the parse starts again on a thread with
    /// <see cref="DeepStackSize"/>, where only <see cref="MaxNestingDepth"/> limits it.
    /// </summary>
    public static T WithEnoughStack<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ParserStackExhausted)
        {
        }
        T? result = default;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var worker = new Thread(() =>
        {
            t_onDeepStack = true;
            try
            {
                result = parse();
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        }, DeepStackSize) { Name = "deep SQL parse" };
        worker.Start();
        worker.Join();
        failure?.Throw();
        return result!;
    }

    /// <summary>Unwinds a parse whose thread is short of stack, to be restarted by <see cref="WithEnoughStack"/>.</summary>
    private sealed class ParserStackExhausted : Exception;

    public readonly struct Scope(ParseSession? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }

    public readonly struct Nesting(ParseSession session) : IDisposable
    {
        public void Dispose() => session._depth--;
    }
}
