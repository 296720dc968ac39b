using System.Text;
using Tarn.Execution.Text;

namespace Tarn.Execution.Expressions;

/// <summary>
/// A compiled LIKE pattern over UTF-8 bytes: <c>%</c> matches any run of characters, <c>_</c> exactly one character,
/// everything else itself (case-sensitive). Common shapes (<c>abc</c>, <c>abc%</c>, <c>%abc</c>, <c>%abc%</c>) use
/// span searches, and so do patterns of several literals between <c>%</c> without <c>_</c> (<c>%special%requests%</c>:
/// each literal found leftmost after the previous one, which decides the match); the rest a linear-time matcher that
/// backtracks only to the last <c>%</c>.
/// </summary>
public sealed class LikePattern
{
    private enum Kind : byte { Exact, Prefix, Suffix, Contains, Segments, General }

    private enum TokenKind : byte { Literal, AnyOne, AnyRun }

    private readonly Kind _kind;
    private readonly byte[] _literal = [];
    private readonly TokenKind[] _tokens = [];
    private readonly byte[] _bytes = [];
    private readonly byte[][] _segments = [];
    private readonly bool _anchoredStart;
    private readonly bool _anchoredEnd;

    private LikePattern(Kind kind, byte[] literal)
    {
        _kind = kind;
        _literal = literal;
    }

    private LikePattern(byte[][] segments, bool anchoredStart, bool anchoredEnd)
    {
        _kind = Kind.Segments;
        _segments = segments;
        _anchoredStart = anchoredStart;
        _anchoredEnd = anchoredEnd;
    }

    private LikePattern(TokenKind[] tokens, byte[] bytes)
    {
        _kind = Kind.General;
        _tokens = tokens;
        _bytes = bytes;
    }

    /// <summary>Compiles a pattern; <paramref name="escape"/> (one character or null) makes the next character literal.
    /// Raises 22025 for a bad escape.</summary>
    public static LikePattern Compile(string pattern, string? escape)
    {
        if (escape is not null && escape.Length != 1)
            throw new TarnException(EvalErrors.InvalidEscapeSequence, "invalid escape string: the ESCAPE value must be one character");
        var tokens = new List<TokenKind>();
        var bytes = new List<byte>();
        Span<byte> buf = stackalloc byte[4];
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (escape is not null && c == escape[0])
            {
                if (i + 1 >= pattern.Length)
                    throw new TarnException(EvalErrors.InvalidEscapeSequence, $"LIKE pattern must not end with the escape character: '{pattern}'");
                c = pattern[++i];
                AddLiteral(pattern, ref i, c, tokens, bytes, buf);
            }
            else if (c == '%')
            {
                if (tokens.Count == 0 || tokens[^1] != TokenKind.AnyRun) { tokens.Add(TokenKind.AnyRun); bytes.Add(0); }
            }
            else if (c == '_') { tokens.Add(TokenKind.AnyOne); bytes.Add(0); }
            else AddLiteral(pattern, ref i, c, tokens, bytes, buf);
        }
        return Simplify([.. tokens], [.. bytes]);
    }

    private static void AddLiteral(string pattern, ref int i, char c, List<TokenKind> tokens, List<byte> bytes, Span<byte> buf)
    {
        int len;
        if (char.IsHighSurrogate(c) && i + 1 < pattern.Length) len = Encoding.UTF8.GetBytes(pattern.AsSpan(i++, 2), buf);
        else len = Encoding.UTF8.GetBytes([c], buf);
        for (var k = 0; k < len; k++) { tokens.Add(TokenKind.Literal); bytes.Add(buf[k]); }
    }

    private static LikePattern Simplify(TokenKind[] tokens, byte[] bytes)
    {
        var anyOne = Array.IndexOf(tokens, TokenKind.AnyOne) >= 0;
        var runs = 0;
        foreach (var t in tokens) if (t == TokenKind.AnyRun) runs++;
        if (!anyOne)
        {
            var startsRun = tokens.Length > 0 && tokens[0] == TokenKind.AnyRun;
            var endsRun = tokens.Length > 0 && tokens[^1] == TokenKind.AnyRun;
            if (runs == 0) return new LikePattern(Kind.Exact, bytes);
            if (runs == 1 && endsRun && !startsRun) return new LikePattern(Kind.Prefix, bytes[..^1]);
            if (runs == 1 && startsRun && !endsRun) return new LikePattern(Kind.Suffix, bytes[1..]);
            if (runs == 2 && startsRun && endsRun && tokens.Length >= 2) return new LikePattern(Kind.Contains, bytes[1..^1]);
            if (runs == 1 && tokens.Length == 1) return new LikePattern(Kind.Contains, []);
            return new LikePattern(Segments(tokens, bytes), !startsRun, !endsRun);
        }
        return new LikePattern(tokens, bytes);
    }

    /// <summary>The literal runs between the <c>%</c>s (tokens without <c>_</c>, consecutive <c>%</c> already merged).</summary>
    private static byte[][] Segments(TokenKind[] tokens, byte[] bytes)
    {
        var segments = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= tokens.Length; i++)
        {
            if (i < tokens.Length && tokens[i] == TokenKind.Literal) continue;
            if (i > start) segments.Add(bytes[start..i]);
            start = i + 1;
        }
        return [.. segments];
    }

    public bool Matches(ReadOnlySpan<byte> s) => _kind switch
    {
        Kind.Exact => s.SequenceEqual(_literal),
        Kind.Prefix => s.StartsWith(_literal),
        Kind.Suffix => s.EndsWith(_literal),
        Kind.Contains => s.IndexOf(_literal) >= 0,
        Kind.Segments => MatchSegments(s),
        _ => MatchGeneral(s),
    };

    /// <summary>Without <c>_</c>, taking each floating literal at its leftmost occurrence after the previous one
    /// never loses a match; an anchored first literal must start the text and an anchored last one end it (after
    /// the others).</summary>
    private bool MatchSegments(ReadOnlySpan<byte> s)
    {
        var segments = _segments;
        var first = 0;
        var last = segments.Length;
        var pos = 0;
        if (_anchoredStart)
        {
            if (!s.StartsWith(segments[0])) return false;
            pos = segments[0].Length;
            first = 1;
        }
        if (_anchoredEnd) last--;
        for (var k = first; k < last; k++)
        {
            var at = s[pos..].IndexOf(segments[k]);
            if (at < 0) return false;
            pos += at + segments[k].Length;
        }
        return !_anchoredEnd || (s.Length - segments[^1].Length >= pos && s.EndsWith(segments[^1]));
    }

    private bool MatchGeneral(ReadOnlySpan<byte> s)
    {
        var tokens = _tokens;
        var bytes = _bytes;
        int si = 0, pi = 0, starPi = -1, starSi = 0;
        while (si < s.Length)
        {
            if (pi < tokens.Length)
            {
                var t = tokens[pi];
                if (t == TokenKind.AnyRun)
                {
                    starPi = pi++;
                    starSi = si;
                    continue;
                }
                if (t == TokenKind.AnyOne)
                {
                    si += Utf8Text.SequenceLength(s, si);
                    pi++;
                    continue;
                }
                if (bytes[pi] == s[si])
                {
                    si++;
                    pi++;
                    continue;
                }
            }
            if (starPi < 0) return false;
            // retry after the last %, letting it swallow one more character
            starSi += Utf8Text.SequenceLength(s, starSi);
            si = starSi;
            pi = starPi + 1;
        }
        while (pi < tokens.Length && tokens[pi] == TokenKind.AnyRun) pi++;
        return pi == tokens.Length;
    }
}
