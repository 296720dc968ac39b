using Tarn.Server.Kafka;
using Tarn.Server.Kafka.Groups;

namespace Tarn.Server.Tests.Kafka;

/// <summary>The group state machine driven with an explicit clock: rebalance rounds, protocol choice, session timeouts.</summary>
public sealed class ConsumerGroupStateTests
{
    private static JoinRequest Join(string memberId, int session = 3000, int rebalance = 10000, bool requireKnown = false, params string[] protocols) =>
        new(memberId, null, "client", "/127.0.0.1", session, rebalance, "consumer",
            (protocols.Length == 0 ? ["range", "roundrobin"] : protocols).Select(p => (p, new byte[] { 1, 2, (byte)p.Length })).ToList(), requireKnown);

    [Fact]
    public async Task Kip394_first_join_gets_a_member_id_then_a_round_waits_for_every_known_member()
    {
        var group = new ConsumerGroup("g", initialRebalanceDelayMs: 100);
        var first = await group.JoinAsync(Join("", requireKnown: true), now: 0);
        Assert.Equal(GroupErrors.MemberIdRequired, first.Error);
        Assert.NotEmpty(first.MemberId);
        var a = first.MemberId;

        var joinA = group.JoinAsync(Join(a), now: 10);
        Assert.False(joinA.IsCompleted); // the initial delay lets others join the first generation
        var joinB = group.JoinAsync(Join("", protocols: ["roundrobin", "range"]), now: 50);
        group.Tick(now: 100);
        Assert.False(joinA.IsCompleted); // the delay grew with B's join
        group.Tick(now: 151);
        var ra = await joinA;
        var rb = await joinB;
        Assert.Equal(1, ra.Generation);
        Assert.Equal(a, ra.LeaderId);
        Assert.Equal(2, ra.Members.Count); // the leader gets every member's metadata
        Assert.Empty(rb.Members);
        Assert.Equal("range", ra.ProtocolName); // one vote each: the first member's preference breaks the tie

        // followers wait for the leader's assignment
        var syncB = group.SyncAsync(rb.MemberId, 1, [], now: 160);
        Assert.False(syncB.IsCompleted);
        var syncA = await group.SyncAsync(a, 1, [(a, [9]), (rb.MemberId, [8])], now: 170);
        Assert.Equal([9], syncA.Assignment);
        Assert.Equal([8], (await syncB).Assignment);
        Assert.Equal(GroupState.Stable, group.State);
        Assert.Equal(KafkaErrors.None, group.Heartbeat(a, 1, now: 200));
        Assert.Equal(GroupErrors.IllegalGeneration, group.Heartbeat(a, 0, now: 200));
        Assert.Equal(GroupErrors.UnknownMemberId, group.Heartbeat("nobody", 1, now: 200));

        // B stops heartbeating: after its session timeout it is evicted and A is told to rejoin
        Assert.Equal(KafkaErrors.None, group.Heartbeat(a, 1, now: 2500));
        group.Tick(now: 3171);
        Assert.Equal(GroupState.PreparingRebalance, group.State);
        Assert.Equal(GroupErrors.RebalanceInProgress, group.Heartbeat(a, 1, now: 3200));
        var again = await group.JoinAsync(Join(a), now: 3300); // the only known member: the round ends at once
        Assert.Equal(2, again.Generation);
        Assert.Equal(a, Assert.Single(again.Members).MemberId);
        Assert.Equal(GroupErrors.UnknownMemberId, group.Heartbeat(rb.MemberId, 2, now: 3300));
    }

    [Fact]
    public async Task A_member_that_does_not_rejoin_within_the_rebalance_timeout_is_dropped()
    {
        var group = new ConsumerGroup("g", initialRebalanceDelayMs: 0);
        var a = (await group.JoinAsync(Join("", session: 10000, rebalance: 5000), now: 0)).MemberId;
        await group.SyncAsync(a, 1, [(a, [1])], now: 0);
        var joinB = group.JoinAsync(Join("", session: 10000, rebalance: 5000), now: 100);
        Assert.False(joinB.IsCompleted); // A has not rejoined yet
        group.Tick(now: 5099);
        Assert.False(joinB.IsCompleted);
        group.Tick(now: 5100);
        var rb = await joinB;
        Assert.Equal(2, rb.Generation);
        Assert.Equal(rb.MemberId, rb.LeaderId); // A was dropped, B leads alone
        Assert.Equal(GroupErrors.UnknownMemberId, group.Heartbeat(a, 2, now: 5200));
    }

    [Fact]
    public async Task Leave_triggers_a_rebalance_and_the_last_member_leaving_empties_the_group()
    {
        var group = new ConsumerGroup("g", initialRebalanceDelayMs: 0);
        var a = (await group.JoinAsync(Join(""), now: 0)).MemberId;
        await group.SyncAsync(a, 1, [], now: 0);
        Assert.Equal(KafkaErrors.None, group.Leave(a, null, now: 10));
        Assert.Equal(GroupState.Empty, group.State);
        Assert.Equal(2, group.Generation);
        Assert.Equal(GroupErrors.UnknownMemberId, group.Leave(a, null, now: 20));
    }

    [Fact]
    public async Task A_member_without_a_common_protocol_is_refused()
    {
        var group = new ConsumerGroup("g", initialRebalanceDelayMs: 0);
        _ = await group.JoinAsync(Join("", protocols: ["range"]), now: 0);
        var other = await group.JoinAsync(Join("", protocols: ["cooperative-sticky"]), now: 1);
        Assert.Equal(GroupErrors.InconsistentGroupProtocol, other.Error);
    }

    [Fact]
    public async Task Only_a_group_without_members_or_offsets_that_went_unused_can_be_forgotten()
    {
        var group = new ConsumerGroup("g", initialRebalanceDelayMs: 0);
        group.Touch(0);
        var a = (await group.JoinAsync(Join(""), now: 0)).MemberId;
        Assert.False(group.CanForget(now: 1_000_000, idleMs: 1000)); // a member
        Assert.Equal(KafkaErrors.None, group.Leave(a, null, now: 10));
        Assert.False(group.CanForget(now: 500, idleMs: 1000)); // used recently
        Assert.True(group.CanForget(now: 2000, idleMs: 1000));
        group.Offsets[("t", 0)] = new CommittedOffset(1, -1, null, 0);
        Assert.False(group.CanForget(now: 1_000_000, idleMs: 1000)); // offsets
    }
}
