using System.Text.Json;

namespace Tarn.Server.Tests.Kafka;

/// <summary>kcat 1.7.1 (librdkafka 2.0.2) as a child process: produce with every codec, consume back, metadata.</summary>
public sealed class KcatTests
{
    private const string Kcat = "kcat";

    private static string Lines(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";

    private static List<(long Id, string Msg)> Parse(string jsonLines)
    {
        var rows = new List<(long, string)>();
        foreach (var line in jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            rows.Add((doc.RootElement.GetProperty("id").GetInt64(), doc.RootElement.GetProperty("msg").GetString()!));
        }
        return rows;
    }

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public async Task Produce_with_a_codec_then_consume_everything_back(string codec)
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE kc (id BIGINT, msg STRING) WITH ('bucket' = '1')");
        const int n = 300;
        var produced = Enumerable.Range(0, n).Select(i => $"{{\"id\":{i},\"msg\":\"{codec} message {i % 11}\"}}").ToList();
        await ClientProcess.RunOkAsync(Kcat, ["-b", fx.Bootstrap, "-P", "-t", "kc", "-z", codec, "-X", "acks=all", "-X", "linger.ms=20"], Lines(produced));
        ReceivedCodecs.AssertOnly(fx.Listener.Metrics, codec);

        var sql = await fx.Database.ExecuteAsync("SELECT count(*), sum(id), count(DISTINCT msg) FROM kc");
        var row = sql.Rows.Single();
        Assert.Equal((long)n, Convert.ToInt64(row[0]));
        Assert.Equal(n * (n - 1L) / 2, Convert.ToInt64(row[1]));
        Assert.Equal(11L, Convert.ToInt64(row[2]));

        var consumed = await ClientProcess.RunOkAsync(Kcat, ["-b", fx.Bootstrap, "-C", "-t", "kc", "-p", "0", "-o", "beginning", "-e", "-q"]);
        Assert.Equal(Parse(Lines(produced)), Parse(consumed));
        Assert.Equal(0, fx.Listener.ConnectionFaults);
    }

    [Fact]
    public async Task Rows_inserted_with_sql_are_consumed_with_their_offsets()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE kc (id BIGINT, msg STRING) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("INSERT INTO kc VALUES (1, 'one'), (2, 'two')");
        await fx.Database.ExecuteAsync("INSERT INTO kc VALUES (3, 'three')");
        var consumed = await ClientProcess.RunOkAsync(Kcat, ["-b", fx.Bootstrap, "-C", "-t", "kc", "-p", "0", "-o", "beginning", "-e", "-q", "-f", "%o %s\n"]);
        Assert.Equal(
            ["0 {\"id\":1,\"msg\":\"one\"}", "1 {\"id\":2,\"msg\":\"two\"}", "2 {\"id\":3,\"msg\":\"three\"}"],
            consumed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Metadata_lists_the_tables_as_topics_led_by_this_broker()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE one_bucket (id BIGINT) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("CREATE TABLE three_buckets (id BIGINT, v STRING) WITH ('bucket' = '3')");
        var json = await ClientProcess.RunOkAsync(Kcat, ["-b", fx.Bootstrap, "-L", "-J"]);
        using var doc = JsonDocument.Parse(json);
        var broker = doc.RootElement.GetProperty("brokers").EnumerateArray().Single();
        Assert.Equal(0, broker.GetProperty("id").GetInt32());
        Assert.Equal(fx.Bootstrap, broker.GetProperty("name").GetString());
        var topics = doc.RootElement.GetProperty("topics").EnumerateArray()
            .ToDictionary(t => t.GetProperty("topic").GetString()!, t => t.GetProperty("partitions").EnumerateArray().ToList());
        Assert.Equal(["one_bucket", "three_buckets"], topics.Keys.Order());
        Assert.Single(topics["one_bucket"]);
        Assert.Equal([0, 1, 2], topics["three_buckets"].Select(p => p.GetProperty("partition").GetInt32()));
        Assert.All(topics["three_buckets"], p => Assert.Equal(0, p.GetProperty("leader").GetInt32()));
    }
}
