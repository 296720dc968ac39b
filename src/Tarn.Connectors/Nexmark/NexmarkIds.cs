namespace Tarn.Connectors.Nexmark;

/// <summary>
/// Id arithmetic of the Nexmark spec (§4): which person and auction ids exist by a given event id, and random picks
/// among the recent ones. Ids here are base 0; the published ids add <see cref="NexmarkConstants.FirstPersonId"/> /
/// <see cref="NexmarkConstants.FirstAuctionId"/>.
/// </summary>
internal readonly struct NexmarkIds(NexmarkOptions options)
{
    private readonly long _person = options.PersonProportion;
    private readonly long _auction = options.AuctionProportion;
    private readonly long _total = options.TotalProportion;
    private readonly long _activePeople = options.NumActivePeople;
    private readonly long _inFlightAuctions = options.NumInFlightAuctions;

    public long LastBase0PersonId(long eventId)
    {
        var epoch = eventId / _total;
        var offset = eventId % _total;
        if (offset >= _person) offset = _person - 1;
        return epoch * _person + offset;
    }

    public long LastBase0AuctionId(long eventId)
    {
        var epoch = eventId / _total;
        var offset = eventId % _total;
        if (offset < _person)
        {
            epoch--;
            offset = _auction - 1;
        }
        else if (offset >= _person + _auction) offset = _auction - 1;
        else offset -= _person;
        return epoch * _auction + offset;
    }

    /// <summary>A random recent person, possibly up to <see cref="NexmarkConstants.PersonIdLead"/> ids ahead.</summary>
    public long NextBase0PersonId(long eventId, ref NexmarkRandom random)
    {
        var numPeople = LastBase0PersonId(eventId) + 1;
        var active = Math.Min(numPeople, _activePeople);
        var n = random.NextLong(active + NexmarkConstants.PersonIdLead);
        return numPeople - active + n;
    }

    /// <summary>A random auction still in flight, possibly up to <see cref="NexmarkConstants.AuctionIdLead"/> ids ahead.</summary>
    public long NextBase0AuctionId(long eventId, ref NexmarkRandom random)
    {
        var max = LastBase0AuctionId(eventId);
        var min = Math.Max(max - _inFlightAuctions, 0);
        return min + random.NextLong(max - min + 1 + NexmarkConstants.AuctionIdLead);
    }
}
