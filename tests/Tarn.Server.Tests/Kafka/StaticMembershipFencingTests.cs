using System.Buffers.Binary;
using System.Net.Sockets;
using Confluent.Kafka;
using Tarn.Server.Kafka;
using Tarn.Server.Kafka.Groups;

namespace Tarn.Server.Tests.Kafka;

/// <summary>
/// Static membership (KIP-345) fencing: once a restarted member took a group.instance.id over, requests naming the
/// instance with the old member id get FENCED_INSTANCE_ID (Heartbeat, SyncGroup, OffsetCommit, JoinGroup, LeaveGroup),
/// an unknown instance UNKNOWN_MEMBER_ID, and LeaveGroup v3+ removes members by instance id.
/// </summary>
public sealed class StaticMembershipFencingTests
{
    private static JoinRequest Join(string memberId, string? instance) =>
        new(memberId, instance, "client", "/127.0.0.1", 3000, 10000, "consumer", [("range", [1])], RequireKnownMemberId: false);

    /// <summary>A stable group of static members a and b, after b restarted: (group, a's id, b's old id, b's new id).</summary>
    private static async Task<(ConsumerGroup Group, string A, string OldB, string NewB)> RestartedAsync(ConsumerGroup group, long now)
    {
        var joinA = group.JoinAsync(Join("", "a"), now);
        var joinB = group.JoinAsync(Join("", "b"), now + 10);
        group.Tick(now + 1000);
        var (ra, rb) = (await joinA, await joinB);
        var syncB = group.SyncAsync(rb.MemberId, ra.Generation, [], now + 1010);
        await group.SyncAsync(ra.MemberId, ra.Generation, [(ra.MemberId, [7]), (rb.MemberId, [8])], now + 1020);
        await syncB;
        var rejoined = await group.JoinAsync(Join("", "b"), now + 1030);
        Assert.Equal(KafkaErrors.None, rejoined.Error);
        return (group, ra.MemberId, rb.MemberId, rejoined.MemberId);
    }

    [Fact]
    public async Task Requests_with_the_old_member_id_of_a_taken_over_instance_are_fenced()
    {
        var (group, a, oldB, newB) = await RestartedAsync(new ConsumerGroup("g", initialRebalanceDelayMs: 100), now: 0);
        var generation = group.Generation;
        Assert.Equal(GroupErrors.FencedInstanceId, group.Heartbeat(oldB, generation, 2000, "b"));
        Assert.Equal(GroupErrors.FencedInstanceId, (await group.SyncAsync(oldB, generation, [], 2000, "b")).Error);
        Assert.Equal(GroupErrors.FencedInstanceId, group.ValidateCommit(oldB, generation, 2000, "b"));
        Assert.Equal(GroupErrors.FencedInstanceId, (await group.JoinAsync(Join(oldB, "b"), 2000)).Error);
        Assert.Equal(GroupErrors.FencedInstanceId, group.Leave(oldB, "b", 2000));
        // a member id that holds the instance passes; a member naming another member's instance is fenced too
        Assert.Equal(KafkaErrors.None, group.Heartbeat(newB, generation, 2000, "b"));
        Assert.Equal(GroupErrors.FencedInstanceId, group.Heartbeat(a, generation, 2000, "b"));
        Assert.Equal(KafkaErrors.None, group.ValidateCommit(newB, generation, 2000, "b"));
        Assert.Equal([8], (await group.SyncAsync(newB, generation, [], 2000, "b")).Assignment);
        // an instance id the group does not know
        Assert.Equal(GroupErrors.UnknownMemberId, group.Heartbeat(a, generation, 2000, "nobody"));
        Assert.Equal(GroupState.Stable, group.State);
        Assert.Equal(2, group.Describe().Members.Count);
    }

