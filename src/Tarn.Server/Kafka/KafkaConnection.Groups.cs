using System.Net;
using Tarn.Server.Kafka.Groups;

namespace Tarn.Server.Kafka;

/// <summary>
/// The group coordinator APIs (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
/// OffsetFetch, ListGroups, DescribeGroups; DeleteGroups and OffsetDelete in KafkaConnection.DeleteGroups.cs),
/// non-flexible and flexible versions. Requests are decoded completely before
/// any wait (a JoinGroup or SyncGroup answer waits for the rebalance round), then answered from <see cref="GroupCoordinator"/>.
/// </summary>
internal sealed partial class KafkaConnection
{
    /// <summary>The listener's group coordinator (set by <see cref="KafkaListener"/>).</summary>
    internal GroupCoordinator? Groups { get; init; }

    private const int MinSessionTimeoutMs = 1000;
    private const int MaxSessionTimeoutMs = 3_600_000;

    private string ClientHost => _socket.RemoteEndPoint is IPEndPoint ep ? "/" + ep.Address : "";

    private async Task GroupRequestAsync(short key, short version, string? clientId, ReadOnlyMemory<byte> body)
    {
        var groups = Groups ?? throw new KafkaProtocolException("the group coordinator is not running");
        var flex = KafkaApiKeys.IsFlexible(key, version);
        switch (key)
        {
            case KafkaApiKeys.FindCoordinator:
                FindCoordinator(version, flex, body.Span);
                break;
            case KafkaApiKeys.JoinGroup:
                await JoinGroupAsync(groups, version, flex, clientId, body).ConfigureAwait(false);
                break;
            case KafkaApiKeys.SyncGroup:
                await SyncGroupAsync(groups, version, flex, body).ConfigureAwait(false);
                break;
            case KafkaApiKeys.Heartbeat:
                Heartbeat(groups, version, flex, body.Span);
                break;
            case KafkaApiKeys.LeaveGroup:
                LeaveGroup(groups, version, flex, body.Span);
                break;
            case KafkaApiKeys.OffsetCommit:
                await OffsetCommitAsync(groups, version, flex, body).ConfigureAwait(false);
                break;
            case KafkaApiKeys.OffsetFetch:
                OffsetFetch(groups, version, flex, body.Span);
                break;
            case KafkaApiKeys.ListGroups:
                ListGroups(groups, version, flex, body.Span);
                break;
            case KafkaApiKeys.DescribeGroups:
                DescribeGroups(groups, version, flex, body.Span);
                break;
            case KafkaApiKeys.DeleteGroups:
                await DeleteGroupsAsync(groups, version, flex, body).ConfigureAwait(false); // KafkaConnection.DeleteGroups.cs
                break;
            case KafkaApiKeys.OffsetDelete:
                await OffsetDeleteAsync(groups, version, flex, body).ConfigureAwait(false);
                break;
            default:
                throw new KafkaProtocolException($"unsupported api {key}");
        }
    }

    private void FindCoordinator(short version, bool flex, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        sbyte keyType = 0;
        var keys = new List<string>();
        if (version <= 3)
        {
            keys.Add(r.FlexString(flex));
            if (version >= 1) keyType = r.Int8();
        }
        else
        {
            keyType = r.Int8();
            var n = r.FlexArrayCount(flex, 1);
            for (var i = 0; i < n; i++) keys.Add(r.FlexString(flex));
        }
        r.FlexTags(flex);
        // groups only: transactions (key type 1) have no coordinator here
        var error = keyType == 0 ? KafkaErrors.None : GroupErrors.CoordinatorNotAvailable;
        var host = _advertised.Address.ToString();
        var w = _response;
        if (version >= 1) w.Int32(0); // throttle
        if (version <= 3)
        {
            w.Int16(error);
            if (version >= 1) w.FlexNullableString(error == KafkaErrors.None ? null : "only consumer groups have a coordinator", flex);
            w.Int32(error == KafkaErrors.None ? NodeId : -1);
            w.FlexString(error == KafkaErrors.None ? host : "", flex);
            w.Int32(error == KafkaErrors.None ? _advertised.Port : -1);
        }
        else
        {
            w.FlexArrayCount(keys.Count, flex);
            foreach (var k in keys)
            {
                w.FlexString(k, flex);
                w.Int32(error == KafkaErrors.None ? NodeId : -1);
                w.FlexString(error == KafkaErrors.None ? host : "", flex);
                w.Int32(error == KafkaErrors.None ? _advertised.Port : -1);
                w.Int16(error);
                w.FlexNullableString(error == KafkaErrors.None ? null : "only consumer groups have a coordinator", flex);
                w.FlexTags(flex);
            }
        }
        w.FlexTags(flex);
    }

