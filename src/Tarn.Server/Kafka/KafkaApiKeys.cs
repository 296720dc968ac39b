namespace Tarn.Server.Kafka;

/// <summary>The APIs this endpoint serves and the (non-flexible, except ApiVersions v3) version ranges it advertises.</summary>
internal static class KafkaApiKeys
{
    public const short Produce = 0;
    public const short Fetch = 1;
    public const short ListOffsets = 2;
    public const short Metadata = 3;
    public const short ApiVersions = 18;

    public static readonly (short Key, short Min, short Max)[] Supported =
    [
        (Produce, 3, 8),
        (Fetch, 4, 11),
        (ListOffsets, 1, 5),
        (Metadata, 0, 8),
        (ApiVersions, 0, 3),
        (KafkaConnection.SaslHandshakeKey, 1, 1),
        (KafkaConnection.SaslAuthenticateKey, 0, 2),
    ];

    public static bool IsSupported(short key, short version)
    {
        foreach (var (k, min, max) in Supported)
            if (k == key) return version >= min && version <= max;
        return false;
    }
}
