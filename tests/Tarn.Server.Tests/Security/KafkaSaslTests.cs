using System.Text.Json;
using Confluent.Kafka;
using Tarn.Server.Tests.Kafka;

namespace Tarn.Server.Tests.Security;

/// <summary>Confluent.Kafka with SASL (SCRAM-SHA-256 and PLAIN) against the Kafka endpoint; topics follow the users' grants.</summary>
public sealed class KafkaSaslTests
{
    private static async Task<KafkaFixture> FixtureAsync()
    {
        var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE orders (id BIGINT, name STRING) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("CREATE TABLE hidden (id BIGINT) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("CREATE USER writer PASSWORD 'w-pass'");
        await fx.Database.ExecuteAsync("CREATE USER reader PASSWORD 'r-pass'");
        await fx.Database.ExecuteAsync("GRANT INSERT ON orders TO writer");
        await fx.Database.ExecuteAsync("GRANT SELECT ON orders TO reader");
        return fx;
    }

    private static ProducerConfig Producer(KafkaFixture fx, string user, string password, SaslMechanism mechanism = SaslMechanism.ScramSha256) => new()
    {
        BootstrapServers = fx.Bootstrap,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = mechanism,
        SaslUsername = user,
        SaslPassword = password,
        Acks = Acks.All,
        EnableIdempotence = false,
        MessageTimeoutMs = 10000,
    };

    [Fact]
    public async Task A_scram_producer_with_insert_writes_rows_and_one_without_is_refused()
    {
        await using var fx = await FixtureAsync();
        using (var producer = new ProducerBuilder<Null, string>(Producer(fx, "writer", "w-pass")).Build())
        {
            var result = await producer.ProduceAsync("orders", new Message<Null, string> { Value = JsonSerializer.Serialize(new { id = 7, name = "x" }) });
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }
        Assert.Equal(7L, (await fx.Database.ExecuteAsync("SELECT id FROM orders")).Rows.Single()[0]);

        using (var producer = new ProducerBuilder<Null, string>(Producer(fx, "reader", "r-pass")).Build())
        {
            var e = await Assert.ThrowsAsync<ProduceException<Null, string>>(() =>
                producer.ProduceAsync("orders", new Message<Null, string> { Value = "{\"id\": 8, \"name\": \"y\"}" }));
            Assert.Equal(ErrorCode.TopicAuthorizationFailed, e.Error.Code);
        }
        Assert.Single((await fx.Database.ExecuteAsync("SELECT id FROM orders")).Rows);
    }

    [Fact]
    public async Task A_plain_producer_authenticates_too()
    {
        await using var fx = await FixtureAsync();
        using var producer = new ProducerBuilder<Null, string>(Producer(fx, "writer", "w-pass", SaslMechanism.Plain)).Build();
        var result = await producer.ProduceAsync("orders", new Message<Null, string> { Value = "{\"id\": 1, \"name\": \"p\"}" });
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }

    [Fact]
    public async Task A_wrong_password_gets_no_delivery()
    {
        await using var fx = await FixtureAsync();
        var config = Producer(fx, "writer", "nope");
        config.MessageTimeoutMs = 3000;
        var errors = new List<Error>();
        using var producer = new ProducerBuilder<Null, string>(config).SetErrorHandler((_, e) => { lock (errors) errors.Add(e); }).Build();
        await Assert.ThrowsAsync<ProduceException<Null, string>>(() =>
            producer.ProduceAsync("orders", new Message<Null, string> { Value = "{\"id\": 1, \"name\": \"p\"}" }));
        Assert.Empty((await fx.Database.ExecuteAsync("SELECT id FROM orders")).Rows);
        lock (errors) Assert.Contains(errors, e => e.Code == ErrorCode.SaslAuthenticationFailed || e.Code == ErrorCode.Local_Authentication);
    }

    [Fact]
    public async Task A_scram_consumer_reads_with_select_and_sees_only_its_topics()
    {
        await using var fx = await FixtureAsync();
        await fx.Database.ExecuteAsync("INSERT INTO orders VALUES (1, 'a'), (2, 'b')");
        var config = new ConsumerConfig
        {
            BootstrapServers = fx.Bootstrap,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.ScramSha256,
            SaslUsername = "reader",
            SaslPassword = "r-pass",
            GroupId = "unused",
            EnableAutoCommit = false,
        };
        using (var consumer = new ConsumerBuilder<Ignore, string>(config).Build())
        {
            consumer.Assign(new TopicPartitionOffset("orders", 0, Offset.Beginning));
            var ids = new List<long>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (ids.Count < 2 && DateTime.UtcNow < deadline)
            {
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (cr is null || cr.IsPartitionEOF) continue;
                using var doc = JsonDocument.Parse(cr.Message.Value);
                ids.Add(doc.RootElement.GetProperty("id").GetInt64());
            }
            Assert.Equal([1L, 2L], ids);
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = fx.Bootstrap,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.ScramSha256,
            SaslUsername = "reader",
            SaslPassword = "r-pass",
        }).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).ToList();
        Assert.Equal(["orders"], topics); // 'hidden' exists but reader has no grant on it

        // The writer has no SELECT: fetching gives TOPIC_AUTHORIZATION_FAILED.
        config.SaslUsername = "writer";
        config.SaslPassword = "w-pass";
        Error? failure = null;
        using var writer = new ConsumerBuilder<Ignore, string>(config).SetErrorHandler((_, e) => failure ??= e).Build();
        writer.Assign(new TopicPartitionOffset("orders", 0, Offset.Beginning));
        var end = DateTime.UtcNow.AddSeconds(20);
        ConsumeException? thrown = null;
        while (thrown is null && failure is null && DateTime.UtcNow < end)
        {
            try
            {
                var cr = writer.Consume(TimeSpan.FromMilliseconds(200));
                Assert.True(cr is null || cr.IsPartitionEOF, "the writer must not read rows");
            }
            catch (ConsumeException e)
            {
                thrown = e;
            }
        }
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, thrown?.Error.Code ?? failure?.Code);
    }

    [Fact]
    public async Task Without_sasl_the_connection_is_refused_once_users_exist()
    {
        await using var fx = await FixtureAsync();
        var config = new ProducerConfig { BootstrapServers = fx.Bootstrap, MessageTimeoutMs = 3000, EnableIdempotence = false };
        using var producer = new ProducerBuilder<Null, string>(config).SetErrorHandler((_, _) => { }).Build();
        await Assert.ThrowsAsync<ProduceException<Null, string>>(() =>
            producer.ProduceAsync("orders", new Message<Null, string> { Value = "{\"id\": 1, \"name\": \"p\"}" }));
        Assert.Empty((await fx.Database.ExecuteAsync("SELECT id FROM orders")).Rows);
    }
}
