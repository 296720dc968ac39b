namespace Tarn.Server.Kafka.Groups;

/// <summary>Kafka's classic group states, named as DescribeGroups and ListGroups report them.</summary>
internal enum GroupState
{
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
}

internal sealed record JoinRequest(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    List<(string Name, byte[] Metadata)> Protocols,
    bool RequireKnownMemberId);

internal sealed record JoinMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

internal sealed record JoinResult(short Error, int Generation, string? ProtocolType, string? ProtocolName, string LeaderId, string MemberId, List<JoinMember> Members)
{
    public static JoinResult Failed(short error, string memberId) => new(error, -1, null, null, "", memberId, []);
}

internal sealed record SyncResult(short Error, string? ProtocolType, string? ProtocolName, byte[] Assignment)
{
    public static SyncResult Failed(short error) => new(error, null, null, []);
}

internal sealed class GroupMember(string memberId)
{
    public string MemberId { get; set; } = memberId; // a restarted static member takes over the entry under a new id
    public string? GroupInstanceId { get; set; }
    public string ClientId { get; set; } = "";
    public string ClientHost { get; set; } = "";
    public int SessionTimeoutMs { get; set; }
    public int RebalanceTimeoutMs { get; set; }
    public List<(string Name, byte[] Metadata)> Protocols { get; set; } = [];
    public byte[] Assignment { get; set; } = [];
    public long LastSeenMs { get; set; }
    public TaskCompletionSource<JoinResult>? PendingJoin { get; set; }
    public TaskCompletionSource<SyncResult>? PendingSync { get; set; }

    public byte[]? MetadataFor(string protocol)
    {
        foreach (var (name, metadata) in Protocols)
            if (name == protocol) return metadata;
        return null;
    }
}

/// <summary>
/// One consumer group's membership state machine (Kafka's classic protocol): members join, the coordinator waits until
/// every known member has rejoined (or the rebalance timeout passed), picks a protocol all members support and makes
/// one member the leader; the leader computes the assignment on the client and SyncGroup relays it. Heartbeats keep
/// members alive and tell them when a rebalance started. All methods take the group's lock; waiting requests get a
/// task that the round's completion finishes.
/// </summary>
internal sealed partial class ConsumerGroup(string groupId, int initialRebalanceDelayMs)
{
    private readonly Lock _gate = new();
    private readonly List<GroupMember> _members = [];
    private readonly Dictionary<string, long> _pendingMemberIds = []; // KIP-394: id handed out, first join not seen yet (value: expiry)
    private long _rebalanceDeadlineMs;
    private long _rebalanceStartMs;
    private bool _initialDelay;

    public string GroupId { get; } = groupId;
    public GroupState State { get; private set; } = GroupState.Empty;
    public int Generation { get; private set; }
    public string? ProtocolType { get; private set; }
    public string? ProtocolName { get; private set; }
    public string? LeaderId { get; private set; }

    /// <summary>Guards <see cref="Offsets"/> (and the membership state inside this class).</summary>
    public Lock Gate => _gate;

    /// <summary>Committed offsets, guarded by <see cref="Gate"/>.</summary>
    public Dictionary<(string Topic, int Partition), CommittedOffset> Offsets { get; } = [];

    /// <summary>The offsets file could not be read (damaged): commits and fetches answer KAFKA_STORAGE_ERROR.</summary>
    public bool OffsetsDamaged { get; set; }

    /// <summary>Serializes file writes of this group so the file always holds the newest commit.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    private long _lastUsedMs = Environment.TickCount64;

    /// <summary>Notes that a request is about to use this group (so an idle group is not dropped under it).</summary>
    public void Touch(long now) => Interlocked.Exchange(ref _lastUsedMs, now);

    /// <summary>Whether the group holds nothing (no member, no offsets) and was not used for <paramref name="idleMs"/>: it can be forgotten.</summary>
    public bool CanForget(long now, long idleMs)
    {
        lock (_gate)
            return _members.Count == 0 && _pendingMemberIds.Count == 0 && Offsets.Count == 0 && !OffsetsDamaged
                && now - Interlocked.Read(ref _lastUsedMs) > idleMs;
    }

    public bool IsIdle
    {
        get
        {
            lock (_gate) return _members.Count == 0 && _pendingMemberIds.Count == 0 && Offsets.Count == 0 && !OffsetsDamaged;
        }
    }

