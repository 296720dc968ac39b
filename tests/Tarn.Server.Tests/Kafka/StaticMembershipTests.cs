using Confluent.Kafka;
using Tarn.Server.Kafka;
using Tarn.Server.Kafka.Groups;
using static Tarn.Server.Tests.Kafka.GroupTestSupport;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Static membership (KIP-345): a restarted member with the same group.instance.id gets its assignment back without a rebalance.</summary>
public sealed class StaticMembershipTests
{
    private static JoinRequest Join(string memberId, string? instance, byte tag = 1) =>
        new(memberId, instance, "client", "/127.0.0.1", 3000, 10000, "consumer", [("range", [1, tag])], RequireKnownMemberId: false);

    private static async Task<(ConsumerGroup Group, string A, string B)> StableGroupAsync()
    {
        var group = new ConsumerGroup("g", initialRebalanceDelayMs: 100);
        var joinA = group.JoinAsync(Join("", "a"), now: 0);
        var joinB = group.JoinAsync(Join("", "b"), now: 10);
        group.Tick(now: 200);
        var (ra, rb) = (await joinA, await joinB);
        var syncB = group.SyncAsync(rb.MemberId, 1, [], now: 210);
        await group.SyncAsync(ra.MemberId, 1, [(ra.MemberId, [7]), (rb.MemberId, [8])], now: 220);
        Assert.Equal([8], (await syncB).Assignment);
        Assert.Equal(GroupState.Stable, group.State);
        return (group, ra.MemberId, rb.MemberId);
    }

    [Fact]
    public async Task A_restarted_static_follower_gets_its_assignment_back_in_the_same_generation()
    {
        var (group, a, b) = await StableGroupAsync();
        var rejoined = await group.JoinAsync(Join("", "b"), now: 1000); // answered at once
        Assert.Equal(KafkaErrors.None, rejoined.Error);
        Assert.Equal(1, rejoined.Generation);
        Assert.NotEqual(b, rejoined.MemberId);
        Assert.Equal(a, rejoined.LeaderId);
        Assert.Empty(rejoined.Members);
        Assert.Equal([8], (await group.SyncAsync(rejoined.MemberId, 1, [], now: 1010)).Assignment);
        Assert.Equal(GroupState.Stable, group.State);
        Assert.Equal(KafkaErrors.None, group.Heartbeat(a, 1, now: 1020)); // the other member saw no rebalance
        Assert.Equal(GroupErrors.UnknownMemberId, group.Heartbeat(b, 1, now: 1020)); // the old id is gone
        Assert.Equal(2, group.Describe().Members.Count);
    }

    [Fact]
    public async Task A_restarted_static_leader_keeps_the_stored_assignment()
    {
        var (group, a, b) = await StableGroupAsync();
        var rejoined = await group.JoinAsync(Join("", "a"), now: 1000);
        Assert.Equal(1, rejoined.Generation);
        Assert.Equal(rejoined.MemberId, rejoined.LeaderId);
        Assert.Equal(2, rejoined.Members.Count);
        // whatever the leader computes, a stable group answers with what the member had
        Assert.Equal([7], (await group.SyncAsync(rejoined.MemberId, 1, [(rejoined.MemberId, [1]), (b, [2])], now: 1010)).Assignment);
        Assert.Equal(KafkaErrors.None, group.Heartbeat(b, 1, now: 1020));
        Assert.Equal(GroupState.Stable, group.State);
    }

    [Fact]
    public async Task A_new_static_member_or_a_changed_protocol_still_rebalances()
    {
        var (group, a, _) = await StableGroupAsync();
        var c = group.JoinAsync(Join("", "c"), now: 1000);
        Assert.False(c.IsCompleted);
        Assert.Equal(GroupState.PreparingRebalance, group.State);
        Assert.Equal(GroupErrors.RebalanceInProgress, group.Heartbeat(a, 1, now: 1010));

        var (group2, _, _) = await StableGroupAsync();
        var changed = group2.JoinAsync(new JoinRequest("", "b", "client", "/127.0.0.1", 3000, 10000, "consumer", [("roundrobin", [1])], false), now: 1000);
        Assert.Equal(GroupErrors.InconsistentGroupProtocol, (await changed).Error); // 'a' supports only range
    }

    [Fact]
    public async Task Confluent_static_member_restart_keeps_its_partitions_and_the_other_member_is_not_rebalanced()
    {
        await using var server = new RestartableKafkaServer();
        server.Start();
        await server.Database!.ExecuteAsync("CREATE TABLE t (id BIGINT, v STRING) WITH ('bucket' = '4', 'bucket-key' = 'id')");
        var a = new PolledConsumer(server.Bootstrap, "gs", "t", c => c.GroupInstanceId = "instance-a");
        var revokedB = 0;
        var assignedB = 0;
        using var b = new PolledConsumer(server.Bootstrap, "gs", "t", c => c.GroupInstanceId = "instance-b",
            builder => builder.SetPartitionsAssignedHandler((_, _) => Interlocked.Increment(ref assignedB))
                              .SetPartitionsRevokedHandler((_, _) => Interlocked.Increment(ref revokedB)));
        try
        {
            await UntilAsync(() => a.Assigned.Length == 2 && b.Assigned.Length == 2 && a.Assigned.Concat(b.Assigned).Distinct().Count() == 4, "2 + 2 partitions");
            var before = a.Assigned;
            var (assignedBefore, revokedBefore) = (Volatile.Read(ref assignedB), Volatile.Read(ref revokedB));
            var group = server.Listener!.Groups.Find("gs")!;
            var generation = group.Generation;
            a.Dispose(); // a static member sends no LeaveGroup: its entry stays for the session timeout (10 s)
            a = new PolledConsumer(server.Bootstrap, "gs", "t", c => c.GroupInstanceId = "instance-a");
            await UntilAsync(() => a.Assigned.Length == 2, "the restarted member's assignment");
            Assert.Equal(before, a.Assigned);
            Assert.Equal(generation, group.Generation); // no rebalance round happened
            Assert.Equal(GroupState.Stable, group.State);
            Assert.Equal(assignedBefore, Volatile.Read(ref assignedB));
            Assert.Equal(revokedBefore, Volatile.Read(ref revokedB));
            var members = group.Describe().Members;
            Assert.Equal(["instance-a", "instance-b"], members.Select(m => m.GroupInstanceId).Order());
        }
        finally
        {
            a.Dispose();
        }
    }
}
