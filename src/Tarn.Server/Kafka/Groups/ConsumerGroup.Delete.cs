using System.Buffers.Binary;
using System.Text;

namespace Tarn.Server.Kafka.Groups;

/// <summary>
/// What DeleteGroups and OffsetDelete need of a group: whether it may be deleted (no member, as Kafka's Empty state),
/// and which topics its members subscribe to (read from the consumer protocol's subscription metadata).
/// </summary>
internal sealed partial class ConsumerGroup
{
    /// <summary>Set once DeleteGroups removed the group: requests still holding it are answered COORDINATOR_NOT_AVAILABLE.</summary>
    public bool Deleted { get; private set; }

    /// <summary>
    /// Marks the group deleted and forgets its offsets, unless it has members (NON_EMPTY_GROUP). The caller removes
    /// the file and the table consumers.
    /// </summary>
    public short MarkDeleted()
    {
        lock (_gate)
        {
            if (_members.Count > 0 || State != GroupState.Empty) return GroupErrors.NonEmptyGroup;
            Deleted = true;
            _pendingMemberIds.Clear();
            Offsets.Clear();
            OffsetsDamaged = false;
            return KafkaErrors.None;
        }
    }

    /// <summary>
    /// The topics the members subscribe to, while the group has members; null when it has none (every offset may be
    /// deleted). A group of another protocol type than <c>consumer</c> with members gets NON_EMPTY_GROUP.
    /// </summary>
    public (short Error, HashSet<string>? Subscribed) SubscribedTopics()
    {
        lock (_gate)
        {
            if (_members.Count == 0) return (KafkaErrors.None, null);
            if (ProtocolType != "consumer") return (GroupErrors.NonEmptyGroup, null);
            var topics = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in _members)
            {
                var metadata = ProtocolName is not null ? m.MetadataFor(ProtocolName) : m.Protocols.Count > 0 ? m.Protocols[0].Metadata : null;
                if (metadata is null || !ReadSubscription(metadata, topics)) return (GroupErrors.NonEmptyGroup, null); // cannot tell: keep every offset
            }
            return (KafkaErrors.None, topics);
        }
    }

    /// <summary>ConsumerProtocolSubscription (any version): INT16 version, then an array of INT16-length topic names.</summary>
    private static bool ReadSubscription(ReadOnlySpan<byte> metadata, HashSet<string> topics)
    {
        if (metadata.Length < 6) return false;
        var n = BinaryPrimitives.ReadInt32BigEndian(metadata[2..]);
        var pos = 6;
        if (n < 0 || n > (metadata.Length - pos) / 2) return false;
        for (var i = 0; i < n; i++)
        {
            if (metadata.Length - pos < 2) return false;
            var length = BinaryPrimitives.ReadInt16BigEndian(metadata[pos..]);
            pos += 2;
            if (length < 0 || length > metadata.Length - pos) return false;
            topics.Add(Encoding.UTF8.GetString(metadata.Slice(pos, length)));
            pos += length;
        }
        return true;
    }

    /// <summary>Removes the offsets of these partitions; returns a copy of what is left (to store).</summary>
    public Dictionary<(string Topic, int Partition), CommittedOffset> RemoveOffsets(List<(string Topic, int Partition)> partitions)
    {
        lock (_gate)
        {
            foreach (var key in partitions) Offsets.Remove(key);
            return new Dictionary<(string, int), CommittedOffset>(Offsets);
        }
    }
}
