namespace Tarn.Server.Kafka;

/// <summary>Kafka protocol error codes used by this endpoint.</summary>
internal static class KafkaErrors
{
    public const short None = 0;
    public const short OffsetOutOfRange = 1;
    public const short CorruptMessage = 2;
    public const short UnknownTopicOrPartition = 3;
    public const short RecordListTooLarge = 18;
    public const short UnsupportedVersion = 35;
    public const short InvalidRequest = 42;
    public const short UnsupportedForMessageFormat = 43;
    public const short KafkaStorageError = 56;
    public const short UnsupportedCompressionType = 76;
    public const short InvalidRecord = 87;
}
