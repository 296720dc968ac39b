using Tarn.Server.Tests.Kafka;

namespace Tarn.Server.Tests.Security;

/// <summary>
/// SASL with the real command-line clients: kcat (librdkafka 2.0.2: SaslHandshake v1 + SaslAuthenticate) and kafka-python
/// 2.0.2 (SaslHandshake v0 followed by raw tokens), with SCRAM-SHA-256 and PLAIN; grants decide per topic.
/// </summary>
public sealed class KafkaSaslClientTests
{
    private const string Python = "/usr/bin/python3";

    private static async Task<KafkaFixture> FixtureAsync()
    {
        var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE orders (id BIGINT, name STRING) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("CREATE USER app PASSWORD 'app-pass'");
        await fx.Database.ExecuteAsync("CREATE USER nobody PASSWORD 'no-pass'");
        await fx.Database.ExecuteAsync("GRANT INSERT, SELECT ON orders TO app");
        return fx;
    }

    private static string[] Kcat(KafkaFixture fx, string mechanism, string user, string password, params string[] rest) =>
        ["-b", fx.Bootstrap, "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=" + mechanism,
         "-X", "sasl.username=" + user, "-X", "sasl.password=" + password, .. rest];

    private static async Task<long> CountAsync(KafkaFixture fx) =>
        Convert.ToInt64((await fx.Database.ExecuteAsync("SELECT count(*) FROM orders")).Rows.Single()[0]);

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("PLAIN")]
    public async Task Kcat_produces_and_consumes_with_sasl(string mechanism)
    {
        await using var fx = await FixtureAsync();
        await ClientProcess.RunOkAsync("kcat", Kcat(fx, mechanism, "app", "app-pass", "-P", "-t", "orders", "-X", "acks=all"),
            "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n");
        Assert.Equal(2, await CountAsync(fx));
        var consumed = await ClientProcess.RunOkAsync("kcat", Kcat(fx, mechanism, "app", "app-pass", "-C", "-t", "orders", "-p", "0", "-o", "beginning", "-e", "-q", "-f", "%o %s\n"));
        Assert.Equal(["0 {\"id\":1,\"name\":\"a\"}", "1 {\"id\":2,\"name\":\"b\"}"], consumed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Kcat_with_a_wrong_password_is_refused()
    {
        await using var fx = await FixtureAsync();
        var result = await ClientProcess.RunAsync("kcat", Kcat(fx, "SCRAM-SHA-256", "app", "wrong", "-P", "-t", "orders", "-X", "message.timeout.ms=3000"),
            "{\"id\":1,\"name\":\"a\"}\n");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Authentication failed", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await CountAsync(fx));
    }

    [Fact]
    public async Task Kcat_without_grants_gets_topic_authorization_failed()
    {
        await using var fx = await FixtureAsync();
        var produce = await ClientProcess.RunAsync("kcat", Kcat(fx, "SCRAM-SHA-256", "nobody", "no-pass", "-P", "-t", "orders", "-p", "0", "-X", "message.timeout.ms=5000"),
            "{\"id\":1,\"name\":\"a\"}\n");
        Assert.NotEqual(0, produce.ExitCode);
        Assert.Contains("Topic authorization failed", produce.Stderr, StringComparison.Ordinal);
        var consume = await ClientProcess.RunAsync("kcat", Kcat(fx, "PLAIN", "nobody", "no-pass", "-C", "-t", "orders", "-p", "0", "-o", "beginning", "-e"));
        Assert.NotEqual(0, consume.ExitCode);
        Assert.Contains("Topic authorization failed", consume.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(fx));
    }

    [Fact]
    public async Task Kcat_group_consumer_with_sasl_reads_everything()
    {
        await using var fx = await FixtureAsync();
        await fx.Database.ExecuteAsync("INSERT INTO orders VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        var output = await ClientProcess.RunOkAsync("kcat", Kcat(fx, "SCRAM-SHA-256", "app", "app-pass", "-G", "g1", "-X", "auto.offset.reset=earliest", "-e", "-q", "-f", "%o\n", "orders"), timeoutSeconds: 90);
        Assert.Equal(["0", "1", "2"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    /// <summary>
    /// args: bootstrap mechanism user password mode(produce|consume) [seconds]. Prints "ok N", "error ClassName" or "blocked",
    /// then "seen=" and the errors of the failed Metadata updates.
    /// </summary>
    private const string PythonScript = """
        import sys, json, os, threading
        import kafka.cluster
        from kafka import KafkaConsumer, KafkaProducer, TopicPartition
        bootstrap, mechanism, user, password, mode = sys.argv[1:6]
        sasl = dict(security_protocol='SASL_PLAINTEXT', sasl_mechanism=mechanism, sasl_plain_username=user, sasl_plain_password=password)
        # kafka-python 2.0.2 turns a single-topic Metadata error into a failed update and retries until its timeout (or forever,
        # when consuming), so the error classes the broker sent are recorded here.
        seen = set()
        failed_update = kafka.cluster.ClusterMetadata.failed_update
        def record(self, exception):
            seen.add(type(exception).__name__)
            return failed_update(self, exception)
        kafka.cluster.ClusterMetadata.failed_update = record
        result = []
        def run():
            try:
                if mode == 'produce':
                    p = KafkaProducer(bootstrap_servers=bootstrap, acks='all', request_timeout_ms=10000, max_block_ms=5000, retries=0, **sasl)
                    for i in range(3):
                        p.send('orders', json.dumps({'id': i, 'name': 'py'}).encode()).get(timeout=10)
                    p.close(timeout=5)
                    result.append('ok 3')
                else:
                    c = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, consumer_timeout_ms=5000, **sasl)
                    tp = TopicPartition('orders', 0)
                    c.assign([tp])
                    c.seek_to_beginning(tp)
                    n = sum(1 for _ in c)
                    c.close()
                    result.append('ok %d' % n)
            except Exception as e:
                result.append('error %s' % type(e).__name__)
        t = threading.Thread(target=run, daemon=True)
        t.start()
        t.join(float(sys.argv[6]) if len(sys.argv) > 6 else 30)
        print('%s seen=%s' % (result[0] if result else 'blocked', ','.join(sorted(seen))), flush=True)
        os._exit(0)
        """;

    private static async Task<string> PythonAsync(KafkaFixture fx, string mechanism, string user, string password, string mode, int seconds = 30)
    {
        var script = Path.Combine(Path.GetTempPath(), $"tarn-kafka-python-sasl-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, PythonScript);
        try
        {
            var output = await ClientProcess.RunOkAsync(Python, [script, fx.Bootstrap, mechanism, user, password, mode, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeoutSeconds: 60);
            return output.Trim().Split('\n')[^1];
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    public async Task Kafka_python_produces_and_consumes_with_sasl(string mechanism)
    {
        await using var fx = await FixtureAsync();
        Assert.Equal("ok 3 seen=", await PythonAsync(fx, mechanism, "app", "app-pass", "produce"));
        Assert.Equal(3, await CountAsync(fx));
        Assert.Equal("ok 3 seen=", await PythonAsync(fx, mechanism, "app", "app-pass", "consume"));
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    public async Task Kafka_python_with_a_wrong_password_is_refused(string mechanism)
    {
        await using var fx = await FixtureAsync();
        Assert.Equal("error NoBrokersAvailable seen=", await PythonAsync(fx, mechanism, "app", "wrong", "produce")); // the broker closed the connection
        Assert.Equal(0, await CountAsync(fx));
        Assert.True(fx.Listener.Metrics.AuthFailures > 0);
    }

    [Fact]
    public async Task Kafka_python_without_grants_gets_topic_authorization_failed()
    {
        await using var fx = await FixtureAsync();
        // kafka-python 2.0.2 retries a single-topic Metadata error until max_block_ms (producer) or forever (consumer);
        // the error it got from the broker is TOPIC_AUTHORIZATION_FAILED either way.
        Assert.Equal("error KafkaTimeoutError seen=TopicAuthorizationFailedError", await PythonAsync(fx, "PLAIN", "nobody", "no-pass", "produce"));
        Assert.Equal("blocked seen=TopicAuthorizationFailedError", await PythonAsync(fx, "SCRAM-SHA-256", "nobody", "no-pass", "consume", seconds: 5));
        Assert.Equal(0, await CountAsync(fx));
    }
}