    private GroupMember? Find(string memberId)
    {
        foreach (var m in _members)
            if (m.MemberId == memberId) return m;
        return null;
    }

    public Task<JoinResult> JoinAsync(JoinRequest request, long now)
    {
        lock (_gate)
        {
            if (Deleted) return Task.FromResult(JoinResult.Failed(GroupErrors.CoordinatorNotAvailable, request.MemberId)); // ConsumerGroup.Delete.cs: the client retries on a new group
            if (request.Protocols.Count == 0 || (_members.Count > 0 && request.ProtocolType != ProtocolType)
                || (_members.Count > 0 && !SharesProtocolWithAll(request.Protocols, request.MemberId)))
                return Task.FromResult(JoinResult.Failed(GroupErrors.InconsistentGroupProtocol, request.MemberId));
            var memberId = request.MemberId;
            GroupMember? member;
            if (memberId.Length == 0 && request.GroupInstanceId is not null && RejoinStatic(request, now) is var (rejoined, newId)) // ConsumerGroup.Static.cs
            {
                if (rejoined is not null) return rejoined;
                memberId = newId; // taken over, but the group must rebalance: go on as that known member
            }
            if (memberId.Length == 0)
            {
                memberId = NewMemberId(request.ClientId);
                if (request.RequireKnownMemberId)
                {
                    _pendingMemberIds[memberId] = now + Math.Max(request.SessionTimeoutMs, 1000);
                    return Task.FromResult(JoinResult.Failed(GroupErrors.MemberIdRequired, memberId));
                }
                member = null;
            }
            else
            {
                if (request.GroupInstanceId is not null && FindInstance(request.GroupInstanceId) is { } holder && holder.MemberId != memberId)
                    return Task.FromResult(JoinResult.Failed(GroupErrors.FencedInstanceId, memberId)); // ConsumerGroup.Static.cs
                member = Find(memberId);
                if (member is null && !_pendingMemberIds.Remove(memberId))
                    return Task.FromResult(JoinResult.Failed(GroupErrors.UnknownMemberId, memberId));
            }

            var isNew = member is null;
            if (member is null)
            {
                member = new GroupMember(memberId);
                _members.Add(member);
            }
            if (_members.Count == 1) ProtocolType = request.ProtocolType;
            member.GroupInstanceId = request.GroupInstanceId;
            member.ClientId = request.ClientId;
            member.ClientHost = request.ClientHost;
            member.SessionTimeoutMs = request.SessionTimeoutMs;
            member.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
            member.Protocols = request.Protocols;
            member.LastSeenMs = now;
            member.PendingJoin?.TrySetResult(JoinResult.Failed(GroupErrors.RebalanceInProgress, memberId));
            var join = new TaskCompletionSource<JoinResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            member.PendingJoin = join;

            if (State != GroupState.PreparingRebalance) StartRebalance(now, fromEmpty: State == GroupState.Empty);
            else if (_initialDelay && isNew)
                _rebalanceDeadlineMs = Math.Min(now + initialRebalanceDelayMs, _rebalanceStartMs + MaxRebalanceTimeout());
            TryCompleteJoin(now);
            return join.Task;
        }
    }

    private static string NewMemberId(string clientId) =>
        (clientId.Length == 0 ? "member" : clientId) + "-" + Guid.NewGuid().ToString("D");

    private bool SharesProtocolWithAll(List<(string Name, byte[] Metadata)> protocols, string memberId)
    {
        foreach (var (name, _) in protocols)
        {
            var all = true;
            foreach (var m in _members)
                if (m.MemberId != memberId && m.MetadataFor(name) is null) all = false;
            if (all) return true;
        }
        return false;
    }

    private int MaxRebalanceTimeout()
    {
        var max = 0;
        foreach (var m in _members) max = Math.Max(max, m.RebalanceTimeoutMs);
        return Math.Max(max, 1000);
    }

    private void StartRebalance(long now, bool fromEmpty)
    {
        State = GroupState.PreparingRebalance;
        _rebalanceStartMs = now;
        // A new group waits a moment so consumers started together join one generation (Kafka's
        // group.initial.rebalance.delay.ms); otherwise it waits for every known member up to the rebalance timeout.
        _initialDelay = fromEmpty;
        _rebalanceDeadlineMs = fromEmpty ? now + Math.Min(initialRebalanceDelayMs, MaxRebalanceTimeout()) : now + MaxRebalanceTimeout();
        foreach (var m in _members)
        {
            m.PendingSync?.TrySetResult(SyncResult.Failed(GroupErrors.RebalanceInProgress));
            m.PendingSync = null;
        }
    }

