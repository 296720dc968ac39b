namespace Tarn.Server.Kafka.Groups;

/// <summary>
/// Static membership (KIP-345): a member with a group.instance.id that rejoins with no member id while its old entry is
/// still in the group (its session has not timed out) takes the entry over under a new member id. Its old id is fenced
/// (FENCED_INSTANCE_ID to anything still waiting on it). In a stable group whose selected protocol stays the same the join is answered
/// at once with the current generation, and the following SyncGroup returns the assignment it had: the other members
/// never see a rebalance. Otherwise the member goes on as a known member and the group rebalances as usual.
/// </summary>
internal sealed partial class ConsumerGroup
{
    /// <summary>The member holding a group instance id, or null. Called under the group's lock.</summary>
    private GroupMember? FindInstance(string groupInstanceId)
    {
        foreach (var m in _members)
            if (m.GroupInstanceId == groupInstanceId) return m;
        return null;
    }

    /// <summary>
    /// Kafka's check of the member a Heartbeat, SyncGroup, LeaveGroup or OffsetCommit names: with a group instance id,
    /// the instance must be known (else UNKNOWN_MEMBER_ID) and held by exactly this member id (else FENCED_INSTANCE_ID:
    /// a restarted static member took the instance over, and the old process must stop); without one, the member id
    /// must be known. Returns the error and the member. Called under the group's lock.
    /// </summary>
    private short CheckMember(string memberId, string? groupInstanceId, out GroupMember? member)
    {
        member = Find(memberId);
        if (groupInstanceId is null) return member is null ? GroupErrors.UnknownMemberId : KafkaErrors.None;
        var holder = FindInstance(groupInstanceId);
        if (holder is null) return GroupErrors.UnknownMemberId;
        return holder.MemberId == memberId ? KafkaErrors.None : GroupErrors.FencedInstanceId;
    }

    /// <summary>
    /// Returns null when no member holds the instance id (a new static member joins as usual); otherwise the new member id
    /// and, when no rebalance is needed, the join's answer. Called under the group's lock.
    /// </summary>
    private (Task<JoinResult>? Answer, string MemberId)? RejoinStatic(JoinRequest request, long now)
    {
        var previous = FindInstance(request.GroupInstanceId!);
        if (previous is null) return null;

        var oldId = previous.MemberId;
        var newId = NewMemberId(request.ClientId);
        previous.PendingJoin?.TrySetResult(JoinResult.Failed(GroupErrors.FencedInstanceId, oldId));
        previous.PendingSync?.TrySetResult(SyncResult.Failed(GroupErrors.FencedInstanceId));
        previous.PendingJoin = null;
        previous.PendingSync = null;
        previous.MemberId = newId;
        if (LeaderId == oldId) LeaderId = newId;
        previous.ClientId = request.ClientId;
        previous.ClientHost = request.ClientHost;
        previous.SessionTimeoutMs = request.SessionTimeoutMs;
        previous.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
        previous.Protocols = request.Protocols;
        previous.LastSeenMs = now;
        // As Kafka does: no rebalance unless the protocol the group would now select differs from the current one.
        if (State != GroupState.Stable || ProtocolName is null || SelectProtocol() != ProtocolName) return (null, newId);

        // The leader gets the member list (older JoinGroup versions have no skip-assignment flag); its SyncGroup in a
        // stable group is answered with the stored assignment, so whatever it computes changes nothing.
        List<JoinMember> members = [];
        if (newId == LeaderId)
            foreach (var m in _members) members.Add(new JoinMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName) ?? []));
        return (Task.FromResult(new JoinResult(KafkaErrors.None, Generation, ProtocolType, ProtocolName, LeaderId!, newId, members)), newId);
    }
}
