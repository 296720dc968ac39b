using Confluent.Kafka;
using Confluent.Kafka.Admin;
using static Tarn.Server.Tests.Kafka.GroupTestSupport;

namespace Tarn.Server.Tests.Kafka;

/// <summary>DeleteGroups (API 42) and OffsetDelete (API 47) through Confluent.Kafka's AdminClient.</summary>
public sealed class KafkaDeleteGroupsTests
{
    private static IAdminClient Admin(KafkaFixture fx) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fx.Bootstrap }).Build();

    /// <summary>Commits offsets for a group outside any generation (assign, not subscribe), as tools do.</summary>
    private static void CommitStandalone(KafkaFixture fx, string group, params TopicPartitionOffset[] offsets)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = fx.Bootstrap, GroupId = group, EnableAutoCommit = false }).Build();
        consumer.Commit(offsets);
    }

    private static List<TopicPartitionOffset> Committed(KafkaFixture fx, string group, params TopicPartition[] partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = fx.Bootstrap, GroupId = group, EnableAutoCommit = false }).Build();
        return consumer.Committed(partitions, TimeSpan.FromSeconds(20));
    }

    [Fact]
    [Trait("Spec", "KGRP-005")]
    public async Task Deleting_a_group_removes_its_offsets_file_and_its_table_consumers()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE t (id BIGINT) WITH ('bucket' = '2')");
        await fx.Database.ExecuteAsync("CREATE TABLE u (id BIGINT) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("INSERT INTO t VALUES (1), (2), (3)");
        await fx.Database.ExecuteAsync("INSERT INTO u VALUES (1)");
        var high = fx.Database.OpenStream("t", Tarn.Storage.Scans.StreamStart.Latest).Positions;
        CommitStandalone(fx, "gone", new TopicPartitionOffset("t", 0, high[0]), new TopicPartitionOffset("u", 0, 1));
        CommitStandalone(fx, "kept", new TopicPartitionOffset("t", 1, high[1]));
        var file = fx.Listener.Groups.Store.PathOf("gone")!;
        Assert.True(File.Exists(file));
        Assert.Contains("kafka:gone", fx.Database.ConsumersOf("t").Keys);
        Assert.Contains("kafka:gone", fx.Database.ConsumersOf("u").Keys);

        using var admin = Admin(fx);
        await admin.DeleteGroupsAsync(["gone"]);
        Assert.False(File.Exists(file));
        Assert.DoesNotContain("kafka:gone", fx.Database.ConsumersOf("t").Keys);
        Assert.DoesNotContain("kafka:gone", fx.Database.ConsumersOf("u").Keys);
        Assert.Contains("kafka:kept", fx.Database.ConsumersOf("t").Keys); // another group is untouched
        Assert.All(Committed(fx, "gone", new TopicPartition("t", 0), new TopicPartition("u", 0)), c => Assert.Equal(Offset.Unset, c.Offset));
        Assert.Equal(high[1], Committed(fx, "kept", new TopicPartition("t", 1)).Single().Offset.Value);
        var listed = await admin.ListConsumerGroupsAsync();
        Assert.DoesNotContain(listed.Valid, g => g.GroupId == "gone");

        // a group that does not exist (any more)
        var missing = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["gone"]));
        Assert.Equal(ErrorCode.GroupIdNotFound, missing.Results.Single().Error.Code);
    }

    [Fact]
    [Trait("Spec", "KGRP-005")]
    [Trait("Spec", "KGRP-006")]
    public async Task A_group_with_members_is_not_deleted_and_its_subscribed_offsets_stay()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE t (id BIGINT, v STRING) WITH ('bucket' = '2', 'bucket-key' = 'id')");
        await fx.Database.ExecuteAsync("CREATE TABLE other (id BIGINT) WITH ('bucket' = '1')");
        await fx.Database.ExecuteAsync("INSERT INTO other VALUES (1)");
        using var member = new PolledConsumer(fx.Bootstrap, "busy", "t");
        await UntilAsync(() => member.Assigned.Length == 2, "the member owns both partitions");
        await member.RunAsync(c => c.Commit([new TopicPartitionOffset("t", 0, 0), new TopicPartitionOffset("other", 0, 1)]));

        using var admin = Admin(fx);
        var nonEmpty = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["busy"]));
        Assert.Equal(ErrorCode.NonEmptyGroup, nonEmpty.Results.Single().Error.Code);

        var subscribed = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() =>
            admin.DeleteConsumerGroupOffsetsAsync("busy", [new TopicPartition("t", 0)]));
        Assert.Equal(ErrorCode.GroupSubscribedToTopic, subscribed.Result.Partitions.Single().Error.Code);
        // a topic no member subscribes to may lose its offsets while the group is active
        await admin.DeleteConsumerGroupOffsetsAsync("busy", [new TopicPartition("other", 0)]);
        Assert.Equal(Offset.Unset, Committed(fx, "busy", new TopicPartition("other", 0)).Single().Offset);
        Assert.Equal(0, Committed(fx, "busy", new TopicPartition("t", 0)).Single().Offset.Value);
        Assert.DoesNotContain("kafka:busy", fx.Database.ConsumersOf("other").Keys);
        Assert.Contains("kafka:busy", fx.Database.ConsumersOf("t").Keys);

        member.Close(); // LeaveGroup: now the group is empty and can go
        await admin.DeleteGroupsAsync(["busy"]);
        Assert.DoesNotContain("kafka:busy", fx.Database.ConsumersOf("t").Keys);
    }

    [Fact]
    [Trait("Spec", "KGRP-006")]
    public async Task Deleting_offsets_rewrites_the_file_and_moves_or_removes_the_table_consumer()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE t (id BIGINT) WITH ('bucket' = '2')");
        await fx.Database.ExecuteAsync("INSERT INTO t VALUES (1), (2), (3), (4)");
        var high = fx.Database.OpenStream("t", Tarn.Storage.Scans.StreamStart.Latest).Positions;
        CommitStandalone(fx, "g", new TopicPartitionOffset("t", 0, high[0]), new TopicPartitionOffset("t", 1, high[1]));
        Assert.Equal(high, fx.Database.ConsumersOf("t")["kafka:g"]);

        using var admin = Admin(fx);
        var result = await admin.DeleteConsumerGroupOffsetsAsync("g", [new TopicPartition("t", 0)]);
        Assert.Equal(new TopicPartition("t", 0), Assert.Single(result.Partitions));
        var committed = Committed(fx, "g", new TopicPartition("t", 0), new TopicPartition("t", 1));
        Assert.Equal(Offset.Unset, committed[0].Offset);
        Assert.Equal(high[1], committed[1].Offset.Value);
        // the file holds only what is left (a restart would read exactly that) and the table keeps bucket 0 from 0
        var (_, stored) = Tarn.Server.Kafka.Groups.OffsetStore.Decode(File.ReadAllBytes(fx.Listener.Groups.Store.PathOf("g")!), "g");
        Assert.Equal([("t", 1)], stored.Keys.ToArray());
        Assert.Equal([0, high[1]], fx.Database.ConsumersOf("t")["kafka:g"]);

        await admin.DeleteConsumerGroupOffsetsAsync("g", [new TopicPartition("t", 1)]);
        Assert.DoesNotContain("kafka:g", fx.Database.ConsumersOf("t").Keys);
        Assert.False(File.Exists(fx.Listener.Groups.Store.PathOf("g")!));

        // a group-level error: librdkafka raises it as a plain KafkaException
        var unknown = await Assert.ThrowsAsync<KafkaException>(() =>
            admin.DeleteConsumerGroupOffsetsAsync("never", [new TopicPartition("t", 0)]));
        Assert.Equal(ErrorCode.GroupIdNotFound, unknown.Error.Code);
    }
}
