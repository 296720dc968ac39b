using Tarn.Connectors.Generators;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Nexmark;

/// <summary>
/// Generates Nexmark events straight into column vectors (GENERATOR-SPEC.md §3–5). Positioned by event index: event
/// n (0-based count of emitted events) depends only on n, the options and the seed, so any range [n, n+k) can be
/// generated on its own and ranges concatenate to the same rows as one call over their union.
/// <para>
/// Only the requested fields are written, but every event always draws the same random values in the same order,
/// so which columns are read never changes the values of the others.
/// </para>
/// </summary>
internal sealed class NexmarkGenerator : IRowGenerator
{
    private const int CreditCardLength = 19; // "dddd dddd dddd dddd"

    private readonly NexmarkOptions _options;
    private readonly NexmarkIds _ids;
    private readonly NexmarkText _text;
    private readonly NexmarkField[] _fields;
    private readonly DataType[] _types;
    private readonly long[] _timeScale; // TIMESTAMP units per millisecond, per requested field
    private readonly int[] _slotOf = new int[NexmarkFields.Count];
    private readonly bool[] _wantsKind = new bool[3]; // whether any requested field belongs to persons / auctions / bids
    private readonly long _person;
    private readonly long _personAndAuction;
    private readonly long _total;
    private readonly long _eventsForAuctions;

    // Per batch: the arrays of the requested fields, indexed by NexmarkField (null when not requested).
    private readonly long[]?[] _longs = new long[]?[NexmarkFields.Count];
    private readonly NexmarkTextColumn?[] _texts = new NexmarkTextColumn?[NexmarkFields.Count];
    private readonly byte[]?[] _nulls = new byte[]?[NexmarkFields.Count];
    private int[]? _eventTypes;

    /// <param name="fields">The fields to produce, in output order (a field may appear once).</param>
    /// <param name="types">Their SQL types (TIMESTAMP precision decides the unit).</param>
    public NexmarkGenerator(NexmarkOptions options, IReadOnlyList<NexmarkField> fields, IReadOnlyList<DataType> types)
    {
        _options = options;
        _ids = new NexmarkIds(options);
        _text = NexmarkText.For(options.Seed);
        _fields = [.. fields];
        _types = [.. types];
        _timeScale = new long[_fields.Length];
        Array.Fill(_slotOf, -1);
        for (var i = 0; i < _fields.Length; i++)
        {
            _slotOf[(int)_fields[i]] = i;
            _timeScale[i] = _types[i].TimeUnitsPerSecond / 1000;
            if (NexmarkFields.EventKindOf(_fields[i]) is >= 0 and var kind) _wantsKind[kind] = true;
        }
        _person = options.PersonProportion;
        _personAndAuction = options.PersonProportion + options.AuctionProportion;
        _total = options.TotalProportion;
        _eventsForAuctions = options.AuctionProportion == 0 ? 0 : (long)options.NumInFlightAuctions * _total / options.AuctionProportion;
    }

    public IReadOnlyList<DataType> OutputTypes => _types;

    public NexmarkOptions Options => _options;

    public ulong Seed => _options.Seed;

    public long BaseTimeMillis => _options.BaseTimeMillis;

    /// <summary>The base time is a table option (<c>base-time</c>): a position taken with another one cannot be replayed.</summary>
    public bool TryRebase(long baseTimeMillis) => baseTimeMillis == _options.BaseTimeMillis;

    /// <summary>The adjusted event number of the event with index <paramref name="index"/> (spec §3, out-of-order groups).</summary>
    public long AdjustedEventNumber(long index)
    {
        var eventNumber = NexmarkConstants.FirstEventNumber + index;
        var g = _options.OutOfOrderGroupSize;
        return g == 1 ? eventNumber : eventNumber / g * g + eventNumber * 953 % g;
    }

    public long EventId(long index) => NexmarkConstants.FirstEventId + AdjustedEventNumber(index);

