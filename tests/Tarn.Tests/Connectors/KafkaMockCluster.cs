using System.Text;
using Confluent.Kafka;

namespace Tarn.Tests.Connectors;

/// <summary>
/// A real Kafka protocol endpoint for tests: librdkafka's built-in mock cluster, created by a client configured with
/// <c>test.mock.num.brokers</c> and alive as long as that client. Other clients (Tarn's consumers, the test's
/// producer) connect to its brokers' address like to any cluster.
/// </summary>
internal sealed class KafkaMockCluster : IDisposable
{
    private readonly IAdminClient _owner;
    private readonly IProducer<byte[]?, byte[]?> _producer;

    public KafkaMockCluster()
    {
        var config = new AdminClientConfig { BootstrapServers = "mock" };
        config.Set("test.mock.num.brokers", "1");
        _owner = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var broker = _owner.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        BootstrapServers = $"{broker.Host}:{broker.Port}";
        _producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = BootstrapServers, LingerMs = 0 })
            .SetLogHandler((_, _) => { }).Build();
    }

    public string BootstrapServers { get; }

    /// <summary>
    /// Creates a topic with the mock cluster's default of 4 partitions (its admin API waits for a controller it does not
    /// have, so the topic is auto-created by a producer's metadata request instead).
    /// </summary>
    public void CreateTopic(string topic)
    {
        using var admin = new DependentAdminClientBuilder(_producer.Handle).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        if (metadata.Topics.Single().Partitions.Count != Partitions) throw new InvalidOperationException($"topic {topic} was not created");
    }

    /// <summary>Partitions of every topic.</summary>
    public const int Partitions = 4;

    /// <summary>Produces a record and waits for its offset.</summary>
    public long Produce(string topic, int partition, string? value, string? key = null, long? timestampMillis = null)
    {
        var message = new Message<byte[]?, byte[]?>
        {
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = value is null ? null : Encoding.UTF8.GetBytes(value),
            Timestamp = timestampMillis is { } ms ? new Timestamp(ms, TimestampType.CreateTime) : Timestamp.Default,
        };
        return _producer.ProduceAsync(new TopicPartition(topic, partition), message).GetAwaiter().GetResult().Offset.Value;
    }

    /// <summary>Commits an offset for a consumer group, as another application of that group would have.</summary>
    public void CommitOffset(string group, string topic, int partition, long offset)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = group })
            .SetLogHandler((_, _) => { }).Build();
        consumer.Commit([new TopicPartitionOffset(topic, partition, offset)]);
    }

    public void Dispose()
    {
        _producer.Dispose();
        _owner.Dispose();
    }
}
