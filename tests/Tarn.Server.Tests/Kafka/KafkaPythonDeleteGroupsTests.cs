namespace Tarn.Server.Tests.Kafka;

/// <summary>kafka-python 2.0.2's KafkaAdminClient.delete_consumer_groups (DeleteGroups v0/v1, non-flexible).</summary>
public sealed class KafkaPythonDeleteGroupsTests
{
    private const string Script = """
        import sys
        from kafka.admin import KafkaAdminClient
        from kafka import KafkaConsumer, TopicPartition
        from kafka.structs import OffsetAndMetadata
        bootstrap = sys.argv[1]
        c = KafkaConsumer(bootstrap_servers=bootstrap, group_id='pg', enable_auto_commit=False)
        c.assign([TopicPartition('orders', 0)])
        c.commit({TopicPartition('orders', 0): OffsetAndMetadata(2, '')})
        c.close(autocommit=False)
        a = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
        print('offsets', sorted((tp.topic, tp.partition, o.offset) for tp, o in a.list_consumer_group_offsets('pg').items()))
        print('deleted', sorted((g, e.__name__) for g, e in a.delete_consumer_groups(['pg', 'nope'])))
        print('after', sorted(a.list_consumer_group_offsets('pg').items()))
        a.close()
        """;

    [Fact]
    [Trait("Spec", "KGRP-005")]
    public async Task Kafka_python_deletes_a_group_and_reports_an_unknown_one()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE orders (id BIGINT) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("INSERT INTO orders VALUES (1), (2)");
        var script = Path.Combine(Path.GetTempPath(), $"tarn-kafka-python-delete-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var output = await ClientProcess.RunOkAsync("/usr/bin/python3", [script, fx.Bootstrap], timeoutSeconds: 60);
            Assert.Equal(
            [
                "offsets [('orders', 0, 2)]",
                "deleted [('nope', 'GroupIdNotFoundError'), ('pg', 'NoError')]",
                "after []",
            ], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(script);
        }
        Assert.DoesNotContain("kafka:pg", fx.Database.ConsumersOf("orders").Keys);
    }
}
