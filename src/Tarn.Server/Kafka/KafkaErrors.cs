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
    public const short InvalidTopicException = 17;
    public const short InvalidRequiredAcks = 21;
    public const short TopicAlreadyExists = 36;
    public const short InvalidPartitions = 37;
    public const short InvalidReplicationFactor = 38;
    public const short InvalidConfig = 40;
    public const short OutOfOrderSequenceNumber = 45;
    public const short DuplicateSequenceNumber = 46;
    public const short InvalidProducerEpoch = 47;
    public const short TransactionalIdAuthorizationFailed = 53;
}