    private async Task JoinGroupAsync(GroupCoordinator groups, short version, bool flex, string? clientId, ReadOnlyMemory<byte> body)
    {
        string groupId;
        JoinRequest request;
        {
            var r = new KafkaReader(body.Span);
            groupId = r.FlexString(flex);
            var session = r.Int32();
            var rebalance = version >= 1 ? r.Int32() : session;
            var memberId = r.FlexString(flex);
            var instanceId = version >= 5 ? r.FlexNullableString(flex) : null;
            var protocolType = r.FlexString(flex);
            var n = r.FlexArrayCount(flex, 2);
            var protocols = new List<(string, byte[])>(Math.Max(n, 0));
            for (var i = 0; i < n; i++)
            {
                var name = r.FlexString(flex);
                var metadata = r.FlexBytes(flex);
                r.FlexTags(flex);
                protocols.Add((name, metadata));
            }
            r.FlexTags(flex);
            request = new JoinRequest(memberId, instanceId, clientId ?? "", ClientHost, session, rebalance, protocolType, protocols, RequireKnownMemberId: version >= 4);
        }
        JoinResult result;
        if (groupId.Length == 0) result = JoinResult.Failed(GroupErrors.InvalidGroupId, request.MemberId);
        else if (request.SessionTimeoutMs is < MinSessionTimeoutMs or > MaxSessionTimeoutMs) result = JoinResult.Failed(GroupErrors.InvalidSessionTimeout, request.MemberId);
        else result = await groups.GetOrCreate(groupId).JoinAsync(request, GroupCoordinator.Now).ConfigureAwait(false);

        var w = _response;
        if (version >= 2) w.Int32(0); // throttle
        w.Int16(result.Error);
        w.Int32(result.Generation);
        if (version >= 7)
        {
            w.FlexNullableString(result.ProtocolType, flex);
            w.FlexNullableString(result.ProtocolName, flex);
        }
        else
        {
            w.FlexString(result.ProtocolName ?? "", flex);
        }
        w.FlexString(result.LeaderId, flex);
        w.FlexString(result.MemberId, flex);
        w.FlexArrayCount(result.Members.Count, flex);
        foreach (var m in result.Members)
        {
            w.FlexString(m.MemberId, flex);
            if (version >= 5) w.FlexNullableString(m.GroupInstanceId, flex);
            w.FlexBytes(m.Metadata, flex);
            w.FlexTags(flex);
        }
        w.FlexTags(flex);
    }

    private async Task SyncGroupAsync(GroupCoordinator groups, short version, bool flex, ReadOnlyMemory<byte> body)
    {
        string groupId, memberId;
        string? instanceId;
        int generation;
        List<(string, byte[])> assignments;
        {
            var r = new KafkaReader(body.Span);
            groupId = r.FlexString(flex);
            generation = r.Int32();
            memberId = r.FlexString(flex);
            instanceId = version >= 3 ? r.FlexNullableString(flex) : null;
            if (version >= 5)
            {
                _ = r.FlexNullableString(flex); // protocol type
                _ = r.FlexNullableString(flex); // protocol name
            }
            var n = r.FlexArrayCount(flex, 2);
            assignments = new List<(string, byte[])>(Math.Max(n, 0));
            for (var i = 0; i < n; i++)
            {
                var id = r.FlexString(flex);
                var assignment = r.FlexBytes(flex);
                r.FlexTags(flex);
                assignments.Add((id, assignment));
            }
            r.FlexTags(flex);
        }
        var group = groups.Find(groupId);
        var result = group is null
            ? SyncResult.Failed(GroupErrors.UnknownMemberId)
            : await group.SyncAsync(memberId, generation, assignments, GroupCoordinator.Now, instanceId).ConfigureAwait(false);
        var w = _response;
        if (version >= 1) w.Int32(0); // throttle
        w.Int16(result.Error);
        if (version >= 5)
        {
            w.FlexNullableString(result.ProtocolType, flex);
            w.FlexNullableString(result.ProtocolName, flex);
        }
        w.FlexBytes(result.Assignment, flex);
        w.FlexTags(flex);
    }

