using System.Text.Json;

namespace Tarn.Server.Tests.Kafka;

/// <summary>
/// kafka-python 2.0.2 (Debian's python3-kafka under /usr/bin/python3) as a child process. It infers the broker version
/// from ApiVersions and then uses fixed versions (Metadata v1, Produce v7, Fetch v4, ListOffsets v1); it checks CRCs.
/// </summary>
public sealed class KafkaPythonTests
{
    private const string Python = "/usr/bin/python3";

    /// <summary>produce N JSON records with a codec (each send awaited), or none; then read partition 0 from the start to its end, no group.</summary>
    private const string Script = """
        import json, sys
        from kafka import KafkaConsumer, KafkaProducer, TopicPartition
        bootstrap, topic, codec, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        if n > 0:
            producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', linger_ms=20,
                                     compression_type=None if codec == 'none' else codec, request_timeout_ms=20000)
            futures = [producer.send(topic, json.dumps({'id': i, 'msg': '%s message %d' % (codec, i % 11)}).encode())
                       for i in range(n)]
            producer.flush(timeout=30)
            for f in futures:
                f.get(timeout=30)
            producer.close(timeout=10)
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                 consumer_timeout_ms=20000, check_crcs=True)
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.seek_to_beginning(tp)
        end = consumer.end_offsets([tp])[tp]
        for message in consumer:
            print('%d %s' % (message.offset, message.value.decode()), flush=True)
            if message.offset + 1 >= end:
                break
        consumer.close()
        """;

    private static async Task<List<(long Offset, long Id, string Msg)>> RunAsync(KafkaFixture fx, string topic, string codec, int n)
    {
        var script = Path.Combine(Path.GetTempPath(), $"tarn-kafka-python-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var output = await ClientProcess.RunOkAsync(Python, [script, fx.Bootstrap, topic, codec, n.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeoutSeconds: 90);
            var rows = new List<(long, long, string)>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                using var doc = JsonDocument.Parse(line[(space + 1)..]);
                rows.Add((long.Parse(line[..space], System.Globalization.CultureInfo.InvariantCulture),
                    doc.RootElement.GetProperty("id").GetInt64(), doc.RootElement.GetProperty("msg").GetString()!));
            }
            return rows;
        }
        finally
        {
            File.Delete(script);
        }
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
        await fx.Database.ExecuteAsync("CREATE TABLE kp (id BIGINT, msg STRING) WITH ('bucket' = '1')");
        const int n = 200;
        var consumed = await RunAsync(fx, "kp", codec, n);
        ReceivedCodecs.AssertOnly(fx.Listener.Metrics, codec);

        var expected = Enumerable.Range(0, n).Select(i => ((long)i, (long)i, $"{codec} message {i % 11}")).ToList();
        Assert.Equal(expected, consumed);
        var sql = await fx.Database.ExecuteAsync("SELECT count(*), sum(id), count(DISTINCT msg) FROM kp");
        var row = sql.Rows.Single();
        Assert.Equal((long)n, Convert.ToInt64(row[0]));
        Assert.Equal(n * (n - 1L) / 2, Convert.ToInt64(row[1]));
        Assert.Equal(11L, Convert.ToInt64(row[2]));
        Assert.Equal(0, fx.Listener.ConnectionFaults);
    }

    [Fact]
    public async Task Rows_inserted_with_sql_are_consumed()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE kp (id BIGINT, msg STRING) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("INSERT INTO kp VALUES (10, 'ten'), (20, 'twenty')");
        await fx.Database.ExecuteAsync("INSERT INTO kp VALUES (30, 'thirty')");
        var consumed = await RunAsync(fx, "kp", "none", 0);
        Assert.Equal([(0L, 10L, "ten"), (1L, 20L, "twenty"), (2L, 30L, "thirty")], consumed);
    }
}
