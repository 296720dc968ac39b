using System.Globalization;

namespace Tarn.Server.PgWire;

/// <summary>
/// Recognizes the changelog statements the wire endpoint answers itself (Materialize's dialect):
/// <c>SUBSCRIBE [TO] (query) | SUBSCRIBE [TO] name [WITH (SNAPSHOT = bool, PROGRESS [= bool])]</c>, <c>DECLARE name
/// CURSOR FOR {SUBSCRIBE ... | query}</c>, RisingWave's <c>DECLARE name SUBSCRIPTION CURSOR FOR sub [SINCE ... | FULL]</c>,
/// <c>FETCH [FORWARD|NEXT] [count|ALL] [FROM|IN] name [WITH (timeout = 'interval')]</c> and <c>CLOSE name</c>.
/// Syntax errors are <see cref="TarnException"/>s with SQLSTATE 42601, like the engine's.
/// </summary>
internal static class PgCursorText
{
    /// <summary>A parsed FETCH: at most <paramref name="Count"/> rows (0 = ALL), waiting at most <paramref name="Timeout"/> (null = until a row).</summary>
    internal readonly record struct Fetch(string Cursor, int Count, TimeSpan? Timeout);

    /// <summary>A parsed DECLARE: the cursor's name, whether it follows a changelog (and how), the query text, WITH HOLD.</summary>
    internal readonly record struct Declare(string Cursor, bool Subscribe, string Query, bool Hold, TarnSubscribeOptions Options);

    /// <summary>A parsed SUBSCRIBE: the query it follows and its WITH options (SNAPSHOT, PROGRESS).</summary>
    internal readonly record struct Subscribe(string Query, TarnSubscribeOptions Options);

    public static bool IsSubscribe(string sql) => FirstWord(sql) == "SUBSCRIBE";

    public static string FirstWord(string sql) => PgStatementText.LeadingWords(sql.TrimStart('('), 1);

    /// <summary>The query a SUBSCRIBE follows (the parenthesized query, or <c>SELECT * FROM name</c>) and its options.</summary>
    public static Subscribe ParseSubscribe(string sql)
    {
        var lexer = new Lexer(sql);
        lexer.Expect("SUBSCRIBE");
        lexer.Optional("TO");
        lexer.SkipSpace();
        string query;
        if (lexer.Peek == '(')
        {
            query = lexer.Parenthesized();
        }
        else
        {
            var rest = lexer.Rest;
            var word = PgStatementText.LeadingWords(rest, 1);
            if (word is "SELECT" or "WITH" or "VALUES" or "TABLE") return new(StripOptions(rest), TarnSubscribeOptions.Default); // unparenthesized query: lenient
            query = "SELECT * FROM " + lexer.Name();
        }
        var options = TarnSubscribeOptions.Default;
        if (lexer.PeekWord() == "WITH")
        {
            lexer.Word();
            foreach (var (key, value) in lexer.Options())
            {
                var on = value.Length == 0 || ParseBool(key, value); // a bare option name means true, as in Materialize
                options = key.ToUpperInvariant() switch
                {
                    "SNAPSHOT" => options with { Snapshot = on },
                    "PROGRESS" => options with { Progress = on },
                    _ => throw new TarnException(SqlStates.SyntaxError, $"unknown SUBSCRIBE option \"{key}\" (SNAPSHOT and PROGRESS are known)"),
                };
            }
        }
        lexer.End();
        return new(query, options);
    }

    private static bool ParseBool(string key, string value) => value.ToLowerInvariant() switch
    {
        "true" or "on" or "1" or "yes" => true,
        "false" or "off" or "0" or "no" => false,
        _ => throw new TarnException(SqlStates.InvalidParameterValue, $"option \"{key}\" needs a boolean, not \"{value}\""),
    };

    private static string StripOptions(string query) => query.TrimEnd().TrimEnd(';');

    public static Declare ParseDeclare(string sql)
    {
        var lexer = new Lexer(sql);
        lexer.Expect("DECLARE");
        var name = lexer.Name();
        var hold = false;
        while (true)
        {
            var word = lexer.Word();
            if (word is "BINARY" or "INSENSITIVE" or "ASENSITIVE" or "NO" or "SCROLL") continue;
            if (word == "CURSOR") break;
            throw lexer.Error("expected CURSOR");
        }
        var next = lexer.Word();
        if (next is "WITH" or "WITHOUT")
        {
            lexer.Expect("HOLD");
            hold = next == "WITH";
            next = lexer.Word();
        }
        if (next != "FOR") throw lexer.Error("expected FOR");
        var query = StripOptions(lexer.Rest);
        if (query.Length == 0) throw lexer.Error("expected a query");
        if (!IsSubscribe(query)) return new Declare(name, false, query, hold, TarnSubscribeOptions.Default);
        var subscribe = ParseSubscribe(query);
        return new Declare(name, true, subscribe.Query, hold, subscribe.Options);
    }

