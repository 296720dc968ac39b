namespace Tarn.Server.Kafka.Groups;

/// <summary>Kafka error codes of the group coordinator APIs.</summary>
internal static class GroupErrors
{
    public const short OffsetMetadataTooLarge = 12;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short IllegalGeneration = 22;
    public const short InconsistentGroupProtocol = 23;
    public const short InvalidGroupId = 24;
    public const short UnknownMemberId = 25;
    public const short InvalidSessionTimeout = 26;
    public const short RebalanceInProgress = 27;
    public const short NonEmptyGroup = 68;
    public const short GroupIdNotFound = 69;
    public const short MemberIdRequired = 79;
    public const short FencedInstanceId = 82;
    public const short GroupSubscribedToTopic = 86;
}
