using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tarn.Server.Tests.Kafka;

namespace Tarn.Server.Tests.Security;

/// <summary>
/// Deleting a group or its offsets needs what consuming needs: SELECT on the topics whose offsets go. Confluent's
/// AdminClient over SASL/SCRAM against a database with users.
/// </summary>
public sealed class KafkaGroupDeleteGrantTests
{
    private static T Sasl<T>(T config, string user, string password) where T : ClientConfig
    {
        config.SecurityProtocol = SecurityProtocol.SaslPlaintext;
        config.SaslMechanism = SaslMechanism.ScramSha256;
        config.SaslUsername = user;
        config.SaslPassword = password;
        return config;
    }

    private static IAdminClient Admin(KafkaFixture fx, string user, string password) =>
        new AdminClientBuilder(Sasl(new AdminClientConfig { BootstrapServers = fx.Bootstrap }, user, password)).Build();

    [Fact]
    public async Task Only_a_user_who_may_read_the_topics_deletes_a_group_or_its_offsets()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE orders (id BIGINT) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("INSERT INTO orders VALUES (1), (2)");
        await fx.Database.ExecuteAsync("CREATE USER app PASSWORD 'app-pass'");
        await fx.Database.ExecuteAsync("CREATE USER nobody PASSWORD 'no-pass'");
        await fx.Database.ExecuteAsync("GRANT SELECT ON orders TO app");
        using (var consumer = new ConsumerBuilder<Ignore, Ignore>(Sasl(new ConsumerConfig { BootstrapServers = fx.Bootstrap, GroupId = "g", EnableAutoCommit = false }, "app", "app-pass")).Build())
            consumer.Commit([new TopicPartitionOffset("orders", 0, 2)]);
        var file = fx.Listener.Groups.Store.PathOf("g")!;
        Assert.True(File.Exists(file));

        using (var nobody = Admin(fx, "nobody", "no-pass"))
        {
            var group = await Assert.ThrowsAsync<DeleteGroupsException>(() => nobody.DeleteGroupsAsync(["g"]));
            Assert.Equal(ErrorCode.GroupAuthorizationFailed, group.Results.Single().Error.Code);
            var offsets = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() =>
                nobody.DeleteConsumerGroupOffsetsAsync("g", [new TopicPartition("orders", 0)]));
            Assert.Equal(ErrorCode.TopicAuthorizationFailed, offsets.Result.Partitions.Single().Error.Code);
        }
        Assert.True(File.Exists(file));
        Assert.Contains("kafka:g", fx.Database.ConsumersOf("orders").Keys);

        using var app = Admin(fx, "app", "app-pass");
        await app.DeleteGroupsAsync(["g"]);
        Assert.False(File.Exists(file));
        Assert.DoesNotContain("kafka:g", fx.Database.ConsumersOf("orders").Keys);
    }
}