    /// <summary>Event time in epoch milliseconds of adjusted event number <paramref name="adjusted"/>.</summary>
    public long TimestampMillis(long adjusted) => _options.BaseTimeMillis + (long)Math.Floor(adjusted * _options.InterEventDelayMicros) / 1000;

    /// <summary>0 = person, 1 = auction, 2 = bid for an event id.</summary>
    public int EventKind(long eventId)
    {
        var rem = eventId % _total;
        return rem < _person ? NexmarkEventKinds.Person : rem < _personAndAuction ? NexmarkEventKinds.Auction : NexmarkEventKinds.Bid;
    }

    /// <summary>Events [<paramref name="first"/>, first + count) as one batch of the requested fields.</summary>
    public ColumnBatch Generate(long first, int count)
    {
        Allocate(count);
        for (var row = 0; row < count; row++)
        {
            var adjusted = AdjustedEventNumber(first + row);
            var eventId = NexmarkConstants.FirstEventId + adjusted;
            var kind = EventKind(eventId);
            if (_eventTypes is { } types) types[row] = kind;
            if (!_wantsKind[kind]) continue; // nothing of this event is read: its random draws are its own, so skip them
            var time = TimestampMillis(adjusted);
            var random = new NexmarkRandom(_options.Seed, eventId);
            switch (kind)
            {
                case NexmarkEventKinds.Person: Person(row, eventId, time, ref random); break;
                case NexmarkEventKinds.Auction: Auction(row, eventId, adjusted, time, ref random); break;
                default: Bid(row, eventId, time, ref random); break;
            }
        }
        return Build(count);
    }

    private void Person(int row, long eventId, long time, ref NexmarkRandom random)
    {
        SetLong(NexmarkField.PersonId, row, _ids.LastBase0PersonId(eventId) + NexmarkConstants.FirstPersonId);
        var first = random.NextInt(NexmarkText.FirstNameCount);
        var name = NexmarkText.FullNames[first * NexmarkText.LastNameCount + random.NextInt(NexmarkText.LastNameCount)];
        SetText(NexmarkField.PersonName, row, name);

        Span<byte> email = stackalloc byte[2 * NexmarkStrings.MaxLength];
        var at = NexmarkStrings.NextString(ref random, 7, (byte)' ', email);
        email[at] = (byte)'@';
        var domain = NexmarkStrings.NextString(ref random, 5, (byte)' ', email[(at + 1)..]);
        var emailLength = at + 1 + domain;
        ".com"u8.CopyTo(email[emailLength..]);
        emailLength += 4;
        SetText(NexmarkField.PersonEmailAddress, row, email[..emailLength]);

        Span<byte> card = stackalloc byte[CreditCardLength];
        for (var group = 0; group < 4; group++)
        {
            var value = random.NextInt(10000);
            var at4 = group * 5;
            card[at4] = (byte)('0' + value / 1000);
            card[at4 + 1] = (byte)('0' + value / 100 % 10);
            card[at4 + 2] = (byte)('0' + value / 10 % 10);
            card[at4 + 3] = (byte)('0' + value % 10);
            if (group < 3) card[at4 + 4] = (byte)' ';
        }
        SetText(NexmarkField.PersonCreditCard, row, card);

        var city = NexmarkText.Cities[random.NextInt(NexmarkText.Cities.Length)];
        SetText(NexmarkField.PersonCity, row, city);
        var state = NexmarkText.States[random.NextInt(NexmarkText.States.Length)];
        SetText(NexmarkField.PersonState, row, state);
        SetTime(NexmarkField.PersonDateTime, row, time);
        var size = 8 + name.Length + emailLength + CreditCardLength + city.Length + state.Length;
        SetExtra(NexmarkField.PersonExtra, row, size, _options.PersonAvgSize, ref random);
    }

