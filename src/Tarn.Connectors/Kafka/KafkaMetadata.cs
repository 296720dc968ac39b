using Tarn.Types;

namespace Tarn.Connectors.Kafka;

/// <summary>The read-only metadata of a Kafka record that <c>METADATA FROM 'key'</c> columns can read.</summary>
internal enum KafkaMetadataKind : byte { Topic, Partition, Offset, Timestamp, TimestampType, LeaderEpoch, Key }

/// <summary>
/// A metadata column of a kafka table. Flink's keys: <c>topic</c> STRING, <c>partition</c> INT, <c>offset</c>
/// BIGINT, <c>timestamp</c> TIMESTAMP_LTZ(3), <c>timestamp-type</c> STRING (NoTimestampType / CreateTime /
/// LogAppendTime), <c>leader-epoch</c> INT; Tarn adds <c>key</c> (the raw record key, BYTES or STRING). Flink's
/// <c>headers</c> (a MAP) is not supported. The declared type must be the key's type (timestamps may be TIMESTAMP or
/// TIMESTAMP_LTZ of any precision, integers any wider integer, text any string type).
/// </summary>
internal sealed record KafkaMetadataColumn(string Name, KafkaMetadataKind Kind, DataType Type)
{
    public static KafkaMetadataColumn From(string table, string column, string? key, DataType type)
    {
        var name = key ?? column;
        KafkaMetadataKind kind = name switch
        {
            "topic" => KafkaMetadataKind.Topic,
            "partition" => KafkaMetadataKind.Partition,
            "offset" => KafkaMetadataKind.Offset,
            "timestamp" => KafkaMetadataKind.Timestamp,
            "timestamp-type" => KafkaMetadataKind.TimestampType,
            "leader-epoch" => KafkaMetadataKind.LeaderEpoch,
            "key" => KafkaMetadataKind.Key,
            "headers" => throw new TarnException(SqlStates.FeatureNotSupported, $"kafka table '{table}': metadata 'headers' (a MAP) is not supported; column '{column}'"),
            _ => throw new TarnException(SqlStates.UndefinedColumn,
                $"kafka table '{table}': column '{column}' reads unknown metadata '{name}' (known: topic, partition, offset, timestamp, timestamp-type, leader-epoch, key)"),
        };
        var fits = kind switch
        {
            KafkaMetadataKind.Topic or KafkaMetadataKind.TimestampType => type.IsString,
            KafkaMetadataKind.Partition or KafkaMetadataKind.LeaderEpoch => type.Kind is TypeKind.Int or TypeKind.BigInt,
            KafkaMetadataKind.Offset => type.Kind == TypeKind.BigInt,
            KafkaMetadataKind.Timestamp => type.IsTimestamp,
            _ => type.IsString || type.IsBinary,
        };
        if (!fits)
        {
            var expected = kind switch
            {
                KafkaMetadataKind.Topic or KafkaMetadataKind.TimestampType => "STRING",
                KafkaMetadataKind.Partition or KafkaMetadataKind.LeaderEpoch => "INT",
                KafkaMetadataKind.Offset => "BIGINT",
                KafkaMetadataKind.Timestamp => "TIMESTAMP_LTZ(3)",
                _ => "BYTES or STRING",
            };
            throw new TarnException(SqlStates.DatatypeMismatch, $"kafka table '{table}': metadata '{name}' is {expected}, but column '{column}' is {type.ToSql()}");
        }
        return new KafkaMetadataColumn(column, kind, type);
    }
}
