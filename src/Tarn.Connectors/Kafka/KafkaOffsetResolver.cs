using Confluent.Kafka;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// Turns <c>scan.startup.mode</c> and <c>scan.bounded.mode</c> into concrete offsets per partition, so that a saved
/// position never holds a moving target such as "latest". Timestamps go through Kafka's offsetsForTimes; when the
/// broker cannot answer (no record that late, or a broker without time indexes such as librdkafka's mock cluster) the
/// partition starts at its earliest offset and skips older records (<see cref="KafkaPartitionState.SeekTimestamp"/>).
/// </summary>
internal sealed class KafkaOffsetResolver(IConsumer<byte[]?, byte[]?> consumer, KafkaTable table, KafkaBlockingCalls calls)
{
    public List<KafkaPartitionState> Earliest(IReadOnlyList<TopicPartition> partitions)
    {
        var states = new List<KafkaPartitionState>(partitions.Count);
        foreach (var tp in partitions) states.Add(new KafkaPartitionState(tp.Topic, tp.Partition, Watermarks(tp).Low, -1, false));
        return states;
    }

    public List<KafkaPartitionState> Startup(IReadOnlyList<TopicPartition> partitions)
    {
        var startup = table.Options.Startup;
        switch (startup.Mode)
        {
            case KafkaStartupMode.EarliestOffset:
                return Earliest(partitions);
            case KafkaStartupMode.LatestOffset:
            {
                var states = new List<KafkaPartitionState>(partitions.Count);
                foreach (var tp in partitions) states.Add(new KafkaPartitionState(tp.Topic, tp.Partition, Watermarks(tp).High, -1, false));
                return states;
            }
            case KafkaStartupMode.Timestamp:
            {
                var found = ForTimes(partitions, startup.TimestampMillis!.Value);
                var states = new List<KafkaPartitionState>(partitions.Count);
                for (var i = 0; i < partitions.Count; i++)
                {
                    var tp = partitions[i];
                    states.Add(found[i] >= 0
                        ? new KafkaPartitionState(tp.Topic, tp.Partition, found[i], -1, false)
                        : new KafkaPartitionState(tp.Topic, tp.Partition, Watermarks(tp).Low, -1, true));
                }
                return states;
            }
            case KafkaStartupMode.SpecificOffsets:
            {
                var committed = Committed(partitions);
                var states = new List<KafkaPartitionState>(partitions.Count);
                for (var i = 0; i < partitions.Count; i++)
                {
                    var tp = partitions[i];
                    var next = startup.SpecificOffsets.TryGetValue(tp.Partition.Value, out var o) ? o : committed[i] >= 0 ? committed[i] : Watermarks(tp).Low;
                    states.Add(new KafkaPartitionState(tp.Topic, tp.Partition, next, -1, false));
                }
                return states;
            }
            default:
            {
                var committed = Committed(partitions);
                var reset = table.Options.Properties.TryGetValue("auto.offset.reset", out var r) ? r.ToLowerInvariant() : "earliest";
                var states = new List<KafkaPartitionState>(partitions.Count);
                for (var i = 0; i < partitions.Count; i++)
                {
                    var tp = partitions[i];
                    long next;
                    if (committed[i] >= 0) next = committed[i];
                    else if (reset is "latest" or "largest" or "end") next = Watermarks(tp).High;
                    else if (reset is "none" or "error")
                        throw new TarnException(SqlStates.ObjectNotInPrerequisiteState,
                            $"kafka table '{table.Name}': group '{table.Options.Properties.GetValueOrDefault("group.id")}' has no committed offset for {tp.Topic} partition {tp.Partition.Value} and 'properties.auto.offset.reset' is '{r}'");
                    else next = Watermarks(tp).Low;
                    states.Add(new KafkaPartitionState(tp.Topic, tp.Partition, next, -1, false));
                }
                return states;
            }
        }
    }

    /// <summary>The same states with the offsets bounded reads stop before.</summary>
    public List<KafkaPartitionState> WithStops(List<KafkaPartitionState> states)
    {
        var bounded = table.Options.Bounded;
        var partitions = states.Select(s => new TopicPartition(s.Topic, s.Partition)).ToList();
        long[] stops = new long[states.Count];
        switch (bounded.Mode)
        {
            case KafkaBoundedMode.Timestamp:
                var found = ForTimes(partitions, bounded.TimestampMillis!.Value);
                for (var i = 0; i < stops.Length; i++) stops[i] = found[i] >= 0 ? found[i] : Watermarks(partitions[i]).High;
                break;
            case KafkaBoundedMode.GroupOffsets:
                var committed = Committed(partitions);
                for (var i = 0; i < stops.Length; i++) stops[i] = committed[i] >= 0 ? committed[i] : Watermarks(partitions[i]).High;
                break;
            case KafkaBoundedMode.SpecificOffsets:
                for (var i = 0; i < stops.Length; i++)
                    stops[i] = bounded.SpecificOffsets.TryGetValue(states[i].Partition, out var o) ? o : Watermarks(partitions[i]).High;
                break;
            default:
                for (var i = 0; i < stops.Length; i++) stops[i] = Watermarks(partitions[i]).High;
                break;
        }
        var result = new List<KafkaPartitionState>(states.Count);
        for (var i = 0; i < states.Count; i++)
            result.Add(new KafkaPartitionState(states[i].Topic, states[i].Partition, states[i].Next, stops[i], states[i].SeekTimestamp));
        return result;
    }

    private WatermarkOffsets Watermarks(TopicPartition tp)
    {
        try
        {
            return calls.Run(timeout => consumer.QueryWatermarkOffsets(tp, timeout));
        }
        catch (KafkaException e)
        {
            throw Failed($"the offsets of {tp.Topic} partition {tp.Partition.Value}", e);
        }
    }

    private long[] Committed(IReadOnlyList<TopicPartition> partitions)
    {
        var result = new long[partitions.Count];
        Array.Fill(result, -1);
        if (partitions.Count == 0) return result;
        List<TopicPartitionOffset> committed;
        try
        {
            committed = calls.Run(timeout => consumer.Committed(partitions, timeout));
        }
        catch (KafkaException e)
        {
            throw Failed("the group's committed offsets", e);
        }
        for (var i = 0; i < partitions.Count; i++)
            foreach (var c in committed)
                if (c.TopicPartition == partitions[i] && c.Offset.Value >= 0) result[i] = c.Offset.Value;
        return result;
    }

    private long[] ForTimes(IReadOnlyList<TopicPartition> partitions, long millis)
    {
        var result = new long[partitions.Count];
        Array.Fill(result, -1);
        if (partitions.Count == 0) return result;
        List<TopicPartitionOffset> found;
        try
        {
            var query = partitions.Select(tp => new TopicPartitionTimestamp(tp, new Timestamp(millis, TimestampType.CreateTime))).ToList();
            found = calls.Run(timeout => consumer.OffsetsForTimes(query, timeout));
        }
        catch (KafkaException e)
        {
            throw Failed("offsets for a timestamp", e);
        }
        for (var i = 0; i < partitions.Count; i++)
            foreach (var f in found)
                if (f.TopicPartition == partitions[i] && f.Offset.Value >= 0) result[i] = f.Offset.Value;
        return result;
    }

    private TarnException Failed(string what, KafkaException e) => KafkaBlockingCalls.TimedOut(e.Error.Code)
        ? KafkaBlockingCalls.Unreachable(table, calls, what, e, null)
        : new(SqlStates.IoError, $"kafka table '{table.Name}': cannot read {what} from {table.Options.Properties["bootstrap.servers"]}: {e.Error.Reason}");
}
