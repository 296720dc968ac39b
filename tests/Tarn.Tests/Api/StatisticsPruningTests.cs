using System.Globalization;

namespace Tarn.Tests.Api;

/// <summary>
/// A range filter on a nearly sorted column of an append table skips the row groups whose statistics exclude it
/// (storage-spec SEG chunk statistics; issue 2's 10 % time-range goal), and still answers exactly.
/// </summary>
public sealed class StatisticsPruningTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-prune-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_ten_percent_range_skips_most_row_groups()
    {
        const int rows = 1_000_000;
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE orders (id BIGINT, amount DOUBLE)");
        using (var appender = db.CreateAppender("orders"))
        {
            for (long i = 0; i < rows; i++) appender.Append(i).Append(i % 100 * 0.5).EndRow();
        }
        const string query = "SELECT count(*), sum(id) FROM orders WHERE id >= 450000 AND id < 550000";
        var answer = db.Execute(query).Rows.Single();
        Assert.Equal(100_000L, Convert.ToInt64(answer[0], CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(450_000, 100_000).Sum(i => (long)i), Convert.ToInt64(answer[1], CultureInfo.InvariantCulture));

        var plan = string.Join("\n", db.Execute("EXPLAIN " + query).Rows.Select(r => r[0]?.ToString()));
        var at = plan.IndexOf("pruned=", StringComparison.Ordinal);
        Assert.True(at >= 0, plan);
        var pruned = int.Parse(new string(plan[(at + 7)..].TakeWhile(char.IsDigit).ToArray()), CultureInfo.InvariantCulture);
        // 1 M rows are at least 15 row groups of 65 536; the range touches two or three of them.
        Assert.True(pruned >= 12, $"only {pruned} row groups pruned:\n{plan}");
    }
}
