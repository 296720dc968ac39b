namespace Tarn.Connectors.Nexmark;

/// <summary>The fixed constants of the Nexmark generator (GENERATOR-SPEC.md §2).</summary>
internal static class NexmarkConstants
{
    public const long FirstPersonId = 1000;
    public const long FirstAuctionId = 1000;
    public const long FirstCategoryId = 10;
    public const int NumCategories = 5;
    public const long PersonIdLead = 10;
    public const long AuctionIdLead = 10;
    public const long HotSellerRatio = 100;
    public const long HotAuctionRatio = 100;
    public const long HotBidderRatio = 100;
    public const int HotChannelsRatio = 2;
    public const int ChannelsNumber = 10000;
    public const int MinStringLength = 3;

    /// <summary>The config the table factory builds: the first event has number 1 and id firstEventId + 1.</summary>
    public const long FirstEventId = 1;
    public const long FirstEventNumber = 1;

    /// <summary>Size of the lowercase text that <c>extra</c> fields are cut from.</summary>
    public const int ExtraPoolSize = 1 << 20;
}