    [Fact]
    public async Task LeaveGroup_v4_frames_remove_members_by_instance_id_and_fence_old_member_ids()
    {
        await using var fx = new KafkaFixture();
        var (group, _, oldB, newB) = await RestartedAsync(fx.Listener.Groups.GetOrCreate("sg"), GroupCoordinator.Now);
        var generation = group.Generation;
        using var client = new TcpClient();
        await client.ConnectAsync(fx.Listener.LocalEndPoint);
        var s = client.GetStream();
        const bool F = true;

        // Heartbeat v4 (flexible): the old id of instance b is fenced, the new one is fine
        foreach (var (id, expected) in new[] { (oldB, GroupErrors.FencedInstanceId), (newB, KafkaErrors.None) })
        {
            var resp = await CallAsync(s, GroupFlexibleFrameTests.Request(KafkaApiKeys.Heartbeat, 4, 1, w =>
            {
                w.FlexString("sg", F);
                w.Int32(generation);
                w.FlexString(id, F);
                w.FlexNullableString("b", F);
                w.FlexTags(F);
            }), 1);
            var r = new KafkaReader(resp);
            Assert.Equal(0, r.Int32());
            Assert.Equal(expected, r.Int16());
        }

        // LeaveGroup v4: b's old id is fenced, a leaves by instance id alone, an unknown instance is an unknown member
        var leave = await CallAsync(s, GroupFlexibleFrameTests.LeaveGroupV4("sg", 2, (oldB, "b"), ("", "a"), ("", "ghost")), 2);
        GroupFlexibleFrameTests.AssertLeaveGroupV4(leave, (oldB, "b", GroupErrors.FencedInstanceId), ("", "a", KafkaErrors.None), ("", "ghost", GroupErrors.UnknownMemberId));
        var members = group.Describe().Members;
        Assert.Equal([newB], members.Select(m => m.MemberId));
        Assert.Equal(GroupState.PreparingRebalance, group.State); // a left: the others rejoin

        // a group the coordinator does not know: as Kafka, no top-level error, UNKNOWN_MEMBER_ID per member
        var unknown = await CallAsync(s, GroupFlexibleFrameTests.LeaveGroupV4("no-such-group", 3, ("", "a")), 3);
        GroupFlexibleFrameTests.AssertLeaveGroupV4(unknown, ("", "a", GroupErrors.UnknownMemberId));
    }

    [Fact]
    public async Task Confluent_consumer_whose_instance_id_was_taken_over_gets_a_fatal_fenced_error()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE t (id BIGINT) WITH ('bucket' = '2')");
        var fatal = new TaskCompletionSource<Error>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new ConsumerConfig
        {
            BootstrapServers = fx.Bootstrap,
            GroupId = "gf",
            GroupInstanceId = "same",
            EnableAutoCommit = false,
            HeartbeatIntervalMs = 300,
            SessionTimeoutMs = 10000,
        };
        using var first = new ConsumerBuilder<Ignore, Ignore>(config).SetErrorHandler((_, e) => { if (e.IsFatal) fatal.TrySetResult(e); }).Build();
        first.Subscribe("t");
        using var stop = new CancellationTokenSource();
        var firstAssigned = 0;
        var loop = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    first.Consume(TimeSpan.FromMilliseconds(100));
                    Volatile.Write(ref firstAssigned, first.Assignment.Count);
                }
                catch (KafkaException e) when (e.Error.IsFatal)
                {
                    fatal.TrySetResult(e.Error);
                    return;
                }
                catch (KafkaException)
                {
                    // transient: keep polling
                }
            }
        });
        try
        {
            await GroupTestSupport.UntilAsync(() => Volatile.Read(ref firstAssigned) == 2, "the first consumer owns both partitions");
            // a second process with the same group.instance.id takes the instance over (no rebalance) ...
            using var second = new PolledConsumer(fx.Bootstrap, "gf", "t", c => c.GroupInstanceId = "same");
            await GroupTestSupport.UntilAsync(() => second.Assigned.Length == 2, "the second consumer's assignment");
            // ... and the first one's next heartbeat, with its old member id, is fenced: fatal for librdkafka
            var error = await fatal.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(ErrorCode.FencedInstanceId, error.Code);
            var members = fx.Listener.Groups.Find("gf")!.Describe().Members;
            Assert.Equal(["same"], members.Select(m => m.GroupInstanceId));
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
        }
    }

    private static async Task<byte[]> CallAsync(NetworkStream stream, byte[] request, int correlationId)
    {
        await stream.WriteAsync(request);
        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(frame);
        Assert.Equal(correlationId, BinaryPrimitives.ReadInt32BigEndian(frame));
        Assert.Equal(0, frame[4]); // response header v1
        return frame[5..];
    }
}
