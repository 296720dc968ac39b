using Tarn.Connectors.Kafka;

namespace Tarn.Connectors.Tests.Kafka;

public class KafkaOptionsTests
{
    private static KafkaOptions Parse(params (string Key, string Value)[] options) =>
        KafkaOptions.Parse("t", options.ToDictionary(o => o.Key, o => o.Value));

    private static string Fails(params (string Key, string Value)[] options)
    {
        var e = Assert.Throws<TarnException>(() => Parse(options));
        Assert.Equal("22023", e.SqlState);
        return e.Message;
    }

    [Fact]
    public void Flink_options_with_their_defaults()
    {
        var o = Parse(("connector", "kafka"), ("topic", "a; b"), ("properties.bootstrap.servers", "k:9092"), ("properties.client.id", "me"), ("format", "json"),
            ("scan.startup.mode", "specific-offsets"), ("scan.startup.specific-offsets", "partition:0,offset:42;partition:1,offset:300"));
        Assert.Equal(["a", "b"], o.Topics);
        Assert.Equal("me", o.Properties["client.id"]);
        Assert.Equal(KafkaStartupMode.SpecificOffsets, o.Startup.Mode);
        Assert.Equal(new Dictionary<int, long> { [0] = 42, [1] = 300 }, o.Startup.SpecificOffsets);
        Assert.False(o.IsBounded);
        Assert.Equal(TimeSpan.FromMinutes(5), o.DiscoveryInterval);
        Assert.Equal("json", o.ValueFormat);
        var bounded = Parse(("topic-pattern", "x-.*"), ("properties.bootstrap.servers", "k"), ("value.format", "csv"), ("scan.bounded.mode", "latest-offset"),
            ("key.format", "raw"), ("key.fields", "k"), ("key.fields-prefix", "k_"), ("value.fields-include", "EXCEPT_KEY"));
        Assert.Equal(KafkaStartupMode.GroupOffsets, bounded.Startup.Mode);
        Assert.Equal(KafkaBoundedMode.LatestOffset, bounded.Bounded.Mode);
        Assert.Null(bounded.DiscoveryInterval);
        Assert.Matches(bounded.TopicPattern!, "x-1");
        Assert.DoesNotMatch(bounded.TopicPattern!, "ax-1");
        Assert.True(bounded.ValueExceptKey);
    }

    [Fact]
    public void Legacy_descriptor_keys_mean_the_current_options()
    {
        var o = Parse(("connector.type", "kafka"), ("connector.version", "universal"), ("connector.topic", "t1"),
            ("connector.properties.0.key", "bootstrap.servers"), ("connector.properties.0.value", "k:1"),
            ("connector.properties.1.key", "group.id"), ("connector.properties.1.value", "g"),
            ("connector.properties.client.id", "c"), ("connector.startup-mode", "timestamp"), ("connector.startup-timestamp-millis", "1700000000000"),
            ("format.type", "json"), ("format.derive-schema", "true"), ("format.fail-on-missing-field", "true"), ("update-mode", "append"));
        Assert.Equal(["t1"], o.Topics);
        Assert.Equal("k:1", o.Properties["bootstrap.servers"]);
        Assert.Equal("g", o.Properties["group.id"]);
        Assert.Equal("c", o.Properties["client.id"]);
        Assert.Equal(KafkaStartupMode.Timestamp, o.Startup.Mode);
        Assert.Equal(1_700_000_000_000L, o.Startup.TimestampMillis);
        Assert.Equal("true", o.All["json.fail-on-missing-field"]);
        Assert.Contains("pairs", Fails(("connector.type", "kafka"), ("connector.topic", "t"), ("connector.properties.0.key", "bootstrap.servers"), ("format.type", "json")), StringComparison.Ordinal);
        Assert.Contains("connector.nonsense", Fails(("connector.type", "kafka"), ("connector.nonsense", "1")), StringComparison.Ordinal);
    }

    [Fact]
    public void Contradictory_or_incomplete_options_are_rejected()
    {
        (string, string)[] basic = [("properties.bootstrap.servers", "k"), ("format", "json")];
        Assert.Contains("not both", Fails([.. basic, ("topic", "a"), ("topic-pattern", "b.*")]), StringComparison.Ordinal);
        Assert.Contains("bootstrap.servers", Fails(("topic", "a"), ("format", "json")), StringComparison.Ordinal);
        Assert.Contains("'format'", Fails(("topic", "a"), ("properties.bootstrap.servers", "k")), StringComparison.Ordinal);
        Assert.Contains("must be one of earliest-offset, latest-offset, group-offsets, timestamp, specific-offsets", Fails([.. basic, ("topic", "a"), ("scan.startup.mode", "earliest")]), StringComparison.Ordinal);
        Assert.Contains("partition:0,offset:42", Fails([.. basic, ("topic", "a"), ("scan.bounded.mode", "specific-offsets"), ("scan.bounded.specific-offsets", "0:42")]), StringComparison.Ordinal);
        Assert.Contains("milliseconds", Fails([.. basic, ("topic", "a"), ("scan.startup.mode", "timestamp"), ("scan.startup.timestamp-millis", "yesterday")]), StringComparison.Ordinal);
        Assert.Contains("duration", Fails([.. basic, ("topic", "a"), ("scan.topic-partition-discovery.interval", "often")]), StringComparison.Ordinal);
        Assert.Contains("key.format", Fails([.. basic, ("topic", "a"), ("key.fields", "k")]), StringComparison.Ordinal);
        Assert.Contains("EXCEPT_KEY", Fails([.. basic, ("topic", "a"), ("key.format", "json"), ("key.fields", "k"), ("key.fields-prefix", "k_")]), StringComparison.Ordinal);
        Assert.Contains("group.id", Fails([.. basic, ("topic", "a"), ("scan.startup.mode", "group-offsets")]), StringComparison.Ordinal);
        Assert.Contains("regular expression", Fails([.. basic, ("topic-pattern", "(")]), StringComparison.Ordinal);
        Assert.Equal(KafkaStartupMode.GroupOffsets, Parse([.. basic, ("topic", "a")]).Startup.Mode); // Flink's default, earliest without a group
    }
}
