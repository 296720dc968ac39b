namespace Tarn.Tests.Differential;

/// <summary>
/// Statements with very long operator, set-operation and join chains (which the parser accepts at any length) either
/// run or fail with a TarnException; before the binder checked its stack they ended the process with a stack overflow.
/// </summary>
public sealed class LongChainTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tarn-chain-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly TarnDatabase _db;

    public LongChainTests()
    {
        _db = TarnDatabase.Open(_directory);
        _db.Execute("CREATE TABLE t (x INT, s STRING)");
        _db.Execute("INSERT INTO t VALUES (1, 'a'), (2, NULL)");
    }

    /// <summary>Kind of chain, its length, and the row count it must return (null: any clean outcome).</summary>
    public static TheoryData<string, int, string?> Chains() => new()
    {
        { "or", 20_000, null },
        { "or", 100_000, null },
        { "plus", 100_000, null },
        { "concat", 100_000, null },
        { "union", 20_000, "54001" },
        { "join", 5_000, "54001" },
        { "plus", 300, "2" },
        { "or", 1_000, "2" },
        { "union", 300, "600" },
        { "join", 100, "2" },
    };

    [Theory]
    [MemberData(nameof(Chains))]
    public async Task Long_chains_run_or_fail_cleanly(string kind, int length, string? expected)
    {
        var sql = kind switch
        {
            "or" => "SELECT x FROM t WHERE " + string.Join(" OR ", Enumerable.Range(0, length).Select(i => $"x = {i}")),
            "plus" => "SELECT " + string.Join(" + ", Enumerable.Repeat("x", length)) + " FROM t",
            "concat" => "SELECT " + string.Join(" || ", Enumerable.Repeat("s", length)) + " FROM t",
            "union" => string.Join(" UNION ALL ", Enumerable.Repeat("SELECT x FROM t", length)),
            _ => "SELECT t0.x FROM t t0 " + string.Concat(Enumerable.Range(1, length).Select(i => $"JOIN t t{i} ON t{i}.x = t0.x ")),
        };
        // Run where statements normally run: a thread-pool thread with the default stack.
        var outcome = await Task.Run(() =>
        {
            try
            {
                return _db.Execute(sql).RowCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TarnException e)
            {
                return e.SqlState;
            }
        });
        if (expected is not null)
            Assert.Equal(expected, outcome);
        else
            Assert.True(outcome is "54001" || int.TryParse(outcome, out _), outcome);
    }

    public void Dispose()
    {
        _db.Dispose();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }
}
