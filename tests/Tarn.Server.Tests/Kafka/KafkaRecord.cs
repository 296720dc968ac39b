namespace Tarn.Server.Kafka;

/// <summary>One record decoded from a RecordBatch v2 (key/value null when absent). Headers are not kept yet.</summary>
internal readonly record struct KafkaRecord(byte[]? Key, byte[]? Value, long Timestamp);
