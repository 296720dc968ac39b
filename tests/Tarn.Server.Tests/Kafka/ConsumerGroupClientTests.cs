using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using static Tarn.Server.Tests.Kafka.GroupTestSupport;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Consumer groups with Confluent.Kafka 2.16 (librdkafka): sharing partitions, commits that survive a restart, dead members.</summary>
public sealed class ConsumerGroupClientTests
{
    [Fact]
    [Trait("Spec", "KGRP-001")]
    public async Task Three_consumers_share_six_partitions_commit_and_a_new_consumer_resumes_after_a_restart()
    {
        await using var server = new RestartableKafkaServer();
        server.Start();
        await server.Database!.ExecuteAsync("CREATE TABLE t (id BIGINT, v STRING) WITH ('bucket' = '6', 'bucket-key' = 'id')");

        var consumers = new List<PolledConsumer>();
        try
        {
            for (var i = 0; i < 3; i++) consumers.Add(new PolledConsumer(server.Bootstrap, "g3", "t"));
            // the group settles (possibly over several generations) before any row exists, so no row is read twice
            await UntilAsync(() => consumers.All(c => c.Assigned.Length == 2) && consumers.SelectMany(c => c.Assigned).Distinct().Count() == 6, "3 members with 2 partitions each");
            var assignments = consumers.Select(c => c.Assigned).ToList();
            foreach (var a in assignments) Assert.Equal(a[0] + 1, a[1]); // range: contiguous partitions

            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = server.Bootstrap }).Build())
            {
                var described = await admin.DescribeConsumerGroupsAsync(["g3"]);
                var group = Assert.Single(described.ConsumerGroupDescriptions);
                Assert.Equal(ConsumerGroupState.Stable, group.State);
                Assert.Equal("range", group.PartitionAssignor);
                Assert.Equal(3, group.Members.Count);
                Assert.All(group.Members, m => Assert.Equal(2, m.Assignment.TopicPartitions.Count));
                var listed = await admin.ListConsumerGroupsAsync();
                Assert.Contains(listed.Valid, g => g.GroupId == "g3" && g.State == ConsumerGroupState.Stable);
            }

            var ids = await InsertSpreadAsync(server.Database, "t", buckets: 6, perBucket: 10, firstId: 1);
            await UntilAsync(() => consumers.Sum(c => c.Seen.Count) >= 60, "60 rows consumed");
            var all = consumers.SelectMany(c => c.Seen).ToList();
            Assert.Equal(ids, all.Select(s => s.Id).Order()); // every row exactly once
            Assert.All(consumers, c => Assert.Equal(20, c.Seen.Count));
            for (var i = 0; i < 3; i++)
                Assert.All(consumers[i].Seen, s => Assert.Contains(s.Partition, assignments[i]));

            foreach (var c in consumers) await c.RunAsync(k => k.Commit());
            // the commits are registered as the table's consumer 'kafka:g3' (compaction boundaries)
            Assert.All(server.Database.OpenStream("t", Tarn.Storage.Scans.StreamStart.ForConsumer("kafka:g3", Tarn.Storage.Scans.StreamStart.Earliest)).Positions, p => Assert.Equal(10, p));
        }
        finally
        {
            foreach (var c in consumers) c.Dispose();
        }

        await server.StopAsync();
        server.Start();

        // committed offsets survived: each partition's committed offset is its end (10)
        using (var probe = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = server.Bootstrap, GroupId = "g3" }).Build())
        {
            var committed = probe.Committed(Enumerable.Range(0, 6).Select(p => new TopicPartition("t", p)), TimeSpan.FromSeconds(30));
            Assert.All(committed, c => Assert.Equal(10, c.Offset.Value));
        }

        var later = await InsertSpreadAsync(server.Database!, "t", buckets: 6, perBucket: 1, firstId: 1000);
        using var resumed = new PolledConsumer(server.Bootstrap, "g3", "t");
        await UntilAsync(() => resumed.Seen.Count >= 6, "the 6 new rows");
        Assert.Equal(later, resumed.Seen.Take(6).Select(s => s.Id).Order());
        Assert.All(resumed.Seen, s => Assert.Equal(10, s.Offset));
    }

    [Fact]
    [Trait("Spec", "KGRP-001")]
    public async Task Commit_metadata_round_trips_through_offset_fetch()
    {
        await using var server = new RestartableKafkaServer();
        server.Start();
        await server.Database!.ExecuteAsync("CREATE TABLE m (id BIGINT, v STRING) WITH ('bucket' = '2', 'bucket-key' = 'id')");
        using (var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = server.Bootstrap, GroupId = "gm", EnableAutoCommit = false }).Build())
        {
            consumer.Commit([new TopicPartitionOffset("m", 0, 7), new TopicPartitionOffset("m", 1, 3)]);
            var committed = consumer.Committed([new TopicPartition("m", 0), new TopicPartition("m", 1)], TimeSpan.FromSeconds(30));
            Assert.Equal([7L, 3L], committed.Select(c => c.Offset.Value));
        }
        await server.StopAsync();
        server.Start();
        using var after = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = server.Bootstrap, GroupId = "gm" }).Build();
        var again = after.Committed([new TopicPartition("m", 0), new TopicPartition("m", 1)], TimeSpan.FromSeconds(30));
        Assert.Equal([7L, 3L], again.Select(c => c.Offset.Value));
    }

    [Fact]
    public async Task A_member_killed_without_leaving_is_evicted_after_its_session_timeout_and_its_partitions_move()
    {
        await using var server = new RestartableKafkaServer();
        server.Start();
        await server.Database!.ExecuteAsync("CREATE TABLE d (id BIGINT, v STRING) WITH ('bucket' = '6', 'bucket-key' = 'id')");

        using var survivor = new PolledConsumer(server.Bootstrap, "gd", "d");
        await UntilAsync(() => survivor.Assigned.Length == 6, "the first member owns every partition");
        // the second member is a kafka-python process, killed (SIGKILL) once it owns partitions: no LeaveGroup is sent
        using var doomed = StartPython(KafkaPythonScripts.HoldPartitions, server.Bootstrap, "d", "gd");
        var held = new List<int>();
        var reading = Task.Run(async () =>
        {
            while (await doomed.StandardOutput.ReadLineAsync() is { } line)
                if (line.StartsWith("assigned ", StringComparison.Ordinal))
                    lock (held)
                    {
                        held.Clear();
                        held.AddRange(JsonSerializer.Deserialize<int[]>(line["assigned ".Length..])!);
                    }
        });
        await UntilAsync(() => survivor.Assigned.Length == 3 && HeldCount(held) == 3, "the partitions split 3/3");
        int[] pythonPartitions;
        lock (held) pythonPartitions = [.. held];
        Assert.Empty(pythonPartitions.Intersect(survivor.Assigned));

        doomed.Kill(entireProcessTree: true);
        await doomed.WaitForExitAsync();
        await reading;

        // after the dead member's session timeout (3 s) the survivor is told to rejoin and gets all six
        await UntilAsync(() => survivor.Assigned.Length == 6, "the survivor owns every partition again");
        var ids = await InsertSpreadAsync(server.Database, "d", buckets: 6, perBucket: 2, firstId: 1);
        await UntilAsync(() => survivor.Seen.Count >= 12, "every row, including those of the dead member's partitions");
        Assert.Equal(ids, survivor.Seen.Select(s => s.Id).Order());
        Assert.Contains(survivor.Seen, s => pythonPartitions.Contains(s.Partition));
    }

    [Theory]
    [InlineData(PartitionAssignmentStrategy.RoundRobin)]
    [InlineData(PartitionAssignmentStrategy.CooperativeSticky)]
    public async Task Two_librdkafka_consumers_split_partitions_with_other_assignors(PartitionAssignmentStrategy strategy)
    {
        await using var server = new RestartableKafkaServer();
        server.Start();
        await server.Database!.ExecuteAsync("CREATE TABLE r (id BIGINT, v STRING) WITH ('bucket' = '6', 'bucket-key' = 'id')");
        using var a = new PolledConsumer(server.Bootstrap, "gr", "r", c => c.PartitionAssignmentStrategy = strategy);
        using var b = new PolledConsumer(server.Bootstrap, "gr", "r", c => c.PartitionAssignmentStrategy = strategy);
        await UntilAsync(() => a.Assigned.Length == 3 && b.Assigned.Length == 3 && a.Assigned.Union(b.Assigned).Count() == 6, "a 3/3 split");
        if (strategy == PartitionAssignmentStrategy.RoundRobin) Assert.Contains(a.Assigned, (int[][])[[0, 2, 4], [1, 3, 5]]);
        var ids = await InsertSpreadAsync(server.Database, "r", buckets: 6, perBucket: 3, firstId: 1);
        await UntilAsync(() => a.Seen.Count + b.Seen.Count >= 18, "every row");
        Assert.Equal(ids, a.Seen.Concat(b.Seen).Select(s => s.Id).Order());
    }

    [Fact]
    public async Task Librdkafka_and_kafka_python_share_a_group_with_the_roundrobin_assignor()
    {
        await using var server = new RestartableKafkaServer();
        server.Start();
        await server.Database!.ExecuteAsync("CREATE TABLE rr (id BIGINT, v STRING) WITH ('bucket' = '6', 'bucket-key' = 'id')");
        using var rd = new PolledConsumer(server.Bootstrap, "grr", "rr", c => c.PartitionAssignmentStrategy = PartitionAssignmentStrategy.RoundRobin);
        using var py = StartPython(KafkaPythonScripts.HoldPartitions, server.Bootstrap, "rr", "grr", "roundrobin");
        var held = new List<int>();
        var reading = Task.Run(async () =>
        {
            while (await py.StandardOutput.ReadLineAsync() is { } line)
                if (line.StartsWith("assigned ", StringComparison.Ordinal))
                    lock (held)
                    {
                        held.Clear();
                        held.AddRange(JsonSerializer.Deserialize<int[]>(line["assigned ".Length..])!);
                    }
        });
        try
        {
            await UntilAsync(() => rd.Assigned.Length == 3 && HeldCount(held) == 3, "a 3/3 split between the two clients");
            int[] pythonPartitions;
            lock (held) pythonPartitions = [.. held];
            Assert.Equal([0, 1, 2, 3, 4, 5], rd.Assigned.Concat(pythonPartitions).Order());
            Assert.Contains(rd.Assigned, (int[][])[[0, 2, 4], [1, 3, 5]]);
        }
        finally
        {
            py.Kill(entireProcessTree: true);
            await py.WaitForExitAsync();
            await reading;
        }
    }

    private static int HeldCount(List<int> held)
    {
        lock (held) return held.Count;
    }
}
