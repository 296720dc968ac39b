namespace Tarn.Server.Kafka.Groups;

/// <summary>
/// DeleteGroups and OffsetDelete (storage-spec 12-kafka-groups.md, KGRP-005 and KGRP-006): a deleted group loses its
/// offsets file and the <c>kafka:&lt;group&gt;</c> consumer it registered on every table, so retention and compaction
/// no longer keep data for it; deleted offsets leave the file and the table's consumer positions.
/// </summary>
internal sealed partial class GroupCoordinator
{
    /// <summary>The topics a group holds committed offsets for (none for an unknown group).</summary>
    public IReadOnlyCollection<string> CommittedTopics(string groupId)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        if (Find(groupId) is not { } group) return topics;
        lock (group.Gate)
            foreach (var (topic, _) in group.Offsets.Keys) topics.Add(topic);
        return topics;
    }

    /// <summary>Deletes a group without members: GROUP_ID_NOT_FOUND when there is none, NON_EMPTY_GROUP while it has members.</summary>
    public async Task<short> DeleteGroupAsync(string groupId)
    {
        if (groupId.Length == 0) return GroupErrors.InvalidGroupId;
        var group = Find(groupId);
        if (group is null || group.Deleted || group.IsIdle) return GroupErrors.GroupIdNotFound;
        await group.WriteLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var error = group.MarkDeleted();
            if (error != KafkaErrors.None) return error;
            _groups.TryRemove(new KeyValuePair<string, ConsumerGroup>(groupId, group));
            try
            {
                Store.Delete(groupId);
            }
            catch (Exception e) when (e is TarnException or IOException or UnauthorizedAccessException)
            {
                return KafkaErrors.KafkaStorageError;
            }
            foreach (var key in _registered.Keys)
                if (key.Group == groupId) _registered.TryRemove(key, out _);
            await RemoveConsumerAsync(groupId, null).ConfigureAwait(false);
            return KafkaErrors.None;
        }
        finally
        {
            group.WriteLock.Release();
        }
    }

    /// <summary>
    /// Deletes committed offsets of a group: per partition NONE, or GROUP_SUBSCRIBED_TO_TOPIC for a topic a member
    /// subscribes to; the whole request fails with GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP.
    /// </summary>
    public async Task<(short Error, short[][] PartitionErrors)> DeleteOffsetsAsync(string groupId, List<(string Topic, List<int> Partitions)> topics)
    {
        var errors = new short[topics.Count][];
        for (var t = 0; t < topics.Count; t++) errors[t] = new short[topics[t].Partitions.Count];
        if (groupId.Length == 0) return (GroupErrors.InvalidGroupId, errors);
        var group = Find(groupId);
        if (group is null || group.Deleted || group.IsIdle) return (GroupErrors.GroupIdNotFound, errors);
        var (groupError, subscribed) = group.SubscribedTopics();
        if (groupError != KafkaErrors.None) return (groupError, errors);

        var removed = new List<(string, int)>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        for (var t = 0; t < topics.Count; t++)
        {
            var (topic, partitions) = topics[t];
            var isSubscribed = subscribed is not null && subscribed.Contains(topic);
            for (var p = 0; p < partitions.Count; p++)
            {
                if (isSubscribed)
                {
                    errors[t][p] = GroupErrors.GroupSubscribedToTopic;
                    continue;
                }
                removed.Add((topic, partitions[p]));
                touched.Add(topic);
            }
        }
        if (removed.Count == 0) return (KafkaErrors.None, errors);

        await group.WriteLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (group.OffsetsDamaged) return (KafkaErrors.KafkaStorageError, errors);
            var left = group.RemoveOffsets(removed);
            try
            {
                if (left.Count == 0) Store.Delete(groupId);
                else Store.Write(groupId, left);
            }
            catch (Exception e) when (e is TarnException or IOException or UnauthorizedAccessException)
            {
                return (KafkaErrors.KafkaStorageError, errors);
            }
            // the tables keep the group's remaining positions; a table none of whose partitions is left forgets the group
            var stillCommitted = new List<(string, int, CommittedOffset)>();
            foreach (var topic in touched)
            {
                var any = false;
                foreach (var ((t, p), c) in left)
                {
                    if (t != topic) continue;
                    stillCommitted.Add((t, p, c));
                    any = true;
                }
                if (!any)
                {
                    _registered.TryRemove((groupId, topic), out _);
                    await RemoveConsumerAsync(groupId, topic).ConfigureAwait(false);
                }
            }
            if (stillCommitted.Count > 0) await RegisterConsumersAsync(groupId, stillCommitted, left).ConfigureAwait(false);
            return (KafkaErrors.None, errors);
        }
        finally
        {
            group.WriteLock.Release();
        }
    }

    /// <summary>Removes consumer <c>kafka:&lt;group&gt;</c> from one table, or from every table when <paramref name="topic"/> is null.</summary>
    private async Task RemoveConsumerAsync(string groupId, string? topic)
    {
        if (_database is null || (topic is not null && !KafkaTopics.IsValidName(topic))) return;
        try
        {
            await _database.RemoveConsumerAsync("kafka:" + groupId, topic).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TarnException or ArgumentException or InvalidOperationException or ObjectDisposedException)
        {
            // not a native table (or dropped meanwhile, or the database is closing): nothing holds data for the group there
        }
    }
}