    private void Auction(int row, long eventId, long adjusted, long time, ref NexmarkRandom random)
    {
        SetLong(NexmarkField.AuctionId, row, _ids.LastBase0AuctionId(eventId) + NexmarkConstants.FirstAuctionId);
        var seller = random.NextInt(_options.HotSellersRatio) > 0
            ? _ids.LastBase0PersonId(eventId) / NexmarkConstants.HotSellerRatio * NexmarkConstants.HotSellerRatio
            : _ids.NextBase0PersonId(eventId, ref random);
        SetLong(NexmarkField.AuctionSeller, row, seller + NexmarkConstants.FirstPersonId);
        SetLong(NexmarkField.AuctionCategory, row, NexmarkConstants.FirstCategoryId + random.NextInt(NexmarkConstants.NumCategories));
        var initialBid = Price(ref random);
        SetLong(NexmarkField.AuctionInitialBid, row, initialBid);
        var horizon = TimestampMillis(adjusted + _eventsForAuctions) - time;
        var length = 1 + random.NextLong(Math.Max(2 * horizon, 1));
        SetTime(NexmarkField.AuctionDateTime, row, time);
        SetTime(NexmarkField.AuctionExpires, row, time + length);

        Span<byte> text = stackalloc byte[NexmarkStrings.MaxLength];
        var item = NexmarkStrings.NextString(ref random, 20, (byte)' ', text);
        SetText(NexmarkField.AuctionItemName, row, text[..item]);
        var description = NexmarkStrings.NextString(ref random, 100, (byte)' ', text);
        SetText(NexmarkField.AuctionDescription, row, text[..description]);
        SetLong(NexmarkField.AuctionReserve, row, initialBid + Price(ref random));
        SetExtra(NexmarkField.AuctionExtra, row, 8 + item + description + 40, _options.AuctionAvgSize, ref random);
    }

    private void Bid(int row, long eventId, long time, ref NexmarkRandom random)
    {
        var auction = random.NextInt(_options.HotAuctionRatio) > 0
            ? _ids.LastBase0AuctionId(eventId) / NexmarkConstants.HotAuctionRatio * NexmarkConstants.HotAuctionRatio
            : _ids.NextBase0AuctionId(eventId, ref random);
        SetLong(NexmarkField.BidAuction, row, auction + NexmarkConstants.FirstAuctionId);
        var bidder = random.NextInt(_options.HotBiddersRatio) > 0
            ? _ids.LastBase0PersonId(eventId) / NexmarkConstants.HotBidderRatio * NexmarkConstants.HotBidderRatio + 1
            : _ids.NextBase0PersonId(eventId, ref random);
        // Upstream adds FIRST_PERSON_ID twice to bidders (spec §5); kept so results match the Flink flavour.
        SetLong(NexmarkField.BidBidder, row, bidder + 2 * NexmarkConstants.FirstPersonId);
        SetLong(NexmarkField.BidPrice, row, Price(ref random));
        if (random.NextInt(NexmarkConstants.HotChannelsRatio) > 0)
        {
            var hot = random.NextInt(NexmarkText.HotChannels.Length);
            SetText(NexmarkField.BidChannel, row, NexmarkText.HotChannels[hot]);
            SetText(NexmarkField.BidUrl, row, _text.HotUrls[hot]);
        }
        else
        {
            var channel = random.NextInt(NexmarkConstants.ChannelsNumber);
            SetText(NexmarkField.BidChannel, row, _text.ChannelNames[channel]);
            SetText(NexmarkField.BidUrl, row, _text.ChannelUrls[channel]);
        }
        SetTime(NexmarkField.BidDateTime, row, time);
        SetExtra(NexmarkField.BidExtra, row, 32, _options.BidAvgSize, ref random);
    }

    /// <summary>round(10^(u·6) · 100) cents: log-uniform between 1 and 1,000,000 dollars.</summary>
    private static long Price(ref NexmarkRandom random) =>
        (long)Math.Round(Math.Pow(10.0, random.NextDouble() * 6) * 100.0, MidpointRounding.AwayFromZero);

