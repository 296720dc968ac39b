using Confluent.Kafka;
using Tarn.Connectors.Sinks;
using Tarn.Execution.Streaming;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// A kafka sink with <c>sink.delivery-guarantee</c> = <c>at-least-once</c> (the default) or <c>none</c>: records are
/// produced as the changes arrive; at-least-once waits in <see cref="PreCommit"/> until Kafka acknowledged every one,
/// so the job commits an epoch only when its records are stored, and a delivery error fails the job. A replay after
/// a crash produces the uncommitted epoch's records again (duplicates, never losses).
/// </summary>
internal sealed class KafkaProducerSink : IConnectorSink
{
    private readonly KafkaTable _table;
    private readonly KafkaSinkOptions _options;
    private readonly KafkaRecordEncoder _encoder;
    private readonly KafkaProducerFactory _placement;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly List<KafkaRecord> _records = [];
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivery;
    private long _outstanding;
    private volatile string? _error;

    public KafkaProducerSink(KafkaTable table, KafkaSinkOptions options)
    {
        _table = table;
        _options = options;
        _encoder = new KafkaRecordEncoder(table);
        _placement = new KafkaProducerFactory(table, options);
        _producer = _placement.Build(null, reason => _error ??= reason);
        _onDelivery = report =>
        {
            if (report.Error.IsError) _error ??= $"{report.Error.Reason} (partition {report.Partition.Value})";
            Interlocked.Decrement(ref _outstanding);
        };
    }

    public long PendingRows { get; private set; }

    /// <summary>Records produced so far.</summary>
    public long Produced { get; private set; }

    public void Write(ChangeBatch batch)
    {
        ThrowIfFailed();
        _records.Clear();
        _encoder.Encode(batch, _records);
        foreach (var record in _records) Produce(record);
        PendingRows += batch.RowCount;
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
                Interlocked.Increment(ref _outstanding);
                _producer.Produce(target, message, _onDelivery);
                Produced++;
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                Interlocked.Decrement(ref _outstanding);
                _producer.Poll(TimeSpan.FromMilliseconds(50)); // the local queue drains as Kafka acknowledges
            }
            catch (ProduceException<byte[]?, byte[]?> e)
            {
                Interlocked.Decrement(ref _outstanding);
                throw Failed(e.Error.Reason);
            }
        }
    }

    public void PreCommit(long epoch)
    {
        if (_options.Guarantee == KafkaDeliveryGuarantee.AtLeastOnce) WaitForAcknowledgements();
        ThrowIfFailed();
    }

    /// <summary>Waits until every produced record is acknowledged (or failed).</summary>
    public void WaitForAcknowledgements()
    {
        while (Interlocked.Read(ref _outstanding) > 0)
        {
            _producer.Flush(TimeSpan.FromSeconds(1));
            ThrowIfFailed();
        }
    }

    public void Commit(long epoch) => PendingRows = 0;

    public void Discard() => PendingRows = 0;

    private void ThrowIfFailed()
    {
        if (_error is { } error) throw Failed(error);
    }

    private TarnException Failed(string reason) =>
        new(SqlStates.IoError, $"{_table.Table.Connector} table '{_table.Name}': writing topic '{_options.Topic}' failed: {reason}");

    public void Dispose() => _producer.Dispose();
}
