using System.Text;
using Tarn.Sql.Lexing;

namespace Tarn.Sql.Tests.Fuzz;

/// <summary>Seeded generators of parser inputs: token soups, token and character mutations of valid SQL, deep nesting.</summary>
internal sealed class FuzzInputs(int seed)
{
    private static readonly Lazy<string[][]> ValidTokens = new(() =>
        FuzzCorpus.Valid.Select(s => SqlTokenizer.TokenizeOrThrow(s).Select(t => t.ToStringValue()).ToArray()).ToArray());

    private static readonly string[] Injections =
    [
        "'", "''", "\"", "`", "--", "/*", "*/", "/*+", ";", "(", ")", "[", "]", "\n", "\r\n", "\t", "\\", "$", "?", ":", "@",
        "\u00e9", "\u4e2d\u6587", "\ud83d\ude00", "\ud83d", "\ude00", "\u0000", "\ufeff", "\u200b", "\u202e", "\u0301", "\uffff",
        "\u00a0", "\u2028", "E'\\x'", "0x", "1e", "1e-", "9999999999999999999999999999999999999999",
    ];

    private static readonly string[] Openers = ["(", "(SELECT ", "ARRAY[", "CASE WHEN ", "NOT ", "- ", "f(", "CAST(", "x IN (", "ROW(", "+", "~"];

    private readonly Random _random = new(seed);

    public int Seed => seed;

    public string Next() => _random.Next(100) switch
    {
        < 30 => TokenSoup(),
        < 65 => TokenMutation(),
        < 92 => CharacterMutation(),
        _ => DeepNesting(),
    };

    /// <summary>Random tokens from the lexer's vocabulary, joined by spaces (or, sometimes, by nothing).</summary>
    public string TokenSoup()
    {
        var vocabulary = FuzzCorpus.Vocabulary;
        var count = _random.Next(1, 60);
        var separator = _random.Next(8) == 0 ? "" : " ";
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
            text.Append(vocabulary[_random.Next(vocabulary.Length)]).Append(separator);
        return text.ToString();
    }

    /// <summary>A valid statement with tokens deleted, duplicated, swapped, replaced, inserted, or cut off.</summary>
    public string TokenMutation()
    {
        var statements = ValidTokens.Value;
        var tokens = new List<string>(statements[_random.Next(statements.Length)]);
        var vocabulary = FuzzCorpus.Vocabulary;
        for (var edits = _random.Next(1, 5); edits > 0 && tokens.Count > 0; edits--)
        {
            var i = _random.Next(tokens.Count);
            switch (_random.Next(7))
            {
                case 0:
                    tokens.RemoveAt(i);
                    break;
                case 1:
                    tokens.InsertRange(i, Enumerable.Repeat(tokens[i], _random.Next(1, 4)));
                    break;
                case 2:
                    var j = _random.Next(tokens.Count);
                    (tokens[i], tokens[j]) = (tokens[j], tokens[i]);
                    break;
                case 3:
                    tokens[i] = vocabulary[_random.Next(vocabulary.Length)];
                    break;
                case 4:
                    tokens.Insert(i, vocabulary[_random.Next(vocabulary.Length)]);
                    break;
                case 5:
                    tokens.RemoveRange(i, tokens.Count - i);
                    break;
                default:
                    // Repeat a slice: long lists, repeated clauses.
                    var length = Math.Min(_random.Next(1, 6), tokens.Count - i);
                    var slice = tokens.GetRange(i, length);
                    for (var r = _random.Next(1, 20); r > 0; r--)
                        tokens.InsertRange(i, slice);
                    break;
            }
        }
        return string.Join(' ', tokens);
    }

    /// <summary>A seed text (valid or not) with characters deleted, inserted (quotes, comments, unicode), or truncated.</summary>
    public string CharacterMutation()
    {
        var seeds = _random.Next(3) == 0 ? FuzzCorpus.Seeds : FuzzCorpus.Valid;
        var text = new StringBuilder(seeds[_random.Next(seeds.Length)]);
        for (var edits = _random.Next(1, 4); edits > 0; edits--)
        {
            var i = _random.Next(text.Length + 1);
            switch (_random.Next(5))
            {
                case 0:
                    text.Length = i;
                    break;
                case 1:
                    if (i < text.Length) text.Remove(i, Math.Min(_random.Next(1, 8), text.Length - i));
                    break;
                case 2:
                    text.Insert(i, Injections[_random.Next(Injections.Length)]);
                    break;
                case 3:
                    text.Insert(i, (char)_random.Next(0, 0x3000));
                    break;
                default:
                    if (i < text.Length) text[i] = char.IsUpper(text[i]) ? char.ToLowerInvariant(text[i]) : char.ToUpperInvariant(text[i]);
                    break;
            }
        }
        return text.ToString();
    }

    public static IReadOnlyList<string> NestingOpeners => Openers;

    /// <summary>Openers repeated up to a few thousand times around a valid expression, closed fully, partly or not at all.</summary>
    public string DeepNesting()
    {
        var opener = Openers[_random.Next(Openers.Length)];
        var depth = _random.Next(4) == 0 ? _random.Next(1, 3000) : _random.Next(1, 400);
        var text = new StringBuilder();
        if (_random.Next(2) == 0) text.Append("SELECT ");
        for (var i = 0; i < depth; i++) text.Append(opener);
        text.Append("1");
        var close = opener switch
        {
            "(SELECT " or "(" or "f(" or "x IN (" or "ROW(" => ")",
            "ARRAY[" => "]",
            "CASE WHEN " => " THEN 1 END",
            "CAST(" => " AS INT)",
            _ => "",
        };
        var closing = _random.Next(3) switch
        {
            0 => depth,
            1 => _random.Next(depth + 1),
            _ => depth + _random.Next(1, 3),
        };
        for (var i = 0; i < closing; i++) text.Append(close);
        return text.ToString();
    }
}
