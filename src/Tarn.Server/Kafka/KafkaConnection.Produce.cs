namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    private readonly record struct ProducePartition(int Index, ReadOnlyMemory<byte>? Records);

    private sealed record ProduceTopic(string Name, List<ProducePartition> Partitions);

    private static (short Acks, List<ProduceTopic> Topics) ParseProduceRequest(ReadOnlyMemory<byte> body)
    {
        var r = new KafkaReader(body.Span);
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
                ReadOnlyMemory<byte>? records = null;
                if (r.NullableBytes(out var data)) records = body.Slice(r.Position - data.Length, data.Length);
                parts.Add(new ProducePartition(index, records));
            }
            topics.Add(new ProduceTopic(name, parts));
        }
        if (r.Remaining != 0) throw new KafkaProtocolException("trailing bytes after the produce request");
        return (acks, topics);
    }

    /// <summary>
    /// Stores every partition's records (all partitions of the request concurrently, so their commits share one
    /// fsync) and answers once they are durable: acks=1 and acks=all both mean durable. The base offset is the offset
    /// of the batch's first row in the bucket; records keep their CreateTime (log_append_time -1); nothing is ever
    /// deleted, so the log start offset is 0.
    /// </summary>
    private async Task<bool> ProduceAsync(short version, ReadOnlyMemory<byte> body)
    {
        var (acks, topics, results) = StartProduce(body);
        await Task.WhenAll(results).ConfigureAwait(false);
        if (acks == 0) return false;
        WriteProduceResponse(_response, version, topics, results);
        return true;
    }

    /// <summary>
    /// Parses the request and starts storing every partition. Each partition's records are decoded before this
    /// returns (the decoder copies them into column vectors), so the request frame may be reused at once; an idempotent
    /// producer's partition gate is entered in request order, which keeps a pipelined connection's batches in order.
    /// </summary>
    private (short Acks, List<ProduceTopic> Topics, List<Task<(short Error, long BaseOffset)>> Results) StartProduce(ReadOnlyMemory<byte> body)
    {
        var (acks, topics) = ParseProduceRequest(body);
        var inflate = new DecompressionBudget(_maxFrameBytes) { Metrics = Metrics }; // shared by all partitions of the request (decoded in turn, here)
        var results = new List<Task<(short Error, long BaseOffset)>>();
        foreach (var topic in topics)
            foreach (var part in topic.Partitions)
                results.Add(ProducePartitionAsync(topic.Name, part, inflate));
        return (acks, topics, results);
    }

    private static void WriteProduceResponse(KafkaWriter w, short version, List<ProduceTopic> topics, List<Task<(short Error, long BaseOffset)>> results)
    {
        w.Int32(topics.Count);
        var i = 0;
        foreach (var topic in topics)
        {
            w.String(topic.Name);
            w.Int32(topic.Partitions.Count);
            foreach (var part in topic.Partitions)
            {
                var (error, baseOffset) = results[i++].Result;
                w.Int32(part.Index);
                w.Int16(error);
                w.Int64(error == KafkaErrors.None ? baseOffset : -1);
                if (version >= 2) w.Int64(-1); // log append time: -1 = CreateTime is kept
                if (version >= 5) w.Int64(error == KafkaErrors.UnknownTopicOrPartition ? -1 : 0); // log start offset
                if (version >= 8)
                {
                    w.Int32(0); // record errors
                    w.NullableString(null);
                }
            }
        }
        w.Int32(0); // throttle
    }

    private async Task<(short Error, long BaseOffset)> ProducePartitionAsync(string topic, ProducePartition part, DecompressionBudget inflate)
    {
        if (part.Records is not { } records) return (KafkaErrors.None, -1);
        if (!MayAccess(topic, Catalog.Model.TablePrivileges.Insert)) return (TopicAuthorizationFailed, -1);
        try
        {
            return await _topics.ProduceAsync(topic, part.Index, records, inflate, stored => Metrics.Produced(topic, stored)).ConfigureAwait(false);
        }
        catch (TarnException e) when (e.SqlState is SqlStates.NotNullViolation or SqlStates.DatatypeMismatch or SqlStates.InvalidParameterValue)
        {
            return (KafkaErrors.InvalidRecord, -1);
        }
        catch (TarnException)
        {
            return (KafkaErrors.KafkaStorageError, -1);
        }
    }
}
