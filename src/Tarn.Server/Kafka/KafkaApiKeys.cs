namespace Tarn.Server.Kafka;

/// <summary>The APIs this endpoint serves and the (non-flexible, except ApiVersions v3) version ranges it advertises.</summary>
internal static class KafkaApiKeys
{
    public const short Produce = 0;
    public const short Fetch = 1;
    public const short ListOffsets = 2;
    public const short Metadata = 3;
    public const short ApiVersions = 18;
    public const short CreateTopics = 19;
    public const short InitProducerId = 22;
    public const short DescribeConfigs = 32;

    public static readonly (short Key, short Min, short Max)[] Supported =
    [
        (Produce, 3, 8),
        (Fetch, 4, 11),
        (ListOffsets, 1, 5),
        (Metadata, 0, 8),
        (ApiVersions, 0, 3),
        (CreateTopics, 0, 7),
        (InitProducerId, 0, 4),
        (DescribeConfigs, 0, 4),
    ];

    /// <summary>The first version of an API whose request and response use KIP-482 flexible encoding (header v2/v1).</summary>
    public static short FirstFlexibleVersion(short apiKey) => apiKey switch
    {
        Produce => 9,
        Fetch => 12,
        ListOffsets => 6,
        Metadata => 9,
        ApiVersions => 3,
        CreateTopics => 5,
        InitProducerId => 2,
        DescribeConfigs => 4,
        _ => short.MaxValue,
    };

    public static bool IsFlexible(short apiKey, short version) => version >= FirstFlexibleVersion(apiKey);

    public static bool IsSupported(short key, short version)
    {
        foreach (var (k, min, max) in Supported)
            if (k == key) return version >= min && version <= max;
        return false;
    }
}