    private void SetExtra(NexmarkField field, int row, int currentSize, int averageSize, ref NexmarkRandom random)
    {
        var length = NexmarkStrings.NextExtraLength(ref random, currentSize, averageSize);
        var pool = _text.ExtraPool;
        length = Math.Min(length, pool.Length);
        var start = length == 0 ? 0 : random.NextInt(pool.Length - length + 1);
        SetText(field, row, pool.AsSpan(start, length));
    }

    private void SetLong(NexmarkField field, int row, long value)
    {
        if (_longs[(int)field] is not { } values) return;
        values[row] = value;
        _nulls[(int)field]![row] = 0;
    }

    private void SetTime(NexmarkField field, int row, long millis)
    {
        if (_longs[(int)field] is not { } values) return;
        values[row] = millis * _timeScale[_slotOf[(int)field]];
        _nulls[(int)field]![row] = 0;
    }

    private void SetText(NexmarkField field, int row, ReadOnlySpan<byte> value)
    {
        if (_texts[(int)field] is not { } column) return;
        column.Set(row, value);
        _nulls[(int)field]![row] = 0;
    }

    private void Allocate(int count)
    {
        _eventTypes = null;
        Array.Clear(_longs);
        Array.Clear(_texts);
        Array.Clear(_nulls);
        foreach (var field in _fields)
        {
            var f = (int)field;
            switch (NexmarkFields.KindOf(field))
            {
                case NexmarkFieldKind.Int: _eventTypes = new int[count]; continue;
                case NexmarkFieldKind.Text: _texts[f] = new NexmarkTextColumn(count, BytesPerRow(field)); break;
                default: _longs[f] = new long[count]; break;
            }
            var nulls = new byte[count];
            nulls.AsSpan().Fill(1); // NULL unless the row's event kind writes the field
            _nulls[f] = nulls;
        }
    }

    /// <summary>Initial text capacity: the expected bytes of the field per row of the stream, so most batches never grow.</summary>
    private int BytesPerRow(NexmarkField field)
    {
        var kind = NexmarkFields.EventKindOf(field);
        var share = kind switch
        {
            NexmarkEventKinds.Person => (double)_options.PersonProportion / _total,
            NexmarkEventKinds.Auction => (double)_options.AuctionProportion / _total,
            _ => (double)_options.BidProportion / _total,
        };
        var bytes = field switch
        {
            NexmarkField.PersonExtra => _options.PersonAvgSize,
            NexmarkField.AuctionExtra => _options.AuctionAvgSize,
            NexmarkField.BidExtra => _options.BidAvgSize,
            NexmarkField.AuctionDescription or NexmarkField.BidUrl => 64,
            _ => 16,
        };
        return (int)Math.Min(1 << 16, Math.Ceiling(bytes * share)) + 1;
    }

    private ColumnBatch Build(int count)
    {
        var columns = new ColumnVector[_fields.Length];
        for (var i = 0; i < _fields.Length; i++)
        {
            var f = (int)_fields[i];
            var type = _types[i];
            var nulls = _nulls[f];
            if (nulls is not null && !nulls.AsSpan().Contains((byte)1)) nulls = null;
            switch (NexmarkFields.KindOf(_fields[i]))
            {
                case NexmarkFieldKind.Int:
                    columns[i] = new PrimitiveVector<int>(type, _eventTypes!, count);
                    break;
                case NexmarkFieldKind.Text:
                    var text = _texts[f]!;
                    text.Finish(count);
                    columns[i] = new BinaryVector(type, text.Offsets, text.Data, count, nulls);
                    break;
                default:
                    columns[i] = new PrimitiveVector<long>(type, _longs[f]!, count, nulls);
                    break;
            }
        }
        Array.Clear(_longs);
        Array.Clear(_texts);
        Array.Clear(_nulls);
        _eventTypes = null;
        return new ColumnBatch(columns, count);
    }
}
