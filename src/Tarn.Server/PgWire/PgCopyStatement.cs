using System.Text;

namespace Tarn.Server.PgWire;

/// <summary>
/// Recognizes PostgreSQL's <c>COPY</c> (the engine's SQL dialect has none): <c>COPY t [(cols)] FROM STDIN</c> and
/// <c>COPY t|(query) TO STDOUT</c>, with options as <c>WITH (FORMAT csv, HEADER, DELIMITER ';', NULL '', QUOTE '"',
/// ESCAPE '\')</c> or in the pre-9.0 form psql's <c>\copy</c> passes through (<c>CSV HEADER</c>, <c>DELIMITER AS ','</c>).
/// Errors are 42601 (syntax) or 0A000 (files and programs: only the client's stream is served).
/// </summary>
internal static class PgCopyStatement
{
    /// <summary>Whether the statement starts with the word COPY.</summary>
    public static bool IsCopy(string sql)
    {
        var span = sql.AsSpan().TrimStart();
        return span.Length > 4 && span.StartsWith("COPY", StringComparison.OrdinalIgnoreCase) && !char.IsAsciiLetterOrDigit(span[4]) && span[4] != '_';
    }

    public static PgCopyCommand Parse(string sql)
    {
        var t = new Tokens(sql);
        t.ExpectWord("COPY");
        string? query = null;
        List<string> name = [];
        List<string>? columns = null;
        if (t.TryPunct('('))
        {
            query = t.TakeParenthesized();
        }
        else
        {
            if (t.PeekWord("BINARY")) t.Next(); // COPY BINARY t ... (pre-7.3 syntax)
            name.Add(t.Identifier());
            while (t.TryPunct('.')) name.Add(t.Identifier());
            if (t.TryPunct('(')) columns = IdentifierList(ref t);
        }
        var isFrom = t.TryWord("FROM");
        if (!isFrom) t.ExpectWord("TO");
        if (query is not null && isFrom) throw Syntax("COPY (query) FROM is not valid; COPY FROM takes a table");
        if (t.PeekString(out _) || t.PeekWord("PROGRAM"))
            throw new TarnException(SqlStates.FeatureNotSupported, $"COPY {(isFrom ? "FROM" : "TO")} a file or program is not supported: use COPY ... {(isFrom ? "FROM STDIN" : "TO STDOUT")} (psql: \\copy)");
        if (!t.TryWord(isFrom ? "STDIN" : "STDOUT")) throw Syntax($"expected {(isFrom ? "STDIN" : "STDOUT")}");
        var options = new Options();
        t.TryWord("WITH");
        if (t.TryPunct('('))
        {
            do ReadOption(ref t, options);
            while (t.TryPunct(','));
            t.ExpectPunct(')');
        }
        else
        {
            while (!t.AtEnd && !t.PeekPunct(';')) ReadLegacyOption(ref t, options);
        }
        t.TryPunct(';');
        if (!t.AtEnd) throw Syntax($"unexpected text after COPY: \"{t.Rest}\"");
        return options.Build(name, columns, query, isFrom);
    }

    private static List<string> IdentifierList(ref Tokens t)
    {
        var list = new List<string>();
        do list.Add(t.Identifier());
        while (t.TryPunct(','));
        t.ExpectPunct(')');
        return list;
    }

    private static void ReadOption(ref Tokens t, Options o)
    {
        var option = t.Identifier().ToUpperInvariant();
        switch (option)
        {
            case "FORMAT": o.Format = ParseFormat(t.Value()); break;
            case "DELIMITER": o.Delimiter = t.Value(); break;
            case "NULL": o.Null = t.Value(); break;
            case "HEADER": o.Header = t.AtOptionEnd || ParseBool(t.Value(), option); break;
            case "QUOTE": o.Quote = t.Value(); break;
            case "ESCAPE": o.Escape = t.Value(); break;
            case "FORCE_QUOTE": o.ForceQuote = t.TryPunct('*') ? [] : t.TryPunct('(') ? IdentifierList(ref t) : throw Syntax("FORCE_QUOTE needs (columns) or *"); break;
            case "FORCE_NOT_NULL" or "FORCE_NULL":
                if (t.TryPunct('*')) break;
                t.ExpectPunct('(');
                IdentifierList(ref t);
                break;
            case "ENCODING":
                var encoding = t.Value().Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
                if (encoding is not ("UTF8" or "SQL_ASCII")) throw new TarnException(SqlStates.FeatureNotSupported, $"COPY ENCODING '{encoding}' is not supported: Tarn speaks UTF8");
                break;
            case "FREEZE": if (!t.AtOptionEnd) t.Value(); break;
            default: throw Syntax($"option \"{option.ToLowerInvariant()}\" not recognized");
        }
    }

