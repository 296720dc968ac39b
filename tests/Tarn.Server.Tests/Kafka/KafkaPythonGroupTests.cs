using Confluent.Kafka;
using static Tarn.Server.Tests.Kafka.GroupTestSupport;

namespace Tarn.Server.Tests.Kafka;

/// <summary>kafka-python 2.0.2 as a group consumer: JoinGroup v2, SyncGroup v1, OffsetCommit v2, OffsetFetch v1, FindCoordinator v0.</summary>
public sealed class KafkaPythonGroupTests
{
    [Fact]
    [Trait("Spec", "KGRP-001")]
    public async Task Kafka_python_group_consumer_reads_every_row_and_its_commits_are_seen_by_librdkafka()
    {
        await using var server = new RestartableKafkaServer();
        server.Start();
        await server.Database!.ExecuteAsync("CREATE TABLE p (id BIGINT, v STRING) WITH ('bucket' = '3', 'bucket-key' = 'id')");
        var ids = await InsertSpreadAsync(server.Database, "p", buckets: 3, perBucket: 4, firstId: 1);

        using var python = StartPython(KafkaPythonScripts.ConsumeAndCommit, server.Bootstrap, "p", "pyg", "12");
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
            await python.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(python.ExitCode == 0, output + await stderr);
        var seen = output.Split('\n').Where(l => l.StartsWith("row ", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ids, seen.Order());
        Assert.EndsWith("done", output.Trim(), StringComparison.Ordinal);

        using (var probe = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = server.Bootstrap, GroupId = "pyg" }).Build())
        {
            var committed = probe.Committed(Enumerable.Range(0, 3).Select(i => new TopicPartition("p", i)), TimeSpan.FromSeconds(30));
            Assert.All(committed, c => Assert.Equal(4, c.Offset.Value));
        }

        // a librdkafka member of the same group resumes after kafka-python's commits: it sees only the new rows
        var later = await InsertSpreadAsync(server.Database, "p", buckets: 3, perBucket: 1, firstId: 1000);
        using var consumer = new PolledConsumer(server.Bootstrap, "pyg", "p");
        await UntilAsync(() => consumer.Seen.Count >= 3, "the 3 new rows");
        Assert.Equal(later, consumer.Seen.Select(s => s.Id).Order());
    }
}
