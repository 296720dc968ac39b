using Confluent.Kafka;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// What the consume thread hands the job thread, in order: a record, or partitions it started reading (so the
/// source's position includes them, at the concrete offsets they start from, before any of their records).
/// </summary>
internal readonly record struct KafkaReaderItem(ConsumeResult<byte[]?, byte[]?>? Record, IReadOnlyList<KafkaPartitionState>? Assigned);