    /// <summary>A parsed DECLARE ... SUBSCRIPTION CURSOR: the cursor, the subscription (plain dotted name), where it starts.</summary>
    internal readonly record struct SubscriptionDeclare(string Cursor, string Subscription, TarnSubscriptionStart Start);

    /// <summary>
    /// RisingWave's <c>DECLARE name SUBSCRIPTION CURSOR FOR sub [SINCE now() | proctime() | begin() | unix_ms | FULL]</c>;
    /// null when the DECLARE is of another kind.
    /// </summary>
    public static SubscriptionDeclare? ParseSubscriptionDeclare(string sql)
    {
        var lexer = new Lexer(sql);
        lexer.Expect("DECLARE");
        var name = lexer.Name();
        if (lexer.PeekWord() != "SUBSCRIPTION") return null;
        lexer.Word();
        lexer.Expect("CURSOR");
        lexer.Expect("FOR");
        var subscription = PlainName(lexer.Name());
        var start = TarnSubscriptionStart.Now;
        var word = lexer.PeekWord();
        if (word == "FULL")
        {
            lexer.Word();
            start = TarnSubscriptionStart.Full;
        }
        else if (word == "SINCE")
        {
            lexer.Word();
            lexer.SkipSpace();
            if (lexer.Peek is >= '0' and <= '9')
            {
                var digits = lexer.Digits();
                if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var millis))
                    throw new TarnException(SqlStates.InvalidParameterValue, $"SINCE {digits} is not a Unix time in milliseconds");
                start = TarnSubscriptionStart.Since(millis);
            }
            else
            {
                var function = lexer.Word();
                if (lexer.Parenthesized().Trim().Length != 0) throw lexer.Error("expected ()");
                start = function switch
                {
                    "NOW" or "PROCTIME" => TarnSubscriptionStart.Now,
                    "BEGIN" => TarnSubscriptionStart.Begin,
                    _ => throw lexer.Error("expected now(), proctime(), begin() or a Unix time in milliseconds after SINCE"),
                };
            }
        }
        lexer.End();
        return new SubscriptionDeclare(name, subscription, start);
    }

    /// <summary>A dotted name as SQL text (parts plain or "quoted") to the plain dotted name the engine resolves.</summary>
    private static string PlainName(string text)
    {
        var parts = text.Split('.');
        for (var i = 0; i < parts.Length; i++)
            if (parts[i].Length >= 2 && parts[i][0] is '"' or '`') parts[i] = parts[i][1..^1];
        return string.Join('.', parts);
    }

    public static Fetch ParseFetch(string sql)
    {
        var lexer = new Lexer(sql);
        lexer.Expect("FETCH");
        var count = 1;
        lexer.SkipSpace();
        var word = lexer.PeekWord();
        if (word is "FORWARD" or "NEXT") { lexer.Word(); word = lexer.PeekWord(); }
        if (word == "ALL") { lexer.Word(); count = 0; }
        else if (lexer.Peek is >= '0' and <= '9')
        {
            var digits = lexer.Digits();
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out count)) count = 0; // beyond int: as good as ALL
        }
        word = lexer.PeekWord();
        if (word is "FROM" or "IN") lexer.Word();
        var name = lexer.Name();
        TimeSpan? timeout = null;
        if (lexer.PeekWord() == "WITH")
        {
            lexer.Word();
            lexer.SkipSpace();
            foreach (var (key, value) in lexer.Options())
            {
                if (!key.Equals("timeout", StringComparison.OrdinalIgnoreCase))
                    throw new TarnException(SqlStates.SyntaxError, $"unknown FETCH option \"{key}\"");
                timeout = ParseInterval(value);
            }
        }
        lexer.End();
        return new Fetch(name, count, timeout);
    }

    /// <summary>The cursor a <c>CLOSE name</c> closes, or null for <c>CLOSE ALL</c>.</summary>
    public static string? ParseClose(string sql)
    {
        var lexer = new Lexer(sql);
        lexer.Expect("CLOSE");
        lexer.SkipSpace();
        if (lexer.PeekWord() == "ALL") { lexer.Word(); lexer.End(); return null; }
        var name = lexer.Name();
        lexer.End();
        return name;
    }

    /// <summary>'1s', '500ms', '0', '2 seconds', '1 minute', '00:00:05'; a bare number is seconds.</summary>
    public static TimeSpan ParseInterval(string text)
    {
        var s = text.Trim();
        if (TimeSpan.TryParseExact(s, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var clock)) return clock;
        var i = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
        if (i == 0 || !double.TryParse(s.AsSpan(0, i), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            throw new TarnException(SqlStates.InvalidParameterValue, $"invalid interval \"{text}\"");
        var unit = s[i..].Trim().ToLowerInvariant();
        var milliseconds = unit switch
        {
            "" or "s" or "sec" or "secs" or "second" or "seconds" => amount * 1000,
            "ms" or "msec" or "millisecond" or "milliseconds" => amount,
            "us" or "microsecond" or "microseconds" => amount / 1000,
            "m" or "min" or "mins" or "minute" or "minutes" => amount * 60_000,
            "h" or "hour" or "hours" => amount * 3_600_000,
            _ => throw new TarnException(SqlStates.InvalidParameterValue, $"invalid interval \"{text}\""),
        };
        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, TimeSpan.FromDays(1).TotalMilliseconds));
    }

    /// <summary>A tiny tokenizer over statement text: words, names (plain or "quoted", dotted), parenthesized text, WITH options.</summary>
    private ref struct Lexer(string text)
    {
        private readonly string _text = text;
        private int _at;

        public readonly char Peek => _at < _text.Length ? _text[_at] : '\0';

        public readonly string Rest => _text[_at..].Trim();

        public void SkipSpace()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++;
        }

        public string Word()
        {
            SkipSpace();
            var start = _at;
            while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_')) _at++;
            return _text[start.._at].ToUpperInvariant();
        }

        public string PeekWord()
        {
            var saved = _at;
            var word = Word();
            _at = saved;
            return word;
        }

        public string Digits()
        {
            SkipSpace();
            var start = _at;
            while (_at < _text.Length && char.IsAsciiDigit(_text[_at])) _at++;
            return _text[start.._at];
        }

        public void Expect(string word)
        {
            if (Word() != word) throw Error("expected " + word);
        }

        public void Optional(string word)
        {
            if (PeekWord() == word) Word();
        }

        /// <summary>A possibly dotted name of plain (folded to lower case) or double-quoted parts, kept as SQL text.</summary>
        public string Name()
        {
            SkipSpace();
            var start = _at;
            while (true)
            {
                if (Peek is '"' or '`')
                {
                    var quote = Peek;
                    var close = _text.IndexOf(quote, _at + 1);
                    if (close < 0) throw Error("unterminated quoted name");
                    _at = close + 1;
                }
                else
                {
                    var partStart = _at;
                    while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '_' or '$')) _at++;
                    if (_at == partStart) throw Error("expected a name");
                }
                if (Peek != '.') break;
                _at++;
            }
            return _text[start.._at];
        }

        /// <summary>The text inside balanced parentheses (quotes and comments respected), the parentheses consumed.</summary>
        public string Parenthesized()
        {
            SkipSpace();
            if (Peek != '(') throw Error("expected (");
            var depth = 0;
            var start = _at + 1;
            for (; _at < _text.Length; _at++)
            {
                var c = _text[_at];
                if (c is '\'' or '"' or '`')
                {
                    var close = _text.IndexOf(c, _at + 1);
                    if (close < 0) throw Error("unterminated quoted text");
                    _at = close;
                }
                else if (c == '(') depth++;
                else if (c == ')' && --depth == 0)
                {
                    var inner = _text[start.._at];
                    _at++;
                    return inner;
                }
            }
            throw Error("unbalanced parentheses");
        }

        public List<(string Key, string Value)> Options()
        {
            var inner = Parenthesized();
            var options = new List<(string, string)>();
            foreach (var part in inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                var key = (eq < 0 ? part : part[..eq]).Trim();
                var value = eq < 0 ? "" : part[(eq + 1)..].Trim().Trim('\'');
                options.Add((key, value));
            }
            return options;
        }

        public void End()
        {
            SkipSpace();
            while (Peek == ';') { _at++; SkipSpace(); }
            if (_at < _text.Length) throw Error($"unexpected text \"{_text[_at..]}\"");
        }

        public readonly TarnException Error(string what) =>
            new(SqlStates.SyntaxError, $"syntax error at or near position {_at + 1}: {what}");
    }
}
