using Confluent.Kafka;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// Producers for kafka sinks: the table's <c>properties.*</c>, Java's murmur2 key partitioner by default (so keys land
/// where Kafka's Java clients and Flink put them), acknowledgement by all replicas, and the record placement of
/// <c>sink.partitioner</c>.
/// </summary>
internal sealed class KafkaProducerFactory
{
    private readonly KafkaTable _table;
    private readonly KafkaSinkOptions _options;
    private int _nextPartition;
    private int _partitionCount;

    public KafkaProducerFactory(KafkaTable table, KafkaSinkOptions options)
    {
        _table = table;
        _options = options;
    }

    public IProducer<byte[]?, byte[]?> Build(string? transactionalId, Action<string> onError)
    {
        var config = new Dictionary<string, string>(_table.Options.Properties);
        config.TryAdd("partitioner", "murmur2_random");
        config.TryAdd("acks", "all");
        config.TryAdd("linger.ms", "5");
        if (transactionalId is not null)
        {
            config["transactional.id"] = transactionalId;
            config["enable.idempotence"] = "true";
        }
        return new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal) onError(e.Reason);
            })
            .SetLogHandler((_, _) => { })
            .Build();
    }

    /// <summary>Where the next record goes: a partition for <c>fixed</c> / <c>round-robin</c>, the partitioner's choice otherwise.</summary>
    public TopicPartition Place(IProducer<byte[]?, byte[]?> producer)
    {
        switch (_options.Partitioning)
        {
            case KafkaPartitioning.Fixed:
                return new TopicPartition(_options.Topic, 0);
            case KafkaPartitioning.RoundRobin:
                if (_partitionCount == 0) _partitionCount = PartitionCount(producer);
                var partition = _nextPartition;
                _nextPartition = (_nextPartition + 1) % _partitionCount;
                return new TopicPartition(_options.Topic, partition);
            default:
                return new TopicPartition(_options.Topic, Partition.Any);
        }
    }

    private int PartitionCount(IProducer<byte[]?, byte[]?> producer)
    {
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        try
        {
            var metadata = admin.GetMetadata(_options.Topic, TimeSpan.FromSeconds(30));
            var count = metadata.Topics.Count == 1 && metadata.Topics[0].Error.Code == ErrorCode.NoError ? metadata.Topics[0].Partitions.Count : 0;
            return count > 0 ? count
                : throw new TarnException(SqlStates.UndefinedObject, $"{_table.Table.Connector} table '{_table.Name}': topic '{_options.Topic}' has no partitions");
        }
        catch (KafkaException e)
        {
            throw new TarnException(SqlStates.IoError, $"{_table.Table.Connector} table '{_table.Name}': cannot read the metadata of topic '{_options.Topic}': {e.Error.Reason}");
        }
    }
}
