using System.Text;
using CsCheck;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;

namespace Tarn.Sql.Tests;

/// <summary>Whatever the input, the parser either succeeds or throws TarnException 42601: never another exception, never a stack overflow.</summary>
public class RobustnessTests
{
    private static readonly string[][] CorpusTokens =
        Corpus.Statements.Select(s => SqlTokenizer.TokenizeOrThrow(s).Select(t => t.ToStringValue()).ToArray()).ToArray();

    private static readonly string[] Vocabulary =
        CorpusTokens.SelectMany(t => t).Concat(["(", ")", "[", "]", ";", "/*+", "*/", "'", "`", "\"", "--", "/*", "END", "CASE", "BEGIN", "STATEMENT", "SET", "?", "::", "=>", "."])
            .Distinct().ToArray();

    /// <summary>Parses <paramref name="sql"/> every way there is; a non-syntax exception escapes and fails the test.</summary>
    private static void ParseAllWays(string sql)
    {
        foreach (var parse in new Action[]
                 {
                     () => SqlParser.ParseScript(sql),
                     () => SqlParser.ParseStatement(sql),
                     () => SqlParser.ParseExpression(sql),
                     () => SqlParser.ParseDataType(sql),
                     () => SqlScript.Split(sql),
                     () => SqlScript.IsComplete(sql),
                 })
        {
            try
            {
                parse();
            }
            catch (TarnException e) when (e.SqlState == SqlStates.SyntaxError && e.Position is not null)
            {
            }
        }
    }

    private enum Edit
    {
        Delete,
        Duplicate,
        Swap,
        Insert,
        Replace,
        Truncate,
    }

    private static readonly Gen<string> TokenMutations =
        Gen.Select(Gen.Int[0, CorpusTokens.Length - 1], Gen.Select(Gen.Enum<Edit>(), Gen.Int[0, 1000], Gen.Int[0, Vocabulary.Length - 1]).Array[1, 4],
            (statement, edits) =>
            {
                var tokens = new List<string>(CorpusTokens[statement]);
                foreach (var (edit, where, word) in edits)
                {
                    if (tokens.Count == 0)
                        break;
                    var i = where % tokens.Count;
                    switch (edit)
                    {
                        case Edit.Delete:
                            tokens.RemoveAt(i);
                            break;
                        case Edit.Duplicate:
                            tokens.Insert(i, tokens[i]);
                            break;
                        case Edit.Swap when i + 1 < tokens.Count:
                            (tokens[i], tokens[i + 1]) = (tokens[i + 1], tokens[i]);
                            break;
                        case Edit.Insert:
                            tokens.Insert(i, Vocabulary[word]);
                            break;
                        case Edit.Replace:
                            tokens[i] = Vocabulary[word];
                            break;
                        case Edit.Truncate:
                            tokens.RemoveRange(i, tokens.Count - i);
                            break;
                    }
                }
                return string.Join(' ', tokens);
            });

    private static readonly Gen<string> CharacterMutations =
        Gen.Select(Gen.Int[0, Corpus.Statements.Length - 1], Gen.Int[0, 100_000], Gen.Int[0, 3], Gen.Char["'\"`/*-;()\n?:$@x"],
            (statement, where, edit, c) =>
            {
                var text = Corpus.Statements[statement];
                var i = where % (text.Length + 1);
                return edit switch
                {
                    0 => text[..i],
                    1 => i < text.Length ? text.Remove(i, 1) : text,
                    2 => text.Insert(i, c.ToString()),
                    _ => text[i..],
                };
            });

    private static readonly Gen<string> TokenSoup =
        Gen.Int[0, Vocabulary.Length - 1].Array[1, 40].Select(words => string.Join(' ', words.Select(w => Vocabulary[w])));

    [Fact]
    public void Token_mutations_of_valid_statements() => TokenMutations.Sample(ParseAllWays, iter: 4000);

    [Fact]
    public void Character_mutations_and_truncations_of_valid_statements() => CharacterMutations.Sample(ParseAllWays, iter: 3000);

    [Fact]
    public void Random_token_soups() => TokenSoup.Sample(ParseAllWays, iter: 3000);

    [Fact]
    public void Every_prefix_of_every_corpus_statement()
    {
        foreach (var tokens in CorpusTokens)
        {
            for (var n = 0; n <= tokens.Length; n++)
                ParseAllWays(string.Join(' ', tokens.Take(n)));
        }
    }

