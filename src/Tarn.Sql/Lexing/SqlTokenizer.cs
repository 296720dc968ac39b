using Superpower;
using Superpower.Model;

namespace Tarn.Sql.Lexing;

/// <summary>
/// Turns SQL text into tokens. Hand-written rather than built from Superpower's TokenizerBuilder because SQL
/// needs a little state: hints (<c>/*+ ... */</c>) are tokens while every other block comment is skipped, and
/// <c>*/</c> only closes a hint when one is open. Linear in the input; never throws on bad input, it reports
/// the first lexical error as a failed result instead.
/// </summary>
internal sealed class SqlTokenizer : Tokenizer<SqlToken>
{
    public static readonly SqlTokenizer Instance = new();

    /// <summary>All tokens of <paramref name="sql"/>; a lexical error becomes a 42601 syntax error.</summary>
    public static Token<SqlToken>[] TokenizeOrThrow(string sql)
    {
        var (tokens, error) = Instance.TryTokenizeToArray(sql);
        if (error is { } e)
            throw Parsing.SyntaxErrors.At(e.Position, e.Message);
        return tokens;
    }

    /// <summary>Tokens, or the first lexical error with its position.</summary>
    public (Token<SqlToken>[] Tokens, LexicalError? Error) TryTokenizeToArray(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = new List<Token<SqlToken>>(Math.Max(16, sql.Length / 5));
        var error = Scan(sql, Position.Zero, sql.Length, tokens);
        return error is null ? (tokens.ToArray(), null) : ([], error);
    }

    /// <summary>Superpower's entry point, for completeness; the parser uses <see cref="TryTokenizeToArray"/>.</summary>
    protected override IEnumerable<Result<SqlToken>> Tokenize(TextSpan span)
    {
        var source = span.Source!;
        var end = span.Position.Absolute + span.Length;
        var tokens = new List<Token<SqlToken>>();
        var error = Scan(source, span.Position, end, tokens);
        foreach (var token in tokens)
        {
            var location = new TextSpan(source, token.Position, end - token.Position.Absolute);
            yield return Result.Value(token.Kind, location, location.Skip(token.Span.Length));
        }
        if (error is { } e)
        {
            var at = new Position(e.Offset, e.Position.Line, e.Position.Column);
            yield return Result.Empty<SqlToken>(new TextSpan(source, at, end - e.Offset), e.Message);
        }
    }

