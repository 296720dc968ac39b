namespace Tarn.Connectors.Nexmark;

/// <summary>The leaf fields a nexmark table can declare: event_type and the fields of its person, auction and bid ROWs.</summary>
internal enum NexmarkField
{
    EventType,
    PersonId, PersonName, PersonEmailAddress, PersonCreditCard, PersonCity, PersonState, PersonDateTime, PersonExtra,
    AuctionId, AuctionItemName, AuctionDescription, AuctionInitialBid, AuctionReserve, AuctionDateTime, AuctionExpires,
    AuctionSeller, AuctionCategory, AuctionExtra,
    BidAuction, BidBidder, BidPrice, BidChannel, BidUrl, BidDateTime, BidExtra,
}

/// <summary>How a field is stored: event_type as INT, ids and prices as BIGINT, times as TIMESTAMP, text as VARCHAR.</summary>
internal enum NexmarkFieldKind { Int, Long, Timestamp, Text }

internal static class NexmarkFields
{
    public const int Count = (int)NexmarkField.BidExtra + 1;

    /// <summary>Leaf paths as the DDL spells them (ROW fields as <c>row.field</c>), indexed by <see cref="NexmarkField"/>.</summary>
    public static readonly string[] Paths =
    [
        "event_type",
        "person.id", "person.name", "person.emailAddress", "person.creditCard", "person.city", "person.state", "person.dateTime", "person.extra",
        "auction.id", "auction.itemName", "auction.description", "auction.initialBid", "auction.reserve", "auction.dateTime", "auction.expires",
        "auction.seller", "auction.category", "auction.extra",
        "bid.auction", "bid.bidder", "bid.price", "bid.channel", "bid.url", "bid.dateTime", "bid.extra",
    ];

    public static NexmarkFieldKind KindOf(NexmarkField field) => field switch
    {
        NexmarkField.EventType => NexmarkFieldKind.Int,
        NexmarkField.PersonDateTime or NexmarkField.AuctionDateTime or NexmarkField.AuctionExpires or NexmarkField.BidDateTime => NexmarkFieldKind.Timestamp,
        NexmarkField.PersonName or NexmarkField.PersonEmailAddress or NexmarkField.PersonCreditCard or NexmarkField.PersonCity or NexmarkField.PersonState
            or NexmarkField.PersonExtra or NexmarkField.AuctionItemName or NexmarkField.AuctionDescription or NexmarkField.AuctionExtra
            or NexmarkField.BidChannel or NexmarkField.BidUrl or NexmarkField.BidExtra => NexmarkFieldKind.Text,
        _ => NexmarkFieldKind.Long,
    };

    /// <summary>The event kind whose rows carry the field (its value is NULL on the other kinds), or -1 for event_type.</summary>
    public static int EventKindOf(NexmarkField field) => field switch
    {
        NexmarkField.EventType => -1,
        <= NexmarkField.PersonExtra => NexmarkEventKinds.Person,
        <= NexmarkField.AuctionExtra => NexmarkEventKinds.Auction,
        _ => NexmarkEventKinds.Bid,
    };

    public static NexmarkField? Find(string path)
    {
        for (var i = 0; i < Paths.Length; i++)
            if (string.Equals(Paths[i], path, StringComparison.OrdinalIgnoreCase)) return (NexmarkField)i;
        return null;
    }
}

/// <summary>The values of event_type.</summary>
internal static class NexmarkEventKinds
{
    public const int Person = 0;
    public const int Auction = 1;
    public const int Bid = 2;
}
