using System.Globalization;
using Xunit.Abstractions;

namespace Tarn.Sql.Tests.Fuzz;

/// <summary>
/// Parser fuzzing: 4 x 26,000 = 104,000 seeded random inputs (token soups, mutations of the repository's SQL, deep nesting)
/// and the property of <see cref="ParserProperty"/>. A failure shows the seed and the input;
/// <c>TARN_FUZZ_SEED</c> and <c>TARN_FUZZ_COUNT</c> rerun or extend a run.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private static int Setting(string name, int normal)
    {
        var text = Environment.GetEnvironmentVariable(name);
        return text is null ? normal : int.Parse(text, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_corpus_is_found()
    {
        Assert.NotNull(FuzzCorpus.RepositoryRoot());
        // The .test files and examples contribute statements beyond the parser tests' own corpus.
        Assert.True(FuzzCorpus.Valid.Length > Corpus.Statements.Length + 50, $"only {FuzzCorpus.Valid.Length} valid seed statements");
        Assert.True(FuzzCorpus.Vocabulary.Length > 300, $"only {FuzzCorpus.Vocabulary.Length} vocabulary entries");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_inputs_parse_or_fail_cleanly(int part)
    {
        var seed = Setting("TARN_FUZZ_SEED", 20_261_125) + part;
        var count = Setting("TARN_FUZZ_COUNT", 26_000);
        var inputs = new FuzzInputs(seed);
        var failures = new FuzzWatchdog().Run(count, _ => inputs.Next(), ParserProperty.Violation);
        output.WriteLine($"seed {seed}: {count} inputs");
        Assert.True(failures.Count == 0, $"seed {seed} (rerun: TARN_FUZZ_SEED={seed - part}):\n" + string.Join("\n\n", failures));
    }

    [Fact]
    public void Every_valid_seed_statement_round_trips_through_the_formatter()
    {
        var failures = FuzzCorpus.Valid.Select(s => (s, v: ParserProperty.RoundTrip(SqlParser.ParseStatement(s))))
            .Where(x => x.v is not null).Select(x => $"{x.s}\n{x.v}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void Nesting_100000_deep_is_a_clean_error()
    {
        var inputs = new List<string>();
        foreach (var opener in FuzzInputs.NestingOpeners)
        {
            var open = string.Concat(Enumerable.Repeat(opener, 100_000));
            inputs.Add(open + "1");
            inputs.Add("SELECT " + open + "1");
        }
        inputs.Add(new string('(', 100_000));
        inputs.Add("SELECT * FROM " + new string('(', 100_000) + "t");
        inputs.Add(string.Concat(Enumerable.Repeat("SELECT * FROM (", 20_000)));
        inputs.Add(string.Concat(Enumerable.Repeat("a.", 100_000)) + "b");
        inputs.Add("SELECT " + string.Concat(Enumerable.Repeat("a[1]", 100_000)));
        inputs.Add("SELECT " + string.Join(" || ", Enumerable.Repeat("'x'", 100_000)));
        inputs.Add("SELECT 1 " + string.Concat(Enumerable.Repeat("UNION SELECT 1 ", 20_000)));
        inputs.Add("SELECT " + string.Concat(Enumerable.Repeat("CAST(", 50_000)) + "1" + string.Concat(Enumerable.Repeat(" AS INT)", 50_000)));
        inputs.Add("SELECT 1 FROM t " + string.Concat(Enumerable.Repeat("JOIN t ON TRUE ", 20_000)));
        var failures = new FuzzWatchdog().Run(inputs.Count, i => inputs[i], ParserProperty.Violation, maxFailures: 20);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
