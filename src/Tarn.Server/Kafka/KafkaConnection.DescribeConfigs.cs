using System.Globalization;

namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;

    // Kafka's ConfigSource and ConfigType codes
    private const sbyte DynamicTopicConfig = 1;
    private const sbyte DefaultConfig = 5;
    private const sbyte BooleanType = 1;
    private const sbyte StringType = 2;
    private const sbyte IntType = 3;
    private const sbyte LongType = 5;
    private const sbyte ListType = 7;

    private readonly record struct ConfigEntry(string Name, string? Value, sbyte Source, sbyte Type, string Doc);

    /// <summary>
    /// DescribeConfigs v0-v4 for topics and the broker (what kcat -L, admin clients and tooling read). Topic values
    /// describe what Tarn does: rows are kept until deleted by SQL (retention -1), a keyed table behaves like a
    /// compacted topic (cleanup.policy=compact), batches are stored decoded (compression.type=producer).
    /// </summary>
    private void DescribeConfigs(short version, ReadOnlySpan<byte> body)
    {
        var flexible = KafkaApiKeys.IsFlexible(KafkaApiKeys.DescribeConfigs, version);
        var r = new KafkaReader(body);
        var count = r.FlexArrayCount(flexible, 4);
        var resources = new List<(sbyte Type, string Name, List<string>? Names)>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var type = r.Int8();
            var name = r.FlexString(flexible);
            var n = r.FlexArrayCount(flexible, 2);
            List<string>? names = null;
            if (n >= 0)
            {
                names = new List<string>(n);
                for (var k = 0; k < n; k++) names.Add(r.FlexString(flexible));
            }
            r.FlexTags(flexible);
            resources.Add((type, name, names));
        }
        // include_synonyms (v1+) and include_documentation (v3+) follow; synonyms are always empty, docs always sent.

        var w = _response;
        w.Int32(0); // throttle
        w.FlexArrayCount(resources.Count, flexible);
        foreach (var (type, name, names) in resources)
        {
            short error = KafkaErrors.None;
            string? message = null;
            List<ConfigEntry> entries;
            if (type == TopicResource)
            {
                var layout = _topics.Layout(name);
                entries = layout is null ? [] : TopicConfigs(layout);
                if (layout is null)
                {
                    error = KafkaErrors.UnknownTopicOrPartition;
                    message = $"topic '{name}' is not a table";
                }
            }
            else if (type == BrokerResource)
            {
                entries = name is "" || name == NodeId.ToString(CultureInfo.InvariantCulture) ? BrokerConfigs() : [];
                if (entries.Count == 0)
                {
                    error = KafkaErrors.InvalidRequest;
                    message = $"broker '{name}' does not exist; this node is {NodeId}";
                }
            }
            else
            {
                entries = [];
                error = KafkaErrors.InvalidRequest;
                message = $"resource type {type} is not supported";
            }
            if (names is not null) entries = entries.FindAll(e => names.Contains(e.Name));
            w.Int16(error);
            w.FlexNullableString(message, flexible);
            w.Int8(type);
            w.FlexNullableString(name, flexible);
            w.FlexArrayCount(entries.Count, flexible);
            foreach (var e in entries)
            {
                w.FlexNullableString(e.Name, flexible);
                w.FlexNullableString(e.Value, flexible);
                w.Bool(true); // read only
                if (version == 0) w.Bool(e.Source == DefaultConfig);
                else w.Int8(e.Source);
                w.Bool(false); // sensitive
                if (version >= 1) w.FlexArrayCount(0, flexible); // synonyms
                if (version >= 3)
                {
                    w.Int8(e.Type);
                    w.FlexNullableString(e.Doc, flexible);
                }
                w.FlexTags(flexible);
            }
            w.FlexTags(flexible);
        }
        w.FlexTags(flexible);
    }

    private List<ConfigEntry> TopicConfigs(KafkaTopicLayout layout)
    {
        var keyed = layout.IsKeyed;
        return
        [
            new("cleanup.policy", keyed ? "compact" : "delete", DynamicTopicConfig, ListType, keyed ? "a primary-key table keeps the latest row per key" : "rows are kept until deleted with SQL"),
            new("retention.ms", "-1", DynamicTopicConfig, LongType, "rows never expire"),
            new("retention.bytes", "-1", DynamicTopicConfig, LongType, "no size limit"),
            new("compression.type", "producer", DefaultConfig, StringType, "batches are decoded into columns; fetches are uncompressed"),
            new("max.message.bytes", _maxFrameBytes.ToString(CultureInfo.InvariantCulture), DefaultConfig, IntType, "largest request frame the listener accepts"),
            new("message.timestamp.type", "CreateTime", DefaultConfig, StringType, "the producer's timestamps are kept"),
            new("min.insync.replicas", "1", DefaultConfig, IntType, "single node; every produce is durable before it is acknowledged"),
            new("tarn.buckets", layout.Writer.BucketCount.ToString(CultureInfo.InvariantCulture), DynamicTopicConfig, IntType, "partitions = the table's buckets"),
            new("tarn.format", layout.IsSchemaless ? "bytes" : "json", DynamicTopicConfig, StringType, "bytes: raw key/value/headers; json: values map to columns"),
        ];
    }

    private List<ConfigEntry> BrokerConfigs() =>
    [
        new("broker.id", NodeId.ToString(CultureInfo.InvariantCulture), DefaultConfig, IntType, "this single node"),
        new("num.partitions", "1", DefaultConfig, IntType, "buckets of a topic created without num_partitions"),
        new("default.replication.factor", "1", DefaultConfig, IntType, "single node"),
        new("auto.create.topics.enable", "false", DefaultConfig, BooleanType, "topics are tables; create them with CreateTopics or CREATE TABLE"),
        new("log.retention.ms", "-1", DefaultConfig, LongType, "rows never expire"),
        new("message.max.bytes", _maxFrameBytes.ToString(CultureInfo.InvariantCulture), DefaultConfig, IntType, "largest request frame the listener accepts"),
        new("compression.type", "producer", DefaultConfig, StringType, "batches are decoded into columns"),
    ];
}
