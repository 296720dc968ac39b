using System.Text.RegularExpressions;
using Tarn.Sql.Lexing;

namespace Tarn.Sql.Tests.Fuzz;

/// <summary>
/// Seed statements for the parser fuzzer: the SQL of tests/Tarn.Tests/sql/**/*.test, examples/*.sql, the article
/// text in ../shared/seed (cut at ';', most pieces are not SQL, which is fine for mutation) and the parser tests'
/// own corpus. Found by walking up from the test binary to the repository root.
/// </summary>
internal static partial class FuzzCorpus
{
    private static readonly Lazy<(string[] Seeds, string[] Valid, string[] Vocabulary)> Loaded = new(Load);

    /// <summary>Every seed text, valid or not.</summary>
    public static string[] Seeds => Loaded.Value.Seeds;

    /// <summary>The seeds that parse as one statement.</summary>
    public static string[] Valid => Loaded.Value.Valid;

    /// <summary>Token texts: every token of the valid seeds, the grammar's keywords and lexer punctuation.</summary>
    public static string[] Vocabulary => Loaded.Value.Vocabulary;

    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embedded.sln")))
                return dir.FullName;
        }
        return null;
    }

    private static (string[], string[], string[]) Load()
    {
        var seeds = new List<string>(Corpus.Statements);
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        var root = RepositoryRoot();
        if (root is not null)
        {
            var tests = Path.Combine(root, "tests", "Tarn.Tests", "sql");
            if (Directory.Exists(tests))
            {
                foreach (var file in Directory.EnumerateFiles(tests, "*.test", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    seeds.AddRange(SqlLogicStatements(File.ReadAllText(file)));
            }
            var examples = Path.Combine(root, "examples");
            if (Directory.Exists(examples))
            {
                foreach (var file in Directory.EnumerateFiles(examples, "*.sql", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    seeds.AddRange(SqlScript.Split(File.ReadAllText(file)).Select(s => s.Text));
            }
            for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
            {
                var shared = Path.Combine(dir.FullName, "shared", "seed");
                if (!Directory.Exists(shared))
                    continue;
                foreach (var file in Directory.EnumerateFiles(shared, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    seeds.AddRange(File.ReadAllText(file).Split(';').Select(s => s.Trim()).Where(s => s.Length > 0 && s.Length < 4000));
                break;
            }
            var parsing = Path.Combine(root, "src", "Tarn.Sql", "Parsing");
            if (Directory.Exists(parsing))
            {
                foreach (var file in Directory.EnumerateFiles(parsing, "*.cs"))
                {
                    foreach (Match m in KeywordPattern().Matches(File.ReadAllText(file)))
                        keywords.Add(m.Groups[1].Value);
                }
            }
        }
        var valid = new List<string>();
        var vocabulary = new HashSet<string>(keywords, StringComparer.Ordinal);
        foreach (var seed in seeds.Distinct(StringComparer.Ordinal))
        {
            try
            {
                SqlParser.ParseStatement(seed);
                valid.Add(seed);
                foreach (var token in SqlTokenizer.TokenizeOrThrow(seed))
                    vocabulary.Add(token.ToStringValue());
            }
            catch (TarnException)
            {
            }
        }
        foreach (var word in ReservedWordList)
            vocabulary.Add(word);
        foreach (var punctuation in Punctuation)
            vocabulary.Add(punctuation);
        return (seeds.Distinct(StringComparer.Ordinal).ToArray(), valid.ToArray(), vocabulary.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The SQL of each statement and query record of a sqllogictest file.</summary>
    public static IEnumerable<string> SqlLogicStatements(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("statement ", StringComparison.Ordinal) && !lines[i].StartsWith("query ", StringComparison.Ordinal))
                continue;
            var sql = new List<string>();
            for (i++; i < lines.Length && lines[i].Length > 0 && lines[i] != "----"; i++)
                sql.Add(lines[i]);
            if (sql.Count > 0)
                yield return string.Join('\n', sql);
        }
    }

    private static readonly string[] ReservedWordList =
    [
        "ALL", "AND", "AS", "BETWEEN", "BY", "CASE", "CROSS", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
        "DISTINCT", "ELSE", "END", "ESCAPE", "EXCEPT", "EXISTS", "FALSE", "FETCH", "FOR", "FROM", "FULL", "GROUP",
        "HAVING", "IN", "INNER", "INTERSECT", "INTERVAL", "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT",
        "LOCALTIME", "LOCALTIMESTAMP", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "OUTER", "OVER",
        "QUALIFY", "RIGHT", "SELECT", "SIMILAR", "TABLE", "THEN", "TRUE", "UNION", "UNKNOWN", "USING", "VALUES",
        "WHEN", "WHERE", "WINDOW", "WITH",
    ];

    public static readonly string[] Punctuation =
    [
        "(", ")", "[", "]", "{", "}", ",", ";", ".", "*", "+", "-", "/", "%", "||", "=", "==", "<>", "!=", "<", "<=", ">", ">=",
        "?", "$1", "$0", "$99999999999", ":name", "@name", "::", "=>", "->", "/*+", "*/", "'", "\"", "`", "--", "/*", "^", "&", "|", "~", "!",
        "0", "1", "-1", "1.5", ".5", "1e10", "1e", "1E+400", "99999999999999999999999999999999999999", "0x1F", "X'0A'", "x'G'", "N'x'", "U&'x'",
        "'it''s'", "''", "`a``b`", "``", "\"q\"", "''''", "\\", "\t", "\n", "#", "\u00e9", "\u4e2d", "\ud83d\ude00", "\u0000", "\ufeff",
    ];

    [GeneratedRegex("\"([A-Z][A-Z_]+)\"")]
    private static partial Regex KeywordPattern();
}