    private void Heartbeat(GroupCoordinator groups, short version, bool flex, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        var groupId = r.FlexString(flex);
        var generation = r.Int32();
        var memberId = r.FlexString(flex);
        var instanceId = version >= 3 ? r.FlexNullableString(flex) : null;
        r.FlexTags(flex);
        var error = groups.Find(groupId)?.Heartbeat(memberId, generation, GroupCoordinator.Now, instanceId) ?? GroupErrors.UnknownMemberId;
        var w = _response;
        if (version >= 1) w.Int32(0); // throttle
        w.Int16(error);
        w.FlexTags(flex);
    }

    private void LeaveGroup(GroupCoordinator groups, short version, bool flex, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        var groupId = r.FlexString(flex);
        var leaving = new List<(string MemberId, string? InstanceId)>();
        if (version <= 2)
        {
            leaving.Add((r.FlexString(flex), null));
        }
        else
        {
            var n = r.FlexArrayCount(flex, 2);
            for (var i = 0; i < n; i++)
            {
                var memberId = r.FlexString(flex);
                var instanceId = r.FlexNullableString(flex);
                r.FlexTags(flex);
                leaving.Add((memberId, instanceId));
            }
        }
        r.FlexTags(flex);
        var group = groups.Find(groupId);
        var errors = new short[leaving.Count];
        for (var i = 0; i < leaving.Count; i++)
            errors[i] = group?.Leave(leaving[i].MemberId, leaving[i].InstanceId, GroupCoordinator.Now) ?? GroupErrors.UnknownMemberId;
        var w = _response;
        if (version >= 1) w.Int32(0); // throttle
        if (version <= 2)
        {
            w.Int16(errors[0]);
        }
        else
        {
            w.Int16(KafkaErrors.None); // as Kafka: an unknown group shows in the members' errors (UNKNOWN_MEMBER_ID)
            w.FlexArrayCount(leaving.Count, flex);
            for (var i = 0; i < leaving.Count; i++)
            {
                w.FlexString(leaving[i].MemberId, flex);
                w.FlexNullableString(leaving[i].InstanceId, flex);
                w.Int16(errors[i]);
                w.FlexTags(flex);
            }
        }
        w.FlexTags(flex);
    }

    private async Task OffsetCommitAsync(GroupCoordinator groups, short version, bool flex, ReadOnlyMemory<byte> body)
    {
        string groupId, memberId;
        string? instanceId;
        int generation;
        var topics = new List<(string Name, List<(int Index, long Offset, int Epoch, string? Metadata)> Partitions)>();
        {
            var r = new KafkaReader(body.Span);
            groupId = r.FlexString(flex);
            generation = r.Int32();
            memberId = r.FlexString(flex);
            instanceId = version >= 7 ? r.FlexNullableString(flex) : null;
            if (version is >= 2 and <= 4) _ = r.Int64(); // retention time: offsets are kept until overwritten
            var tn = r.FlexArrayCount(flex, 2);
            for (var t = 0; t < tn; t++)
            {
                var name = r.FlexString(flex);
                var pn = r.FlexArrayCount(flex, 14);
                var parts = new List<(int, long, int, string?)>(Math.Max(pn, 0));
                for (var p = 0; p < pn; p++)
                {
                    var index = r.Int32();
                    var offset = r.Int64();
                    var epoch = version >= 6 ? r.Int32() : -1;
                    var metadata = r.FlexNullableString(flex);
                    r.FlexTags(flex);
                    parts.Add((index, offset, epoch, metadata));
                }
                r.FlexTags(flex);
                topics.Add((name, parts));
            }
            r.FlexTags(flex);
        }

        var now = GroupCoordinator.Now;
        ConsumerGroup? group;
        short groupError;
        if (groupId.Length == 0)
        {
            group = null;
            groupError = GroupErrors.InvalidGroupId;
        }
        else
        {
            group = generation < 0 && memberId.Length == 0 ? groups.GetOrCreate(groupId) : groups.Find(groupId);
            groupError = group?.ValidateCommit(memberId, generation, now, instanceId) ?? GroupErrors.UnknownMemberId;
        }
        var errors = new List<short[]>(topics.Count);
        var commits = new List<(string, int, CommittedOffset)>();
        var wall = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var (name, parts) in topics)
        {
            var e = new short[parts.Count];
            for (var i = 0; i < parts.Count; i++)
            {
                var (index, offset, epoch, metadata) = parts[i];
                if (groupError != KafkaErrors.None) e[i] = groupError;
                else if (metadata is { Length: > GroupCoordinator.MaxMetadataChars }) e[i] = GroupErrors.OffsetMetadataTooLarge;
                else if (index < 0) e[i] = KafkaErrors.UnknownTopicOrPartition;
                else commits.Add((name, index, new CommittedOffset(offset, epoch, metadata, wall)));
            }
            errors.Add(e);
        }
        if (group is not null && commits.Count > 0)
        {
            var stored = await groups.CommitAsync(group, commits).ConfigureAwait(false);
            if (stored != KafkaErrors.None)
                foreach (var e in errors)
                    for (var i = 0; i < e.Length; i++)
                        if (e[i] == KafkaErrors.None) e[i] = stored;
        }