    private static void ReadLegacyOption(ref Tokens t, Options o)
    {
        var word = t.Identifier().ToUpperInvariant();
        switch (word)
        {
            case "BINARY": o.Format = PgCopyFormat.Binary; break;
            case "CSV": o.Format = PgCopyFormat.Csv; break;
            case "HEADER": o.Header = true; break;
            case "DELIMITER": t.TryWord("AS"); o.Delimiter = t.String(); break;
            case "NULL": t.TryWord("AS"); o.Null = t.String(); break;
            case "QUOTE": t.TryWord("AS"); o.Quote = t.String(); break;
            case "ESCAPE": t.TryWord("AS"); o.Escape = t.String(); break;
            case "FORCE":
                if (t.TryWord("QUOTE")) { o.ForceQuote = t.TryPunct('*') ? [] : ColumnNames(ref t); break; }
                t.TryWord("NOT");
                t.ExpectWord("NULL");
                ColumnNames(ref t);
                break;
            case "OIDS": break;
            default: throw Syntax($"syntax error at or near \"{word.ToLowerInvariant()}\"");
        }
    }

    /// <summary>The legacy FORCE lists: bare comma-separated names.</summary>
    private static List<string> ColumnNames(ref Tokens t)
    {
        var list = new List<string> { t.Identifier() };
        while (t.TryPunct(',')) list.Add(t.Identifier());
        return list;
    }

    private static PgCopyFormat ParseFormat(string value) => value.ToUpperInvariant() switch
    {
        "TEXT" => PgCopyFormat.Text,
        "CSV" => PgCopyFormat.Csv,
        "BINARY" => PgCopyFormat.Binary,
        _ => throw new TarnException(SqlStates.InvalidParameterValue, $"COPY format \"{value}\" not recognized"),
    };

    private static bool ParseBool(string value, string option) => value.ToUpperInvariant() switch
    {
        "TRUE" or "ON" or "1" or "YES" or "MATCH" => true,
        "FALSE" or "OFF" or "0" or "NO" => false,
        _ => throw new TarnException(SqlStates.InvalidParameterValue, $"{option.ToLowerInvariant()} requires a Boolean value"),
    };

    private static TarnException Syntax(string message) => new(SqlStates.SyntaxError, message);

    private sealed class Options
    {
        public PgCopyFormat Format;
        public string? Delimiter;
        public string? Null;
        public bool Header;
        public string? Quote;
        public string? Escape;
        public List<string>? ForceQuote;

        public PgCopyCommand Build(List<string> name, List<string>? columns, string? query, bool isFrom)
        {
            var csv = Format == PgCopyFormat.Csv;
            if (Format == PgCopyFormat.Binary && (Delimiter ?? Null ?? Quote ?? Escape) is not null)
                throw new TarnException(SqlStates.SyntaxError, "cannot specify DELIMITER, NULL, QUOTE or ESCAPE in BINARY mode");
            if (!csv && (Quote ?? Escape) is not null) throw new TarnException(SqlStates.FeatureNotSupported, "COPY QUOTE and ESCAPE are available only in CSV mode");
            if (!csv && ForceQuote is not null) throw new TarnException(SqlStates.FeatureNotSupported, "COPY FORCE_QUOTE is available only in CSV mode");
            var delimiter = OneByte(Delimiter, csv ? (byte)',' : (byte)'\t', "COPY delimiter");
            var quote = OneByte(Quote, (byte)'"', "COPY quote");
            var escape = OneByte(Escape, quote, "COPY escape");
            if (delimiter is (byte)'\r' or (byte)'\n' || (!csv && delimiter == (byte)'\\')) throw new TarnException(SqlStates.InvalidParameterValue, "COPY delimiter cannot be newline, carriage return or backslash");
            if (csv && delimiter == quote) throw new TarnException(SqlStates.InvalidParameterValue, "COPY delimiter and quote must be different");
            var nullText = Null ?? (csv ? "" : "\\N");
            if (nullText.Contains('\r', StringComparison.Ordinal) || nullText.Contains('\n', StringComparison.Ordinal))
                throw new TarnException(SqlStates.InvalidParameterValue, "COPY null representation cannot use newline or carriage return");
            return new PgCopyCommand
            {
                TableName = name,
                Columns = columns,
                Query = query,
                IsFrom = isFrom,
                Format = Format,
                Delimiter = delimiter,
                Null = Encoding.UTF8.GetBytes(nullText),
                Header = Header,
                Quote = quote,
                Escape = escape,
                ForceQuote = ForceQuote,
            };
        }

        private static byte OneByte(string? value, byte fallback, string what)
        {
            if (value is null) return fallback;
            if (value.Length != 1 || value[0] > 127) throw new TarnException(SqlStates.FeatureNotSupported, $"{what} must be a single one-byte character");
            return (byte)value[0];
        }
    }

