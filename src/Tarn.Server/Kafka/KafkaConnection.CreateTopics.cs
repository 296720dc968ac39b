namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    private static readonly byte[] ZeroUuid = new byte[16];

    private sealed record CreateTopicRequest(string Name, int Partitions, short Replication, bool HasAssignments);

    /// <summary>
    /// CreateTopics v0-v7: each topic becomes a schemaless table (see <see cref="KafkaTopicLayout"/>) with
    /// num_partitions buckets (-1: 1), named <c>db.table</c> or a table of the default database. Topic configs are
    /// accepted and not stored (records are never deleted, see DescribeConfigs). validate_only checks without creating.
    /// </summary>
    private async Task CreateTopicsAsync(short version, ReadOnlyMemory<byte> body)
    {
        var flexible = KafkaApiKeys.IsFlexible(KafkaApiKeys.CreateTopics, version);
        var (topics, validateOnly) = ParseCreateTopics(version, flexible, body.Span);
        var results = new List<(string Name, short Error, string? Message, int Partitions)>(topics.Count);
        foreach (var topic in topics)
        {
            var (error, message) = await _topics.CreateAsync(topic.Name, topic.Partitions, topic.Replication, topic.HasAssignments, validateOnly).ConfigureAwait(false);
            results.Add((topic.Name, error, message, topic.Partitions < 0 ? 1 : topic.Partitions));
        }
        var w = _response;
        if (version >= 2) w.Int32(0); // throttle
        w.FlexArrayCount(results.Count, flexible);
        foreach (var (name, error, message, partitions) in results)
        {
            w.FlexNullableString(name, flexible);
            if (version >= 7) w.Raw(ZeroUuid); // topic id: none
            w.Int16(error);
            if (version >= 1) w.FlexNullableString(message, flexible);
            if (version >= 5)
            {
                w.Int32(error == KafkaErrors.None ? partitions : -1);
                w.Int16(error == KafkaErrors.None ? (short)1 : (short)-1);
                w.FlexArrayCount(-1, flexible); // configs: not returned
            }
            w.FlexTags(flexible);
        }
        w.FlexTags(flexible);
    }

    private static (List<CreateTopicRequest> Topics, bool ValidateOnly) ParseCreateTopics(short version, bool flexible, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        var count = r.FlexArrayCount(flexible, 8);
        var topics = new List<CreateTopicRequest>(Math.Max(count, 0));
        for (var t = 0; t < count; t++)
        {
            var name = r.FlexString(flexible);
            var partitions = r.Int32();
            var replication = r.Int16();
            var assignments = r.FlexArrayCount(flexible, 4);
            for (var a = 0; a < assignments; a++)
            {
                _ = r.Int32(); // partition index
                var brokers = r.FlexArrayCount(flexible, 4);
                for (var b = 0; b < brokers; b++) _ = r.Int32();
                r.FlexTags(flexible);
            }
            var configs = r.FlexArrayCount(flexible, 2);
            for (var c = 0; c < configs; c++)
            {
                _ = r.FlexString(flexible);
                _ = r.FlexNullableString(flexible);
                r.FlexTags(flexible);
            }
            r.FlexTags(flexible);
            topics.Add(new CreateTopicRequest(name, partitions, replication, assignments > 0));
        }
        _ = r.Int32(); // timeout
        var validateOnly = version >= 1 && r.Bool();
        r.FlexTags(flexible);
        return (topics, validateOnly);
    }
}
