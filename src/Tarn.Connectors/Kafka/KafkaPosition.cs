using System.Buffers.Binary;
using System.Text;

namespace Tarn.Connectors.Kafka;

/// <summary>What a kafka source has done in one partition: the next offset to return and where it stops.</summary>
internal sealed class KafkaPartitionState(string topic, int partition, long next, long stop, bool seekTimestamp)
{
    public string Topic { get; } = topic;
    public int Partition { get; } = partition;

    /// <summary>Offset of the first record not yet returned.</summary>
    public long Next { get; set; } = next;

    /// <summary>Bounded reads stop before this offset; -1 when unbounded (or bounded by timestamp only).</summary>
    public long Stop { get; } = stop;

    /// <summary>
    /// Startup by timestamp that the broker could not resolve to an offset: records older than the startup timestamp
    /// are skipped until the first one that is not (then every record counts, as with Kafka's offsetsForTimes).
    /// </summary>
    public bool SeekTimestamp { get; set; } = seekTimestamp;

    public KafkaPartitionState Copy() => new(Topic, Partition, Next, Stop, SeekTimestamp);
}

/// <summary>
/// A kafka source's position, stored in the job's checkpoint: whether its first assignment was made (before it, a
/// restart starts per <c>scan.startup.mode</c> again) and every assigned partition's state. Partitions found after
/// the position was taken start at their earliest offset, as Flink's newly discovered partitions do.
/// </summary>
internal sealed class KafkaPosition
{
    private const byte Version = 1;

    public bool Initialized { get; init; }
    public required IReadOnlyList<KafkaPartitionState> Partitions { get; init; }

    public byte[] Encode()
    {
        var size = 1 + 1 + 4;
        foreach (var p in Partitions) size += 4 + Encoding.UTF8.GetByteCount(p.Topic) + 4 + 8 + 8 + 1;
        var bytes = new byte[size];
        var s = bytes.AsSpan();
        s[0] = Version;
        s[1] = Initialized ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(s[2..], Partitions.Count);
        var pos = 6;
        foreach (var p in Partitions)
        {
            var n = Encoding.UTF8.GetBytes(p.Topic, s[(pos + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(s[pos..], n);
            pos += 4 + n;
            BinaryPrimitives.WriteInt32LittleEndian(s[pos..], p.Partition);
            BinaryPrimitives.WriteInt64LittleEndian(s[(pos + 4)..], p.Next);
            BinaryPrimitives.WriteInt64LittleEndian(s[(pos + 12)..], p.Stop);
            s[pos + 20] = p.SeekTimestamp ? (byte)1 : (byte)0;
            pos += 21;
        }
        return bytes;
    }

    public static KafkaPosition Decode(ReadOnlySpan<byte> s)
    {
        try
        {
            if (s.Length < 6 || s[0] != Version) throw Bad(s.Length);
            var count = BinaryPrimitives.ReadInt32LittleEndian(s[2..]);
            if (count < 0) throw Bad(s.Length);
            var partitions = new List<KafkaPartitionState>(Math.Min(count, 4096));
            var pos = 6;
            for (var i = 0; i < count; i++)
            {
                var n = BinaryPrimitives.ReadInt32LittleEndian(s[pos..]);
                if (n < 0) throw Bad(s.Length);
                var topic = Encoding.UTF8.GetString(s.Slice(pos + 4, n));
                pos += 4 + n;
                partitions.Add(new KafkaPartitionState(topic, BinaryPrimitives.ReadInt32LittleEndian(s[pos..]),
                    BinaryPrimitives.ReadInt64LittleEndian(s[(pos + 4)..]), BinaryPrimitives.ReadInt64LittleEndian(s[(pos + 12)..]), s[pos + 20] != 0));
                pos += 21;
            }
            if (pos != s.Length) throw Bad(s.Length);
            return new KafkaPosition { Initialized = s[1] != 0, Partitions = partitions };
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Bad(s.Length);
        }
    }

    private static TarnException Bad(int length) => new(SqlStates.InvalidParameterValue, $"not a kafka source position ({length} bytes)");
}
