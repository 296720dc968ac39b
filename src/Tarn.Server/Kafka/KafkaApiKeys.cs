namespace Tarn.Server.Kafka;

/// <summary>The APIs this endpoint serves and the version ranges it advertises, and which versions are flexible.</summary>
internal static class KafkaApiKeys
{
    public const short Produce = 0;
    public const short Fetch = 1;
    public const short ListOffsets = 2;
    public const short Metadata = 3;
    public const short ApiVersions = 18;
    public const short OffsetCommit = 8;
    public const short OffsetFetch = 9;
    public const short FindCoordinator = 10;
    public const short JoinGroup = 11;
    public const short Heartbeat = 12;
    public const short LeaveGroup = 13;
    public const short SyncGroup = 14;
    public const short DescribeGroups = 15;
    public const short ListGroups = 16;
    public const short CreateTopics = 19;
    public const short InitProducerId = 22;
    public const short DescribeConfigs = 32;
    public const short DeleteGroups = 42;
    public const short OffsetDelete = 47;

    public static readonly (short Key, short Min, short Max)[] Supported =
    [
        (Produce, 3, 8),
        (Fetch, 4, 11),
        (ListOffsets, 1, 5),
        (Metadata, 0, 8),
        (ApiVersions, 0, 3),
        (OffsetCommit, 2, 8),
        (OffsetFetch, 1, 8),
        (FindCoordinator, 0, 4),
        (JoinGroup, 0, 7),
        (Heartbeat, 0, 4),
        (LeaveGroup, 0, 4),
        (SyncGroup, 0, 5),
        (DescribeGroups, 0, 5),
        (ListGroups, 0, 4),
        (CreateTopics, 0, 7),
        (InitProducerId, 0, 4),
        (DescribeConfigs, 0, 4),
        (DeleteGroups, 0, 2),
        (OffsetDelete, 0, 0),
        (KafkaConnection.SaslHandshakeKey, 0, 1),
        (KafkaConnection.SaslAuthenticateKey, 0, 2),
    ];

    /// <summary>
    /// The first flexible (KIP-482: compact strings/arrays, tagged fields, request header v2, response header v1)
    /// version of each API, from Kafka's message definitions; an API missing here has no flexible version we serve.
    /// </summary>
    public static readonly (short Key, short FirstFlexible)[] FlexibleFrom =
    [
        (Produce, 9),
        (Fetch, 12),
        (ListOffsets, 6),
        (Metadata, 9),
        (OffsetCommit, 8),
        (OffsetFetch, 6),
        (FindCoordinator, 3),
        (JoinGroup, 6),
        (Heartbeat, 4),
        (LeaveGroup, 4),
        (SyncGroup, 4),
        (DescribeGroups, 5),
        (ListGroups, 3),
        (ApiVersions, 3),
        (CreateTopics, 5),
        (InitProducerId, 2),
        (DescribeConfigs, 4),
        (DeleteGroups, 2),
    ];

    /// <summary>
    /// The lowest version ApiVersions advertises. Produce is advertised from v0, as Kafka 3.x brokers do, although only
    /// v3+ (RecordBatch v2) is served: librdkafka before 2.10 (kcat 1.7.1) checks that Produce v0 exists before it
    /// compresses with gzip, snappy or lz4 and otherwise silently sends uncompressed batches. A v0-v2 request (magic 0/1
    /// message sets, which this server cannot store) still closes the connection as an unsupported version.
    /// </summary>
    public static short AdvertisedMin(short key, short min) => key == Produce ? (short)0 : min;

    /// <summary>Whether this version of the API uses the flexible encoding (and request header v2).</summary>
    public static bool IsFlexible(short key, short version)
    {
        foreach (var (k, first) in FlexibleFrom)
            if (k == key) return version >= first;
        return false;
    }

    public static bool IsSupported(short key, short version)
    {
        foreach (var (k, min, max) in Supported)
            if (k == key) return version >= min && version <= max;
        return false;
    }
}
