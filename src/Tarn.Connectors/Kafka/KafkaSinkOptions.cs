namespace Tarn.Connectors.Kafka;

/// <summary>How a kafka sink chooses a record's partition (<c>sink.partitioner</c>).</summary>
internal enum KafkaPartitioning : byte
{
    /// <summary>Kafka's default: murmur2 of the key (as Java clients), sticky batches for records without a key.</summary>
    Default,

    /// <summary>Flink's <c>fixed</c>: each sink subtask writes one partition; Tarn's single writer writes partition 0.</summary>
    Fixed,

    /// <summary>Records go to the partitions in turn.</summary>
    RoundRobin,
}

/// <summary><c>sink.delivery-guarantee</c> (legacy <c>sink.semantic</c>).</summary>
internal enum KafkaDeliveryGuarantee : byte { None, AtLeastOnce, ExactlyOnce }

/// <summary>
/// The sink options of a kafka or upsert-kafka table: one <c>topic</c>, <c>sink.partitioner</c> (<c>default</c>,
/// <c>fixed</c>, <c>round-robin</c>), <c>sink.delivery-guarantee</c> (<c>none</c>, <c>at-least-once</c> — the
/// default — or <c>exactly-once</c>; the legacy <c>sink.semantic</c> means the same) and
/// <c>sink.transactional-id-prefix</c> (exactly-once; default <c>tarn</c>). The legacy <c>update-mode</c> must be
/// <c>append</c> for a kafka table.
/// </summary>
internal sealed record KafkaSinkOptions(string Topic, KafkaPartitioning Partitioning, KafkaDeliveryGuarantee Guarantee, string TransactionalIdPrefix)
{
    public static KafkaSinkOptions From(KafkaTable table)
    {
        var o = table.Options;
        string Owner() => $"{table.Table.Connector} table '{table.Name}'";
        if (o.TopicPattern is not null || o.Topics.Count != 1)
            throw Invalid($"{Owner()}: a sink writes one topic; give a single 'topic' (not a list or 'topic-pattern')");
        var partitioning = Get(o.All, "sink.partitioner") switch
        {
            null or "default" => KafkaPartitioning.Default,
            "fixed" => KafkaPartitioning.Fixed,
            "round-robin" => KafkaPartitioning.RoundRobin,
            var other => throw new TarnException(SqlStates.FeatureNotSupported,
                $"{Owner()}: 'sink.partitioner' must be 'default', 'fixed' or 'round-robin'; custom partitioner classes ('{other}') are not supported"),
        };
        var guaranteeText = Get(o.All, "sink.delivery-guarantee") ?? Get(o.All, "sink.semantic");
        var guarantee = guaranteeText switch
        {
            null or "at-least-once" or "at_least_once" => KafkaDeliveryGuarantee.AtLeastOnce,
            "none" => KafkaDeliveryGuarantee.None,
            "exactly-once" or "exactly_once" => KafkaDeliveryGuarantee.ExactlyOnce,
            _ => throw Invalid($"{Owner()}: 'sink.delivery-guarantee' must be 'none', 'at-least-once' or 'exactly-once', got '{guaranteeText}'"),
        };
        if (Get(o.All, "update-mode") is { } mode && mode != "append")
            throw new TarnException(SqlStates.FeatureNotSupported, $"{Owner()}: 'update-mode' '{mode}' is not supported; a kafka table is written in 'append' mode (use 'upsert-kafka' for upserts)");
        var prefix = o.All.TryGetValue("sink.transactional-id-prefix", out var p) && p.Length > 0 ? p : "tarn";
        return new KafkaSinkOptions(o.Topics[0], partitioning, guarantee, prefix);
    }

    private static string? Get(IReadOnlyDictionary<string, string> o, string key) =>
        o.TryGetValue(key, out var v) ? v.Trim().ToLowerInvariant() : null;

    private static TarnException Invalid(string message) => new(SqlStates.InvalidParameterValue, message);
}
