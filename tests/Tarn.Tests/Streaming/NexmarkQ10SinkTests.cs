using System.Globalization;
using System.Text.RegularExpressions;
using Tarn.Tests.SqlLogic;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Nexmark q10 as written (<c>../shared/nexmark/queries/q10.sql</c>): a streaming job logs every bid into a csv
/// filesystem table partitioned by day and minute, with partition-time commits. Over the bounded generator the job
/// finishes, which publishes every file and commits every partition; reading the table back gives the batch answer.
/// </summary>
public sealed partial class NexmarkQ10SinkTests : StreamingTestBase
{
    private static readonly string Queries = Path.Combine(ConformanceRun.RepositoryRoot(AppContext.BaseDirectory), "..", "shared", "nexmark", "queries");

    [GeneratedRegex(@"INSERT\s+INTO\s+\S+\s+(.*)$", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InsertSource();

    [Fact]
    public async Task Q10_streams_bids_into_partitioned_files_equal_to_the_batch_answer()
    {
        var text = File.ReadAllText(Path.Combine(Queries, "q10.sql"));
        var statements = Regex.Split(Regex.Replace(text, "--[^\n]*", ""), @";\s*(?:\n|$)").Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        var create = statements.Single(s => s.StartsWith("CREATE", StringComparison.OrdinalIgnoreCase));
        var insert = statements.Single(s => s.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase));
        var select = InsertSource().Match(insert).Groups[1].Value.TrimEnd(';');
        using var db = TarnDatabase.Open(Path.Combine(Dir, "db"));
        db.Execute(File.ReadAllText(Path.Combine(Queries, "ddl_gen.sql"))
            .Replace("${TPS}", "10000", StringComparison.Ordinal).Replace("${EVENTS_NUM}", "3000", StringComparison.Ordinal)
            .Replace("${PERSON_PROPORTION}", "1", StringComparison.Ordinal).Replace("${AUCTION_PROPORTION}", "3", StringComparison.Ordinal)
            .Replace("${BID_PROPORTION}", "46", StringComparison.Ordinal));
        db.Execute(File.ReadAllText(Path.Combine(Queries, "ddl_views.sql")).Replace("${NEXMARK_TABLE}", "datagen", StringComparison.Ordinal));
        db.Execute(create.Replace("${NEXMARK_DIR}", Dir, StringComparison.Ordinal).Replace("${SUBMIT_TIME}", "run1", StringComparison.Ordinal));
        var expected = Sorted(db.Execute(select));
        Streaming(db);
        db.Execute(insert);
        Batch(db);
        await db.WaitForJobsAsync();
        await FileSystemStreamingSinkTests.WaitUntilFinishedAsync(db);
        Assert.Equal("FINISHED", db.Execute("SELECT status FROM tarn_jobs").GetValue(0, 0));
        Assert.Equal(expected, Sorted(db.Execute("SELECT * FROM nexmark_q10")));
        var output = Path.Combine(Dir, "data", "output", "run1", "bid");
        var minutes = Directory.GetDirectories(output).SelectMany(Directory.GetDirectories).ToList();
        Assert.NotEmpty(minutes);
        Assert.All(minutes, m => Assert.True(File.Exists(Path.Combine(m, "_SUCCESS")), m));
        Assert.Equal(Convert.ToInt64(db.Execute("SELECT count(*) FROM bid").GetValue(0, 0), CultureInfo.InvariantCulture),
            Convert.ToInt64(db.Execute("SELECT count(*) FROM nexmark_q10").GetValue(0, 0), CultureInfo.InvariantCulture));
    }
}