    /// <summary>A tiny tokenizer over the statement: words, "quoted" identifiers, 'strings' (and E'escaped'), punctuation.</summary>
    private ref struct Tokens(string sql)
    {
        private readonly string _sql = sql;
        private int _pos;

        public bool AtEnd { get { SkipSpace(); return _pos >= _sql.Length; } }

        public string Rest => _sql[_pos..];

        /// <summary>True when the next token ends an option (a comma or the closing parenthesis).</summary>
        public bool AtOptionEnd => PeekPunct(',') || PeekPunct(')');

        private void SkipSpace()
        {
            while (_pos < _sql.Length)
            {
                if (char.IsWhiteSpace(_sql[_pos])) { _pos++; continue; }
                if (_sql[_pos] == '-' && _pos + 1 < _sql.Length && _sql[_pos + 1] == '-')
                {
                    var end = _sql.IndexOf('\n', _pos);
                    _pos = end < 0 ? _sql.Length : end + 1;
                    continue;
                }
                break;
            }
        }

        public bool PeekPunct(char c) { SkipSpace(); return _pos < _sql.Length && _sql[_pos] == c; }

        public bool TryPunct(char c)
        {
            if (!PeekPunct(c)) return false;
            _pos++;
            return true;
        }

        public void ExpectPunct(char c)
        {
            if (!TryPunct(c)) throw Syntax($"syntax error in COPY: expected '{c}' at \"{Snippet()}\"");
        }

        private string Snippet() => _pos >= _sql.Length ? "end of input" : _sql[_pos..Math.Min(_sql.Length, _pos + 20)];

        private int WordEnd()
        {
            var end = _pos;
            while (end < _sql.Length && (char.IsLetterOrDigit(_sql[end]) || _sql[end] is '_' or '$')) end++;
            return end;
        }

        public bool PeekWord(string word)
        {
            SkipSpace();
            var end = WordEnd();
            return end - _pos == word.Length && string.Compare(_sql, _pos, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0;
        }

        public bool TryWord(string word)
        {
            if (!PeekWord(word)) return false;
            _pos += word.Length;
            return true;
        }

        public void ExpectWord(string word)
        {
            if (!TryWord(word)) throw Syntax($"syntax error in COPY: expected {word} at \"{Snippet()}\"");
        }

        public void Next() => _pos = WordEnd();

        public bool PeekString(out bool escaped)
        {
            SkipSpace();
            escaped = _pos + 1 < _sql.Length && _sql[_pos] is 'E' or 'e' && _sql[_pos + 1] == '\'';
            return _pos < _sql.Length && (_sql[_pos] == '\'' || escaped);
        }

        /// <summary>An identifier: a bare word (folded to lower case, as PostgreSQL does) or a "quoted" one (kept as written).</summary>
        public string Identifier()
        {
            SkipSpace();
            if (_pos < _sql.Length && _sql[_pos] is '"' or '`') return Quoted(_sql[_pos]);
            var end = WordEnd();
            if (end == _pos) throw Syntax($"syntax error in COPY at \"{Snippet()}\"");
            var word = _sql[_pos..end];
            _pos = end;
            return word.ToLowerInvariant();
        }

        /// <summary>An option value: a string, a word or a number.</summary>
        public string Value()
        {
            if (PeekString(out _)) return String();
            SkipSpace();
            if (_pos < _sql.Length && _sql[_pos] is '"' or '`') return Quoted(_sql[_pos]);
            var end = _pos;
            while (end < _sql.Length && (char.IsLetterOrDigit(_sql[end]) || _sql[end] is '_' or '-' or '+' or '.')) end++;
            if (end == _pos) throw Syntax($"syntax error in COPY: expected a value at \"{Snippet()}\"");
            var word = _sql[_pos..end];
            _pos = end;
            return word;
        }

        public string String()
        {
            if (!PeekString(out var escaped)) throw Syntax($"syntax error in COPY: expected a string at \"{Snippet()}\"");
            if (escaped) _pos++;
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _sql.Length) throw Syntax("unterminated quoted string in COPY");
                var c = _sql[_pos++];
                if (c == '\'')
                {
                    if (_pos < _sql.Length && _sql[_pos] == '\'') { sb.Append('\''); _pos++; continue; }
                    return sb.ToString();
                }
                if (escaped && c == '\\' && _pos < _sql.Length)
                {
                    var e = _sql[_pos++];
                    sb.Append(e switch { 't' => '\t', 'n' => '\n', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => e });
                    continue;
                }
                sb.Append(c);
            }
        }

        private string Quoted(char quote)
        {
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _sql.Length) throw Syntax("unterminated quoted identifier in COPY");
                var c = _sql[_pos++];
                if (c == quote)
                {
                    if (_pos < _sql.Length && _sql[_pos] == quote) { sb.Append(quote); _pos++; continue; }
                    return sb.ToString();
                }
                sb.Append(c);
            }
        }

        /// <summary>The text inside parentheses (the opening one already taken), skipping quoted text and nested parentheses.</summary>
        public string TakeParenthesized()
        {
            var start = _pos;
            var depth = 1;
            while (_pos < _sql.Length)
            {
                var c = _sql[_pos];
                if (c is '\'' or '"' or '`')
                {
                    var close = _sql.IndexOf(c, _pos + 1);
                    if (close < 0) break;
                    _pos = close + 1;
                    continue;
                }
                _pos++;
                if (c == '(') depth++;
                else if (c == ')' && --depth == 0) return _sql[start..(_pos - 1)];
            }
            throw Syntax("unbalanced parentheses in COPY (query)");
        }
    }
}
