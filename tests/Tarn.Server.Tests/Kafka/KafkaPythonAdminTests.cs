namespace Tarn.Server.Tests.Kafka;

/// <summary>kafka-python 2.0.2's KafkaAdminClient: CreateTopics, DescribeConfigs, ListGroups, DescribeGroups, OffsetFetch.</summary>
public sealed class KafkaPythonAdminTests
{
    private const string Script = """
        import sys
        from kafka.admin import KafkaAdminClient, NewTopic, ConfigResource, ConfigResourceType
        from kafka import KafkaConsumer
        bootstrap = sys.argv[1]
        a = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
        r = a.create_topics([NewTopic('made', num_partitions=2, replication_factor=1)])
        print('created', [(t[0], t[1]) for t in r.topic_errors])
        print('topics', sorted(a.list_topics()))
        configs = a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, 'made')])
        entries = dict((e[0], e[1]) for e in configs[0].resources[0][4])
        print('config', configs[0].resources[0][0], entries['tarn.buckets'], entries['cleanup.policy'])
        c = KafkaConsumer('orders', bootstrap_servers=bootstrap, group_id='g9', auto_offset_reset='earliest',
                          enable_auto_commit=False, consumer_timeout_ms=3000)
        n = sum(1 for _ in c)
        c.commit()
        print('consumed', n)
        print('groups', a.list_consumer_groups())
        g = a.describe_consumer_groups(['g9'])[0]
        print('group', g.group, g.state, g.protocol, len(g.members), [(t[0], list(t[1])) for t in g.members[0].member_assignment.assignment])
        print('offsets', sorted((tp.topic, tp.partition, o.offset) for tp, o in a.list_consumer_group_offsets('g9').items()))
        c.close(autocommit=False)
        a.close()
        """;

    [Fact]
    public async Task Admin_client_creates_topics_describes_configs_and_groups()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE orders (id BIGINT, name STRING) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("INSERT INTO orders VALUES (1, 'a'), (2, 'b')");
        var script = Path.Combine(Path.GetTempPath(), $"tarn-kafka-python-admin-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var output = await ClientProcess.RunOkAsync("/usr/bin/python3", [script, fx.Bootstrap], timeoutSeconds: 60);
            Assert.Equal(
            [
                "created [('made', 0)]",
                "topics ['made', 'orders']",
                "config 0 2 delete",
                "consumed 2",
                "groups [('g9', 'consumer')]",
                "group g9 Stable range 1 [('orders', [0])]",
                "offsets [('orders', 0, 2)]",
            ], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(script);
        }
        Assert.Empty((await fx.Database.ExecuteAsync("SELECT * FROM made")).Rows);
    }
}
