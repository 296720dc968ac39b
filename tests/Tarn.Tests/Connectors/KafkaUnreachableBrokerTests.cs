using Xunit.Abstractions;

namespace Tarn.Tests.Connectors;

/// <summary>
/// A kafka table whose broker cannot be reached (nothing listens on 127.0.0.1:1): reads fail with SQLSTATE 08001 and
/// the broker's address instead of hanging, and a database whose job is still trying to connect closes without
/// waiting out librdkafka's request timeouts. The xunit timeouts keep a regression
/// from hanging the run.
/// </summary>
public sealed class KafkaUnreachableBrokerTests(ITestOutputHelper output) : IDisposable
{
    private const string Unreachable = "127.0.0.1:1";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-kafka-down-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static string Table(string name, string bounded) =>
        $"CREATE TABLE {name} (v INT) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = '{Unreachable}', 'scan.startup.mode' = 'earliest-offset'{bounded}, 'format' = 'json')";

    [Fact(Timeout = 60_000)]
    public async Task A_bounded_read_fails_with_08001_and_the_broker_address()
    {
        using var db = TarnDatabase.Open(Path.Combine(_dir, "db"));
        await db.ExecuteAsync(Table("down", ", 'scan.bounded.mode' = 'latest-offset'"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync("SELECT * FROM down"));
        output.WriteLine($"failed after {clock.Elapsed.TotalSeconds:0.0} s: {e.SqlState} {e.Message}");
        Assert.Equal("08001", e.SqlState);
        Assert.Contains(Unreachable, e.Message, StringComparison.Ordinal);
        Assert.Contains("kafka table 'down'", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_fails_with_the_broker_address_and_the_database_then_closes()
    {
        var db = TarnDatabase.Open(Path.Combine(_dir, "db"));
        try
        {
            db.Execute(Table("down", ""));
            db.Execute("CREATE TABLE sink (v INT)");
            db.Execute("SET 'execution.runtime-mode' = 'streaming'");
            db.Execute("INSERT INTO sink SELECT v FROM down");
            db.Execute("SET 'execution.runtime-mode' = 'batch'");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            object?[] job;
            while ((job = db.Execute("SHOW JOBS").Rows.Single())[2] as string != "FAILED") await Task.Delay(50);
            output.WriteLine($"failed after {clock.Elapsed.TotalSeconds:0.0} s: {job[4]}");
            Assert.Contains("08001", (string)job[4]!, StringComparison.Ordinal);
            Assert.Contains(Unreachable, (string)job[4]!, StringComparison.Ordinal);
        }
        finally
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.Run(db.Dispose);
            output.WriteLine($"disposed in {clock.Elapsed.TotalSeconds:0.0} s");
        }
    }

    /// <summary>Before, closing waited out the 30 s metadata request twice (here and at the reopened database's close): the timeout catches that.</summary>
    [Fact(Timeout = 45_000)]
    public async Task A_database_whose_job_is_still_connecting_closes_and_reopens()
    {
        var path = Path.Combine(_dir, "db");
        var db = TarnDatabase.Open(path);
        db.Execute(Table("down", ""));
        db.Execute("CREATE TABLE sink (v INT)");
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        db.Execute("INSERT INTO sink SELECT v FROM down");
        await Task.Delay(500); // the consumer thread is inside its first metadata request by now
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Run(db.Dispose);
        output.WriteLine($"disposed in {clock.Elapsed.TotalSeconds:0.0} s");
        using var reopened = TarnDatabase.Open(path);
        Assert.Empty(reopened.Execute("SELECT * FROM sink").Rows);
    }
}
