using Confluent.Kafka;
using Tarn.Connectors.Sinks;
using Tarn.Execution.Streaming;
using Tarn.Types;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// A kafka sink with <c>sink.delivery-guarantee</c> = <c>exactly-once</c>: the write-ahead protocol of
/// <see cref="ExactlyOnceSink"/> with ONE Kafka transaction per epoch. The transactional id is
/// <c>{sink.transactional-id-prefix}-{job id}-{sink index}</c>, so a restarted job fences its previous incarnation
/// (<c>InitTransactions</c> aborts what it left open). The epoch marker is the committed offset <c>epoch + 1</c> of
/// partition 0 of the sink's topic for a consumer group named after the transactional id, written with
/// <c>SendOffsetsToTransaction</c> in the same transaction as the epoch's records: both become visible together, and
/// <see cref="LastAppliedEpoch"/> reads the group's offset back. Consumers with <c>isolation.level</c> =
/// <c>read_committed</c> see each epoch's records once; records appear when the job commits the epoch.
/// </summary>
internal sealed class KafkaTransactionalSink : ExactlyOnceSink
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly KafkaTable _table;
    private readonly KafkaSinkOptions _options;
    private readonly KafkaRecordEncoder _encoder;
    private readonly KafkaProducerFactory _placement;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly IConsumer<byte[]?, byte[]?> _markerReader;
    private readonly TopicPartition _markerPartition;
    private readonly List<KafkaRecord> _records = [];
    private volatile string? _error;

    public KafkaTransactionalSink(KafkaTable table, KafkaSinkOptions options, SinkContext context, IReadOnlyList<DataType> types)
        : base(context, types)
    {
        _table = table;
        _options = options;
        _encoder = new KafkaRecordEncoder(table);
        _placement = new KafkaProducerFactory(table, options);
        TransactionalId = $"{options.TransactionalIdPrefix}-{context.JobId}-{context.SinkIndex}";
        _markerPartition = new TopicPartition(options.Topic, 0);
        _producer = _placement.Build(TransactionalId, reason => _error ??= reason);
        var consumerConfig = new Dictionary<string, string>(table.Options.Properties)
        {
            ["group.id"] = TransactionalId,
            ["enable.auto.commit"] = "false",
            ["isolation.level"] = "read_committed",
        };
        _markerReader = new ConsumerBuilder<byte[]?, byte[]?>(consumerConfig).SetLogHandler((_, _) => { }).Build();
        try
        {
            _producer.InitTransactions(Timeout);
            Recover();
        }
        catch (KafkaException e)
        {
            Dispose();
            throw Failed("cannot start the transactional producer", e.Error.Reason);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string TransactionalId { get; }

    protected override long LastAppliedEpoch()
    {
        try
        {
            var committed = _markerReader.Committed([_markerPartition], Timeout);
            var offset = committed.Count == 1 ? committed[0].Offset : Offset.Unset;
            return offset == Offset.Unset || offset.Value < 1 ? -1 : offset.Value - 1;
        }
        catch (KafkaException e)
        {
            throw Failed("cannot read the epoch marker", e.Error.Reason);
        }
    }

    protected override void Apply(long epoch, IReadOnlyList<ChangeBatch> changes)
    {
        try
        {
            _producer.BeginTransaction();
            foreach (var batch in changes)
            {
                _records.Clear();
                _encoder.Encode(batch, _records);
                foreach (var record in _records) Produce(record);
            }
            _producer.SendOffsetsToTransaction([new TopicPartitionOffset(_markerPartition, epoch + 1)], _markerReader.ConsumerGroupMetadata, Timeout);
            _producer.CommitTransaction(Timeout);
        }
        catch (KafkaException e)
        {
            TryAbort();
            throw Failed($"cannot publish epoch {epoch}", e.Error.Reason);
        }
        if (_error is { } error) throw Failed($"cannot publish epoch {epoch}", error);
    }

    private void Produce(KafkaRecord record)
    {
        var message = new Message<byte[]?, byte[]?>
        {
            Key = record.Key,
            Value = record.Value,
            Timestamp = record.TimestampMillis is { } ms ? new Timestamp(ms, TimestampType.CreateTime) : Timestamp.Default,
        };
        var target = _placement.Place(_producer);
        while (true)
        {
            try
            {
                _producer.Produce(target, message);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private void TryAbort()
    {
        try
        {
            _producer.AbortTransaction(Timeout);
        }
        catch (KafkaException)
        {
            // the next run's InitTransactions aborts it
        }
    }

    private TarnException Failed(string what, string reason) =>
        new(SqlStates.IoError, $"{_table.Table.Connector} table '{_table.Name}' (topic '{_options.Topic}', transactional id '{TransactionalId}'): {what}: {reason}");

    public override void Dispose()
    {
        _producer?.Dispose();
        _markerReader?.Dispose();
    }
}