    /// <summary>
    /// Scans source[start.Absolute..end) into <paramref name="tokens"/>, tracking line and column as it goes
    /// (1-based; a line feed starts a new line, every other character is one column). Returns the first
    /// lexical error, if any.
    /// </summary>
    private static LexicalError? Scan(string source, Position start, int end, List<Token<SqlToken>> tokens)
    {
        var index = start.Absolute;
        var line = start.Line;
        var column = start.Column;
        var inHint = false;
        var hintStart = start;

        void Advance(int count)
        {
            var stop = index + count;
            for (; index < stop; index++)
            {
                if (source[index] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }
        }

        while (true)
        {
            var trivia = SkipTrivia(source.AsSpan(index, end - index), inHint);
            Advance(trivia.Length);
            if (trivia.Error is not null)
                return new LexicalError(new SourcePosition(line, column), index, trivia.Error);
            if (index >= end)
                break;
            var scanned = Scan(source.AsSpan(index, end - index), inHint);
            var position = new Position(index, line, column);
            if (scanned.Error is not null)
                return new LexicalError(new SourcePosition(line, column), index, scanned.Error);
            if (scanned.Kind == SqlToken.HintStart)
            {
                inHint = true;
                hintStart = position;
            }
            else if (scanned.Kind == SqlToken.HintEnd)
            {
                inHint = false;
            }
            tokens.Add(new Token<SqlToken>(scanned.Kind, new TextSpan(source, position, scanned.Length)));
            Advance(scanned.Length);
        }
        return inHint
            ? new LexicalError(new SourcePosition(hintStart.Line, hintStart.Column), hintStart.Absolute, "unterminated hint: '/*+' without '*/'")
            : null;
    }

    private readonly record struct Scanned(SqlToken Kind, int Length, string? Error = null)
    {
        public static Scanned Fail(string error) => new(default, 0, error);
    }

    /// <summary>Whitespace and comments before the next token; Length is where an error starts if Error is set.</summary>
    private static Scanned SkipTrivia(ReadOnlySpan<char> s, bool inHint)
    {
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && At(s, i + 1) == '-')
            {
                var end = s[i..].IndexOfAny('\n', '\r');
                i = end < 0 ? s.Length : i + end;
            }
            else if (c == '/' && At(s, i + 1) == '*' && (inHint || At(s, i + 2) != '+'))
            {
                var end = s[(i + 2)..].IndexOf("*/");
                if (end < 0)
                    return new Scanned(default, i, "unterminated comment: '/*' without '*/'");
                i += 2 + end + 2;
            }
            else
            {
                break;
            }
        }
        return new Scanned(default, i);
    }

    private static Scanned Scan(ReadOnlySpan<char> s, bool inHint)
    {
        var c = s[0];
        var c1 = At(s, 1);
        if ((c is 'x' or 'X') && c1 == '\'')
            return ScanBinaryString(s);
        if (char.IsLetter(c) || c == '_')
            return ScanWord(s);
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(c1)))
            return ScanNumber(s);
        switch (c)
        {
            case '\'':
                var length = QuotedLength(s, '\'');
                return length < 0 ? Scanned.Fail("unterminated string literal") : new Scanned(SqlToken.String, length);
            case '"':
            case '`':
                return ScanQuotedIdentifier(s, c);
            case '?':
                return new Scanned(SqlToken.Parameter, 1);
            case '$':
                return char.IsAsciiDigit(c1)
                    ? new Scanned(SqlToken.Parameter, 1 + CountWhile(s[1..], char.IsAsciiDigit))
                    : Scanned.Fail("unexpected character '$'");
            case ':':
                if (c1 == ':')
                    return new Scanned(SqlToken.DoubleColon, 2);
                return IsWordStart(c1)
                    ? new Scanned(SqlToken.Parameter, 1 + WordLength(s[1..]))
                    : Scanned.Fail("unexpected character ':'");
            case '@':
                return IsWordStart(c1)
                    ? new Scanned(SqlToken.Parameter, 1 + WordLength(s[1..]))
                    : Scanned.Fail("unexpected character '@'");
            case '(':
                return new Scanned(SqlToken.LeftParen, 1);
            case ')':
                return new Scanned(SqlToken.RightParen, 1);
            case '[':
                return new Scanned(SqlToken.LeftBracket, 1);
            case ']':
                return new Scanned(SqlToken.RightBracket, 1);
            case ',':
                return new Scanned(SqlToken.Comma, 1);
            case ';':
                return new Scanned(SqlToken.Semicolon, 1);
            case '.':
                return new Scanned(SqlToken.Dot, 1);
            case '+':
                return new Scanned(SqlToken.Plus, 1);
            case '-':
                return new Scanned(SqlToken.Minus, 1);
            case '%':
                return new Scanned(SqlToken.Percent, 1);
            case '*':
                return inHint && c1 == '/' ? new Scanned(SqlToken.HintEnd, 2) : new Scanned(SqlToken.Star, 1);
            case '/':
                // "/*" that is not a hint was already skipped as a comment.
                return c1 == '*' ? new Scanned(SqlToken.HintStart, 3) : new Scanned(SqlToken.Slash, 1);
            case '|':
                return c1 == '|' ? new Scanned(SqlToken.Concat, 2) : Scanned.Fail("unexpected character '|' (did you mean '||'?)");
            case '=':
                return c1 == '>' ? new Scanned(SqlToken.Arrow, 2) : new Scanned(SqlToken.Equal, 1);
            case '<':
                return c1 switch
                {
                    '=' => new Scanned(SqlToken.LessOrEqual, 2),
                    '>' => new Scanned(SqlToken.NotEqual, 2),
                    _ => new Scanned(SqlToken.Less, 1),
                };
            case '>':
                return c1 == '=' ? new Scanned(SqlToken.GreaterOrEqual, 2) : new Scanned(SqlToken.Greater, 1);
            case '!':
                return c1 == '=' ? new Scanned(SqlToken.NotEqual, 2) : Scanned.Fail("unexpected character '!' (did you mean '!='?)");
            default:
                return Scanned.Fail(char.IsControl(c)
                    ? $"unexpected character U+{(int)c:X4}"
                    : $"unexpected character '{c}'");
        }
    }

    private static Scanned ScanWord(ReadOnlySpan<char> s)
    {
        var length = WordLength(s);
        return new Scanned(ReservedWords.Contains(s[..length]) ? SqlToken.Keyword : SqlToken.Identifier, length);
    }

    private static Scanned ScanNumber(ReadOnlySpan<char> s)
    {
        var i = CountWhile(s, char.IsAsciiDigit);
        var kind = SqlToken.Integer;
        if (At(s, i) == '.')
        {
            kind = SqlToken.Decimal;
            i++;
            i += CountWhile(s[i..], char.IsAsciiDigit);
        }
        if (At(s, i) is 'e' or 'E')
        {
            var j = i + 1;
            if (At(s, j) is '+' or '-')
                j++;
            if (!char.IsAsciiDigit(At(s, j)))
                return Scanned.Fail("invalid number: exponent has no digits");
            kind = SqlToken.Approximate;
            i = j + CountWhile(s[j..], char.IsAsciiDigit);
        }
        if (IsWordPart(At(s, i)) || (At(s, i) == '.' && kind == SqlToken.Decimal && char.IsAsciiDigit(At(s, i + 1))))
            return Scanned.Fail($"invalid number '{s[..Math.Min(s.Length, i + 1)]}'");
        return new Scanned(kind, i);
    }

    private static Scanned ScanBinaryString(ReadOnlySpan<char> s)
    {
        var length = QuotedLength(s[1..], '\'');
        if (length < 0)
            return Scanned.Fail("unterminated binary string literal");
        var digits = s[2..length];
        foreach (var d in digits)
        {
            if (!char.IsAsciiHexDigit(d))
                return Scanned.Fail("invalid binary string literal: only hexadecimal digits are allowed");
        }
        return digits.Length % 2 != 0
            ? Scanned.Fail("invalid binary string literal: odd number of hexadecimal digits")
            : new Scanned(SqlToken.BinaryString, 1 + length);
    }

    private static Scanned ScanQuotedIdentifier(ReadOnlySpan<char> s, char quote)
    {
        var length = QuotedLength(s, quote);
        if (length < 0)
            return Scanned.Fail("unterminated quoted identifier");
        return length == 2 ? Scanned.Fail("empty quoted identifier") : new Scanned(SqlToken.QuotedIdentifier, length);
    }

    /// <summary>Length including both quotes, where a doubled quote inside is an escaped quote; -1 if unterminated.</summary>
    private static int QuotedLength(ReadOnlySpan<char> s, char quote)
    {
        var i = 1;
        while (true)
        {
            var end = s[i..].IndexOf(quote);
            if (end < 0)
                return -1;
            i += end + 1;
            if (At(s, i) != quote)
                return i;
            i++;
        }
    }

    private static int WordLength(ReadOnlySpan<char> s) => CountWhile(s, IsWordPart);

    private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static int CountWhile(ReadOnlySpan<char> s, Func<char, bool> predicate)
    {
        var i = 0;
        while (i < s.Length && predicate(s[i]))
            i++;
        return i;
    }

    private static char At(ReadOnlySpan<char> s, int index) => index < s.Length ? s[index] : '\0';
}

/// <summary>A lexical error: where (position and character offset) and what.</summary>
internal sealed record LexicalError(SourcePosition Position, int Offset, string Message);
