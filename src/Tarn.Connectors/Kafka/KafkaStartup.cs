namespace Tarn.Connectors.Kafka;

/// <summary>Flink's <c>scan.startup.mode</c> values.</summary>
internal enum KafkaStartupMode : byte { EarliestOffset, LatestOffset, GroupOffsets, Timestamp, SpecificOffsets }

/// <summary>Flink's <c>scan.bounded.mode</c> values (<see cref="Unbounded"/> is the default).</summary>
internal enum KafkaBoundedMode : byte { Unbounded, LatestOffset, GroupOffsets, Timestamp, SpecificOffsets }

/// <summary>Where reading starts or stops: a mode plus its timestamp or per-partition offsets.</summary>
internal sealed record KafkaOffsetSpec<TMode>(TMode Mode, long? TimestampMillis, IReadOnlyDictionary<int, long> SpecificOffsets) where TMode : struct;
