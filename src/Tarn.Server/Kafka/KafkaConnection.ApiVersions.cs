namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    private void WriteApiVersions(short version, short error)
    {
        var w = _response;
        w.Int16(error);
        var apis = KafkaApiKeys.Supported;
        if (error == KafkaErrors.UnsupportedVersion)
        {
            // only the ApiVersions range, as Kafka does (KIP-511)
            w.Int32(1);
            w.Int16(KafkaApiKeys.ApiVersions);
            w.Int16(0);
            w.Int16(3);
            return;
        }
        if (version >= 3)
        {
            w.UVarLong((ulong)apis.Length + 1);
            foreach (var (key, min, max) in apis)
            {
                w.Int16(key);
                w.Int16(KafkaApiKeys.AdvertisedMin(key, min));
                w.Int16(max);
                w.UVarLong(0);
            }
            w.Int32(0); // throttle
            w.UVarLong(0);
            return;
        }
        w.Int32(apis.Length);
        foreach (var (key, min, max) in apis)
        {
            w.Int16(key);
            w.Int16(KafkaApiKeys.AdvertisedMin(key, min));
            w.Int16(max);
        }
        if (version >= 1) w.Int32(0);
    }
}
