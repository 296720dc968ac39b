namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    private sealed record ProducePartition(int Index, short Error, List<KafkaRecord> Records);

    private sealed record ProduceTopic(string Name, List<ProducePartition> Partitions);

    private static (short Acks, List<ProduceTopic> Topics) ParseProduceRequest(ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        _ = r.NullableString(); // transactional id
        var acks = r.Int16();
        _ = r.Int32(); // timeout
        var topicCount = r.ArrayCount(6);
        var topics = new List<ProduceTopic>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = r.String();
            var partCount = r.ArrayCount(8);
            var parts = new List<ProducePartition>(Math.Max(partCount, 0));
            for (var p = 0; p < partCount; p++)
            {
                var index = r.Int32();
                var records = new List<KafkaRecord>();
                var error = r.NullableBytes(out var data) ? RecordBatchReader.Decode(data, records) : KafkaErrors.None;
                parts.Add(new ProducePartition(index, error, records));
            }
            topics.Add(new ProduceTopic(name, parts));
        }
        if (r.Remaining != 0) throw new KafkaProtocolException("trailing bytes after the produce request");
        return (acks, topics);
    }

    /// <summary>
    /// Appends each partition's records to the topic's table; the response is sent once they are committed, so
    /// acks=1 and acks=all both mean durable. Rows go to the bucket the table's layout chooses, so the base offset is
    /// reported as unknown (-1) for now.
    /// </summary>
    private async Task<bool> ProduceAsync(short version, ReadOnlyMemory<byte> body)
    {
        var (acks, topics) = ParseProduceRequest(body.Span);
        var results = new List<(string Topic, List<(int Index, short Error)> Parts)>(topics.Count);
        foreach (var topic in topics)
        {
            var partitions = _topics.HighWatermarks(topic.Name);
            var parts = new List<(int, short)>(topic.Partitions.Count);
            foreach (var part in topic.Partitions)
            {
                var error = part.Error;
                if (partitions is null || part.Index < 0 || part.Index >= partitions.Length) error = KafkaErrors.UnknownTopicOrPartition;
                else if (!MayAccess(topic.Name, Catalog.Model.TablePrivileges.Insert)) error = TopicAuthorizationFailed;
                if (error == KafkaErrors.None)
                {
                    try
                    {
                        error = await _topics.AppendAsync(topic.Name, part.Records).ConfigureAwait(false);
                    }
                    catch (TarnException)
                    {
                        error = KafkaErrors.KafkaStorageError;
                    }
                }
                parts.Add((part.Index, error));
            }
            results.Add((topic.Name, parts));
        }
        if (acks == 0) return false;
        var w = _response;
        w.Int32(results.Count);
        foreach (var (name, parts) in results)
        {
            w.String(name);
            w.Int32(parts.Count);
            foreach (var (index, error) in parts)
            {
                w.Int32(index);
                w.Int16(error);
                w.Int64(-1); // base offset
                w.Int64(-1); // log append time: CreateTime is kept
                if (version >= 5) w.Int64(0); // log start offset
                if (version >= 8)
                {
                    w.Int32(0); // record errors
                    w.NullableString(null);
                }
            }
        }
        w.Int32(0); // throttle
        return true;
    }
}