    [Theory]
    [InlineData("(", "1", ")")]
    [InlineData("(SELECT ", "1", ")")]
    [InlineData("f(", "1", ")")]
    [InlineData("CASE WHEN ", "1 THEN 1 END", "")]
    [InlineData("NOT ", "a", "")]
    [InlineData("- ", "a", "")]
    [InlineData("ARRAY[", "1", "]")]
    [InlineData("CAST(", "1 AS INT", ")")]
    [InlineData("x IN (", "1", ")")]
    [InlineData("EXISTS (SELECT ", "1", ")")]
    public void Deep_nesting_is_a_syntax_error_not_a_crash(string open, string middle, string close)
    {
        var sql = string.Concat(Enumerable.Repeat(open, 50_000)) + middle + string.Concat(Enumerable.Repeat(close, 50_000));
        var error = Assert.Throws<TarnException>(() => SqlParser.ParseExpression(sql));
        Assert.Equal(SqlStates.SyntaxError, error.SqlState);
        Assert.Contains("nested too deeply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_queries_and_joins_are_syntax_errors()
    {
        var queries = string.Concat(Enumerable.Repeat("SELECT * FROM (", 10_000)) + "SELECT 1" + new string(')', 10_000);
        Assert.Contains("nested too deeply", Assert.Throws<TarnException>(() => SqlParser.ParseStatement(queries)).Message, StringComparison.Ordinal);
        var joins = "SELECT * FROM " + new string('(', 1_000_000) + "a";
        Assert.Contains("nested too deeply", Assert.Throws<TarnException>(() => SqlParser.ParseStatement(joins)).Message, StringComparison.Ordinal);
        var insert = "INSERT INTO t " + new string('(', 1_000_000) + "SELECT 1";
        Assert.Equal(SqlStates.SyntaxError, Assert.Throws<TarnException>(() => SqlParser.ParseStatement(insert)).SqlState);
    }

    [Theory]
    [InlineData(256 * 1024)]
    [InlineData(1024 * 1024)]
    [InlineData(16 * 1024 * 1024)]
    public void The_nesting_limit_does_not_depend_on_the_callers_stack(int stackSize)
    {
        // Each CASE level costs the combinators kilobytes of stack; a short stack restarts the parse on a deep one,
        // so 198 levels parse and 199 fail at the same place on every thread.
        static string Cases(int n) => "SELECT " + string.Concat(Enumerable.Repeat("CASE WHEN ", n)) + "1" + string.Concat(Enumerable.Repeat(" THEN 1 END", n));
        Exception? first = null;
        string? second = null;
        var thread = new Thread(() =>
        {
            try
            {
                SqlParser.ParseStatement(Cases(198));
                second = Assert.Throws<TarnException>(() => SqlParser.ParseStatement(Cases(199))).Message;
            }
            catch (Exception e)
            {
                first = e;
            }
        }, stackSize);
        thread.Start();
        thread.Join();
        Assert.Null(first);
        Assert.Equal("syntax error at line 1, column 1998: statement is nested too deeply", second);
    }

    [Fact]
    public void Reasonable_nesting_parses()
    {
        var depth = 100;
        var expression = SqlParser.ParseExpression(new string('(', depth) + "1 + 2" + new string(')', depth));
        Assert.IsType<BinaryExpression>(expression);
        var query = string.Concat(Enumerable.Repeat("SELECT * FROM (", 40)) + "SELECT 1" + new string(')', 40);
        Assert.IsType<QueryStatement>(SqlParser.ParseStatement(query));
        Assert.IsType<UnaryExpression>(SqlParser.ParseExpression(string.Concat(Enumerable.Repeat("NOT ", 150)) + "a"));
    }

    [Fact]
    public void Long_flat_lists_and_chains_parse()
    {
        var chain = SqlParser.ParseExpression(string.Join(" OR ", Enumerable.Range(0, 20_000).Select(i => $"x = {i}")));
        Assert.Equal(BinaryOperator.Or, Assert.IsType<BinaryExpression>(chain).Operator);
        // Printing walks the chain's left spine iteratively.
        Assert.StartsWith("x = 0 OR x = 1 OR x = 2", chain.ToString(), StringComparison.Ordinal);
        var inList = Assert.IsType<InListExpression>(SqlParser.ParseExpression("x IN (" + string.Join(", ", Enumerable.Range(0, 20_000)) + ")"));
        Assert.Equal(20_000, inList.Values.Count);
        var script = new StringBuilder();
        for (var i = 0; i < 5_000; i++)
            script.Append("SELECT ").Append(i).Append(";\n");
        Assert.Equal(5_000, SqlParser.ParseScript(script.ToString()).Count);
    }
}