        var w = _response;
        if (version >= 3) w.Int32(0); // throttle
        w.FlexArrayCount(topics.Count, flex);
        for (var t = 0; t < topics.Count; t++)
        {
            w.FlexString(topics[t].Name, flex);
            var parts = topics[t].Partitions;
            w.FlexArrayCount(parts.Count, flex);
            for (var i = 0; i < parts.Count; i++)
            {
                w.Int32(parts[i].Index);
                w.Int16(errors[t][i]);
                w.FlexTags(flex);
            }
            w.FlexTags(flex);
        }
        w.FlexTags(flex);
    }

    private void OffsetFetch(GroupCoordinator groups, short version, bool flex, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        var requests = new List<(string GroupId, List<(string Name, List<int> Partitions)>? Topics)>();
        if (version <= 7)
        {
            var groupId = r.FlexString(flex);
            requests.Add((groupId, ReadOffsetFetchTopics(ref r, flex)));
            if (version >= 7) _ = r.Bool(); // require stable: every commit is stable here
        }
        else
        {
            var n = r.FlexArrayCount(flex, 2);
            for (var i = 0; i < n; i++)
            {
                var groupId = r.FlexString(flex);
                var topics = ReadOffsetFetchTopics(ref r, flex);
                r.FlexTags(flex);
                requests.Add((groupId, topics));
            }
            _ = r.Bool(); // require stable
        }
        r.FlexTags(flex);

        var w = _response;
        if (version >= 3) w.Int32(0); // throttle
        if (version >= 8) w.FlexArrayCount(requests.Count, flex);
        foreach (var (groupId, requested) in requests)
        {
            if (version >= 8) w.FlexString(groupId, flex);
            var group = groups.Find(groupId);
            var topics = requested;
            Dictionary<(string, int), CommittedOffset> offsets;
            var error = KafkaErrors.None;
            if (group is null)
            {
                offsets = [];
            }
            else
            {
                lock (group.Gate)
                {
                    offsets = new Dictionary<(string, int), CommittedOffset>(group.Offsets);
                    if (group.OffsetsDamaged) error = KafkaErrors.KafkaStorageError;
                }
            }
            topics ??= AllCommitted(offsets);
            w.FlexArrayCount(topics.Count, flex);
            foreach (var (name, partitions) in topics)
            {
                w.FlexString(name, flex);
                w.FlexArrayCount(partitions.Count, flex);
                foreach (var p in partitions)
                {
                    var found = offsets.TryGetValue((name, p), out var c);
                    w.Int32(p);
                    w.Int64(found ? c!.Offset : -1);
                    if (version >= 5) w.Int32(found ? c!.LeaderEpoch : -1);
                    w.FlexNullableString(found ? c!.Metadata : "", flex);
                    w.Int16(error);
                    w.FlexTags(flex);
                }
                w.FlexTags(flex);
            }
            if (version >= 2) w.Int16(error);
            if (version >= 8) w.FlexTags(flex);
        }
        w.FlexTags(flex);
    }

    private static List<(string Name, List<int> Partitions)>? ReadOffsetFetchTopics(ref KafkaReader r, bool flex)
    {
        var n = r.FlexArrayCount(flex, 2);
        if (n < 0) return null; // all topics the group committed
        var topics = new List<(string, List<int>)>(n);
        for (var t = 0; t < n; t++)
        {
            var name = r.FlexString(flex);
            var pn = r.FlexArrayCount(flex, 4);
            var partitions = new List<int>(Math.Max(pn, 0));
            for (var p = 0; p < pn; p++) partitions.Add(r.Int32());
            r.FlexTags(flex);
            topics.Add((name, partitions));
        }
        return topics;
    }

    private static List<(string Name, List<int> Partitions)> AllCommitted(Dictionary<(string Topic, int Partition), CommittedOffset> offsets)
    {
        var byTopic = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var (topic, partition) in offsets.Keys)
        {
            if (!byTopic.TryGetValue(topic, out var list)) byTopic[topic] = list = [];
            list.Add(partition);
        }
        var result = new List<(string, List<int>)>(byTopic.Count);
        foreach (var (topic, list) in byTopic)
        {
            list.Sort();
            result.Add((topic, list));
        }
        return result;
    }

    private void ListGroups(GroupCoordinator groups, short version, bool flex, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        List<string>? states = null;
        if (version >= 4)
        {
            var n = r.FlexArrayCount(flex, 1);
            if (n > 0)
            {
                states = new List<string>(n);
                for (var i = 0; i < n; i++) states.Add(r.FlexString(flex));
            }
        }
        r.FlexTags(flex);
        var listed = new List<(string Id, string ProtocolType, string State)>();
        foreach (var group in groups.Groups)
        {
            if (group.IsIdle) continue;
            var (state, protocolType, _, _) = group.Describe();
            var stateName = ConsumerGroup.StateName(state);
            if (states is not null && !states.Exists(s => string.Equals(s, stateName, StringComparison.OrdinalIgnoreCase))) continue;
            listed.Add((group.GroupId, protocolType ?? "", stateName));
        }
        listed.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var w = _response;
        if (version >= 1) w.Int32(0); // throttle
        w.Int16(KafkaErrors.None);
        w.FlexArrayCount(listed.Count, flex);
        foreach (var (id, protocolType, state) in listed)
        {
            w.FlexString(id, flex);
            w.FlexString(protocolType, flex);
            if (version >= 4) w.FlexString(state, flex);
            w.FlexTags(flex);
        }
        w.FlexTags(flex);
    }

    private void DescribeGroups(GroupCoordinator groups, short version, bool flex, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        var n = r.FlexArrayCount(flex, 2);
        var ids = new List<string>(Math.Max(n, 0));
        for (var i = 0; i < n; i++) ids.Add(r.FlexString(flex));
        if (version >= 3) _ = r.Bool(); // include authorized operations: not tracked
        r.FlexTags(flex);
        var w = _response;
        if (version >= 1) w.Int32(0); // throttle
        w.FlexArrayCount(ids.Count, flex);
        foreach (var id in ids)
        {
            var group = groups.Find(id);
            var known = group is not null && !group.IsIdle;
            var (state, protocolType, protocolName, members) = known ? group!.Describe() : (GroupState.Empty, null, null, []);
            w.Int16(KafkaErrors.None);
            w.FlexString(id, flex);
            w.FlexString(known ? ConsumerGroup.StateName(state) : "Dead", flex);
            w.FlexString(protocolType ?? "", flex);
            w.FlexString(protocolName ?? "", flex);
            w.FlexArrayCount(members.Count, flex);
            foreach (var m in members)
            {
                w.FlexString(m.MemberId, flex);
                if (version >= 4) w.FlexNullableString(m.GroupInstanceId, flex);
                w.FlexString(m.ClientId, flex);
                w.FlexString(m.ClientHost, flex);
                w.FlexBytes(m.Metadata, flex);
                w.FlexBytes(m.Assignment, flex);
                w.FlexTags(flex);
            }
            if (version >= 3) w.Int32(int.MinValue); // authorized operations: not requested
            w.FlexTags(flex);
        }
        w.FlexTags(flex);
    }
}