    private void TryCompleteJoin(long now)
    {
        if (State != GroupState.PreparingRebalance) return;
        var allJoined = true;
        foreach (var m in _members)
            if (m.PendingJoin is null) allJoined = false;
        if (!(allJoined && !_initialDelay) && now < _rebalanceDeadlineMs) return;

        // members that did not rejoin in time are out
        _members.RemoveAll(m => m.PendingJoin is null);
        Generation++;
        if (_members.Count == 0)
        {
            State = GroupState.Empty;
            ProtocolName = null;
            LeaderId = null;
            return;
        }
        ProtocolName = SelectProtocol();
        if (LeaderId is null || Find(LeaderId) is null) LeaderId = _members[0].MemberId;
        State = GroupState.CompletingRebalance;
        var all = new List<JoinMember>(_members.Count);
        foreach (var m in _members) all.Add(new JoinMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName) ?? []));
        foreach (var m in _members)
        {
            m.Assignment = [];
            m.LastSeenMs = now;
            var join = m.PendingJoin!;
            m.PendingJoin = null;
            join.TrySetResult(new JoinResult(KafkaErrors.None, Generation, ProtocolType, ProtocolName, LeaderId, m.MemberId, m.MemberId == LeaderId ? all : []));
        }
    }

    /// <summary>Kafka's vote: among the protocols every member supports, each member votes for its most preferred.</summary>
    private string SelectProtocol()
    {
        var candidates = new List<string>();
        foreach (var (name, _) in _members[0].Protocols)
        {
            var all = true;
            foreach (var m in _members)
                if (m.MetadataFor(name) is null) all = false;
            if (all) candidates.Add(name);
        }
        if (candidates.Count == 0) return _members[0].Protocols[0].Name; // excluded at join; kept total
        var votes = new int[candidates.Count];
        foreach (var m in _members)
        {
            foreach (var (name, _) in m.Protocols)
            {
                var i = candidates.IndexOf(name);
                if (i < 0) continue;
                votes[i]++;
                break;
            }
        }
        var best = 0;
        for (var i = 1; i < votes.Length; i++)
            if (votes[i] > votes[best]) best = i;
        return candidates[best];
    }

    public Task<SyncResult> SyncAsync(string memberId, int generation, List<(string MemberId, byte[] Assignment)> assignments, long now, string? groupInstanceId = null)
    {
        lock (_gate)
        {
            var error = CheckMember(memberId, groupInstanceId, out var member); // ConsumerGroup.Static.cs
            if (error != KafkaErrors.None) return Task.FromResult(SyncResult.Failed(error));
            if (member is null) return Task.FromResult(SyncResult.Failed(GroupErrors.UnknownMemberId));
            if (generation != Generation) return Task.FromResult(SyncResult.Failed(GroupErrors.IllegalGeneration));
            member.LastSeenMs = now;
            switch (State)
            {
                case GroupState.Stable:
                    return Task.FromResult(new SyncResult(KafkaErrors.None, ProtocolType, ProtocolName, member.Assignment));
                case GroupState.CompletingRebalance:
                    var sync = new TaskCompletionSource<SyncResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                    member.PendingSync?.TrySetResult(SyncResult.Failed(GroupErrors.RebalanceInProgress));
                    member.PendingSync = sync;
                    if (memberId == LeaderId)
                    {
                        foreach (var m in _members)
                        {
                            m.Assignment = [];
                            foreach (var (id, assignment) in assignments)
                                if (id == m.MemberId) m.Assignment = assignment;
                        }
                        State = GroupState.Stable;
                        foreach (var m in _members)
                        {
                            m.PendingSync?.TrySetResult(new SyncResult(KafkaErrors.None, ProtocolType, ProtocolName, m.Assignment));
                            m.PendingSync = null;
                        }
                    }
                    return sync.Task;
                default:
                    return Task.FromResult(SyncResult.Failed(GroupErrors.RebalanceInProgress));
            }
        }
    }

    public short Heartbeat(string memberId, int generation, long now, string? groupInstanceId = null)
    {
        lock (_gate)
        {
            var error = CheckMember(memberId, groupInstanceId, out var member);
            if (error != KafkaErrors.None) return error;
            if (member is null) return GroupErrors.UnknownMemberId;
            if (generation != Generation) return GroupErrors.IllegalGeneration;
            member.LastSeenMs = now;
            return State == GroupState.PreparingRebalance ? GroupErrors.RebalanceInProgress : KafkaErrors.None;
        }
    }

    /// <summary>
    /// Removes a member: by group instance id when the member id is empty (KIP-345's administrative removal), else by
    /// member id, checked against the instance id when one is given (FENCED_INSTANCE_ID if another member holds it).
    /// </summary>
    public short Leave(string memberId, string? groupInstanceId, long now)
    {
        lock (_gate)
        {
            if (memberId.Length == 0)
            {
                var byInstance = groupInstanceId is null ? null : FindInstance(groupInstanceId);
                if (byInstance is null) return GroupErrors.UnknownMemberId;
                Remove(byInstance, now);
                return KafkaErrors.None;
            }
            if (_pendingMemberIds.Remove(memberId)) return KafkaErrors.None;
            var error = CheckMember(memberId, groupInstanceId, out var member);
            if (error != KafkaErrors.None) return error;
            if (member is null) return GroupErrors.UnknownMemberId;
            Remove(member, now);
            return KafkaErrors.None;
        }
    }

    private void Remove(GroupMember member, long now)
    {
        _members.Remove(member);
        member.PendingJoin?.TrySetResult(JoinResult.Failed(GroupErrors.UnknownMemberId, member.MemberId));
        member.PendingSync?.TrySetResult(SyncResult.Failed(GroupErrors.UnknownMemberId));
        if (State is GroupState.Stable or GroupState.CompletingRebalance) StartRebalance(now, fromEmpty: false);
        TryCompleteJoin(now);
    }

    /// <summary>Evicts members whose session timed out and ends rebalance rounds whose time is up.</summary>
    public void Tick(long now)
    {
        lock (_gate)
        {
            List<string>? expiredIds = null;
            foreach (var (id, expiry) in _pendingMemberIds)
                if (now > expiry) (expiredIds ??= []).Add(id);
            if (expiredIds is not null)
                foreach (var id in expiredIds) _pendingMemberIds.Remove(id);
            for (var i = _members.Count - 1; i >= 0; i--)
            {
                var m = _members[i];
                // a member waiting for a join or sync answer is alive: it cannot heartbeat meanwhile
                if (m.PendingJoin is null && m.PendingSync is null && now - m.LastSeenMs > m.SessionTimeoutMs) Remove(m, now);
            }
            TryCompleteJoin(now);
        }
    }

    /// <summary>Checks an OffsetCommit's member and generation (generation -1 with no member id: a standalone commit).</summary>
    public short ValidateCommit(string memberId, int generation, long now, string? groupInstanceId = null)
    {
        lock (_gate)
        {
            if (generation < 0 && memberId.Length == 0) return KafkaErrors.None;
            var error = CheckMember(memberId, groupInstanceId, out var member);
            if (error != KafkaErrors.None) return error;
            if (member is null) return GroupErrors.UnknownMemberId;
            if (generation != Generation) return GroupErrors.IllegalGeneration;
            if (State == GroupState.CompletingRebalance) return GroupErrors.RebalanceInProgress;
            member.LastSeenMs = now;
            return KafkaErrors.None;
        }
    }

    /// <summary>Answers every waiting request (the server is stopping).</summary>
    public void Shutdown()
    {
        lock (_gate)
        {
            foreach (var m in _members)
            {
                m.PendingJoin?.TrySetResult(JoinResult.Failed(GroupErrors.NotCoordinator, m.MemberId));
                m.PendingSync?.TrySetResult(SyncResult.Failed(GroupErrors.NotCoordinator));
                m.PendingJoin = null;
                m.PendingSync = null;
            }
        }
    }

    public sealed record MemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);

    public (GroupState State, string? ProtocolType, string? ProtocolName, List<MemberDescription> Members) Describe()
    {
        lock (_gate)
        {
            var members = new List<MemberDescription>(_members.Count);
            foreach (var m in _members)
            {
                var metadata = ProtocolName is null ? [] : m.MetadataFor(ProtocolName) ?? [];
                members.Add(new MemberDescription(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, State == GroupState.Stable ? metadata : [], State == GroupState.Stable ? m.Assignment : []));
            }
            return (State, ProtocolType, ProtocolName, members);
        }
    }

    public static string StateName(GroupState state) => state.ToString();
}
