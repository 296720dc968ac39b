namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    /// <summary>
    /// InitProducerId v0-v4 for idempotent producers (no transactions): a new producer id at epoch 0, or, when the
    /// client names its current id and epoch (v3+, KIP-360, after an unresolvable sequence error), the same id with the
    /// epoch bumped so its sequences restart at 0.
    /// </summary>
    private void InitProducerId(short version, ReadOnlySpan<byte> body)
    {
        var flexible = KafkaApiKeys.IsFlexible(KafkaApiKeys.InitProducerId, version);
        var r = new KafkaReader(body);
        var transactionalId = r.FlexNullableString(flexible);
        _ = r.Int32(); // transaction timeout
        long producerId = -1;
        short epoch = -1;
        if (version >= 3)
        {
            producerId = r.Int64();
            epoch = r.Int16();
        }
        var error = KafkaErrors.None;
        if (transactionalId is not null) error = KafkaErrors.TransactionalIdAuthorizationFailed;
        else if (producerId >= 0 && epoch >= 0 && epoch < short.MaxValue - 1) epoch++;
        else
        {
            producerId = _topics.Producers.NewProducerId();
            epoch = 0;
        }
        var w = _response;
        w.Int32(0); // throttle
        w.Int16(error);
        w.Int64(error == KafkaErrors.None ? producerId : -1);
        w.Int16(error == KafkaErrors.None ? epoch : (short)-1);
        w.FlexTags(flexible);
    }
}
