namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    private const long EarliestTimestamp = -2;

    /// <summary>
    /// Earliest (-2) is offset 0 and latest (-1) the bucket's next offset. Lookup by timestamp is not supported yet and
    /// answers the latest offset.
    /// </summary>
    private void ListOffsets(short version, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        _ = r.Int32(); // replica id
        if (version >= 2) _ = r.Int8(); // isolation level
        var topicCount = r.ArrayCount(6);
        var w = _response;
        if (version >= 2) w.Int32(0); // throttle
        w.Int32(topicCount < 0 ? 0 : topicCount);
        for (var t = 0; t < topicCount; t++)
        {
            var name = r.String();
            var watermarks = _topics.HighWatermarks(name);
            var partCount = r.ArrayCount(12);
            w.String(name);
            w.Int32(partCount < 0 ? 0 : partCount);
            for (var p = 0; p < partCount; p++)
            {
                var index = r.Int32();
                if (version >= 4) _ = r.Int32(); // current leader epoch
                var timestamp = r.Int64();
                var known = watermarks is not null && index >= 0 && index < watermarks.Length;
                w.Int32(index);
                w.Int16(!known ? KafkaErrors.UnknownTopicOrPartition : MayAccess(name, Catalog.Model.TablePrivileges.Select) ? KafkaErrors.None : TopicAuthorizationFailed);
                w.Int64(-1); // timestamp
                w.Int64(!known ? -1 : timestamp == EarliestTimestamp ? 0 : watermarks![index]);
                if (version >= 4) w.Int32(-1); // leader epoch
            }
        }
    }
}
