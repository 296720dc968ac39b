using System.Text.RegularExpressions;
using CsCheck;
using Tarn.Connectors.Nexmark;
using static Tarn.Connectors.Tests.Nexmark.NexmarkTestData;

namespace Tarn.Connectors.Tests.Nexmark;

/// <summary>The generator against GENERATOR-SPEC.md: proportions, id ranges, times, value domains, and hand-computed values.</summary>
public partial class NexmarkSpecTests
{
    private const long Base = NexmarkOptions.DefaultBaseTimeMillis * 1000; // TIMESTAMP(3) values are microseconds

    private static long? Long(object?[] row, NexmarkField f) => (long?)row[(int)f];
    private static string? Text(object?[] row, NexmarkField f) => (string?)row[(int)f];

    [Fact]
    public void Every_window_of_total_consecutive_events_has_the_proportions()
    {
        Gen.Select(Options, Gen.Long[0, 1_000_000_000L], Gen.Int[1, 4]).Sample((options, start, windows) =>
        {
            var total = options.TotalProportion;
            var rows = Rows(Generator(options, [NexmarkField.EventType]).Generate(start, total * windows));
            var counts = new int[3];
            foreach (var row in rows) counts[(int)row[0]!]++;
            Assert.Equal([options.PersonProportion * windows, options.AuctionProportion * windows, options.BidProportion * windows], counts);
        }, iter: 200);
    }

    /// <summary>
    /// The proportion epochs up to and including the first event (id 2): an id is 1000 + its epoch times the proportion
    /// plus its offset, so with a total proportion below 3 (say persons only) the first id is already past 1000 + P.
    /// </summary>
    private static long FirstEpochs(NexmarkOptions options) => 2 / options.TotalProportion + 1;

    [Fact]
    public void Person_and_auction_ids_count_up_from_1000_and_bids_refer_to_existing_or_lead_ids()
    {
        Gen.Select(Options, Gen.Int[1, 3000]).Sample((options, count) =>
        {
            var rows = Rows(Generator(options).Generate(0, count));
            // Before any is emitted, the "last" person / auction may be one of the base-0 ids below the first event id (2).
            long maxPerson = 1000 + options.PersonProportion, maxAuction = 1000 + options.AuctionProportion, persons = 0, auctions = 0;
            foreach (var row in rows)
            {
                switch ((int)row[0]!)
                {
                    case 0:
                        // Ids are consecutive from the first one, which is 1000 + the base-0 id of event id 2.
                        if (persons++ > 0) Assert.Equal(maxPerson + 1, Long(row, NexmarkField.PersonId));
                        else Assert.InRange(Long(row, NexmarkField.PersonId)!.Value, 1000, 1000 + FirstEpochs(options) * options.PersonProportion);
                        maxPerson = Long(row, NexmarkField.PersonId)!.Value;
                        Assert.Null(row[(int)NexmarkField.AuctionId]);
                        Assert.Null(row[(int)NexmarkField.BidPrice]);
                        break;
                    case 1:
                        if (auctions++ > 0) Assert.Equal(maxAuction + 1, Long(row, NexmarkField.AuctionId));
                        else Assert.InRange(Long(row, NexmarkField.AuctionId)!.Value, 1000, 1000 + FirstEpochs(options) * options.AuctionProportion);
                        maxAuction = Long(row, NexmarkField.AuctionId)!.Value;
                        Assert.InRange(Long(row, NexmarkField.AuctionSeller)!.Value, 1000, maxPerson + NexmarkConstants.PersonIdLead);
                        Assert.InRange(Long(row, NexmarkField.AuctionCategory)!.Value, 10, 14);
                        Assert.Null(row[(int)NexmarkField.PersonId]);
                        break;
                    default:
                        Assert.InRange(Long(row, NexmarkField.BidAuction)!.Value, 1000, maxAuction + NexmarkConstants.AuctionIdLead);
                        // Upstream publishes bidders with FIRST_PERSON_ID added twice.
                        Assert.InRange(Long(row, NexmarkField.BidBidder)!.Value, 2000, maxPerson + 1000 + NexmarkConstants.PersonIdLead);
                        Assert.Null(row[(int)NexmarkField.AuctionId]);
                        break;
                }
            }
        }, iter: 60);
    }

    [Fact]
    public void Event_times_follow_the_rate_and_value_domains_hold()
    {
        Gen.Select(Options, Gen.Long[0, 1_000_000_000L], Gen.Int[1, 300]).Sample((options, start, count) =>
        {
            var rows = Rows(Generator(options).Generate(start, count));
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var adjusted = 1 + start + i;
                var expected = (options.BaseTimeMillis + (long)Math.Floor(adjusted * (1_000_000.0 / options.FirstEventRate)) / 1000) * 1000;
                var time = Long(row, NexmarkField.PersonDateTime) ?? Long(row, NexmarkField.AuctionDateTime) ?? Long(row, NexmarkField.BidDateTime);
                Assert.Equal(expected, time);
                CheckDomains(row, options);
            }
        }, iter: 100);
    }

    private static void CheckDomains(object?[] row, NexmarkOptions options)
    {
        switch ((int)row[0]!)
        {
            case 0:
            {
                Assert.Matches(NameRegex(), Text(row, NexmarkField.PersonName));
                Assert.Matches(EmailRegex(), Text(row, NexmarkField.PersonEmailAddress));
                Assert.Matches(CardRegex(), Text(row, NexmarkField.PersonCreditCard));
                Assert.Contains(Text(row, NexmarkField.PersonCity), Cities);
                Assert.Contains(Text(row, NexmarkField.PersonState), new[] { "AZ", "CA", "ID", "OR", "WA", "WY" });
                var size = 8 + Text(row, NexmarkField.PersonName)!.Length + Text(row, NexmarkField.PersonEmailAddress)!.Length + 19
                    + Text(row, NexmarkField.PersonCity)!.Length + Text(row, NexmarkField.PersonState)!.Length;
                CheckExtra(Text(row, NexmarkField.PersonExtra)!, size, options.PersonAvgSize);
                break;
            }
            case 1:
            {
                var item = Text(row, NexmarkField.AuctionItemName)!;
                var description = Text(row, NexmarkField.AuctionDescription)!;
                Assert.True(item.Length <= 19 && description.Length <= 99);
                Assert.Equal(item, item.Trim());
                Assert.Equal(description, description.Trim());
                Assert.Matches("^[a-z ]*$", item + description);
                var initial = Long(row, NexmarkField.AuctionInitialBid)!.Value;
                Assert.InRange(initial, 100, 100_000_000);
                Assert.InRange(Long(row, NexmarkField.AuctionReserve)!.Value - initial, 100, 100_000_000);
                Assert.True(Long(row, NexmarkField.AuctionExpires) > Long(row, NexmarkField.AuctionDateTime));
                CheckExtra(Text(row, NexmarkField.AuctionExtra)!, 8 + item.Length + description.Length + 40, options.AuctionAvgSize);
                break;
            }
            default:
            {
                Assert.InRange(Long(row, NexmarkField.BidPrice)!.Value, 100, 100_000_000);
                var channel = Text(row, NexmarkField.BidChannel)!;
                var url = Text(row, NexmarkField.BidUrl)!;
                Assert.Matches(UrlRegex(), url);
                if (channel.StartsWith("channel-", StringComparison.Ordinal))
                {
                    var k = int.Parse(channel["channel-".Length..], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.InRange(k, 0, 9999);
                    if (url.Contains("&channel_id=", StringComparison.Ordinal))
                        Assert.EndsWith($"&channel_id={NexmarkStrings.AbsReversedBits(k)}", url);
                }
                else Assert.Contains(channel, new[] { "Google", "Facebook", "Baidu", "Apple" });
                CheckExtra(Text(row, NexmarkField.BidExtra)!, 32, options.BidAvgSize);
                break;
            }
        }
    }

    private static readonly string[] Cities = ["Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"];

    /// <summary>nextExtra: d = avg − size, delta = round(d / 5), length in [d − delta, d + delta).</summary>
    private static void CheckExtra(string extra, int size, int average)
    {
        Assert.Matches("^[a-z]*$", extra);
        if (size > average)
        {
            Assert.Equal("", extra);
            return;
        }
        var d = average - size;
        var delta = (int)Math.Round(d * 0.2, MidpointRounding.AwayFromZero);
        if (delta == 0) Assert.Equal(d, extra.Length);
        else Assert.InRange(extra.Length, d - delta, d + delta - 1);
    }

    [GeneratedRegex("^(Peter|Paul|Luke|John|Saul|Vicky|Kate|Julie|Sarah|Deiter|Walter) (Shultz|Abrams|Spencer|White|Bartels|Walton|Smith|Jones|Noris)$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("^([a-z]([a-z ]{0,4}[a-z])?)?@([a-z]([a-z ]{0,2}[a-z])?)?\\.com$")]
    private static partial Regex EmailRegex();

    [GeneratedRegex("^[0-9]{4} [0-9]{4} [0-9]{4} [0-9]{4}$")]
    private static partial Regex CardRegex();

    [GeneratedRegex("^https://www\\.nexmark\\.com/[a-z_]{3,4}/[a-z_]{3,4}/[a-z_]{3,4}/item\\.htm\\?query=1(&channel_id=-?[0-9]+)?$")]
    private static partial Regex UrlRegex();

    [Fact]
    public void Hand_computed_events_of_the_default_stream()
    {
        // Ids are 2, 3, ...; id % 50: 0 person, 1-3 auction, else bid. At 10,000 events/s, event n is at (n + 1) * 100 µs.
        var rows = Rows(Generator(new NexmarkOptions()).Generate(0, 100));
        Assert.Equal(1, rows[0][0]); // id 2
        Assert.Equal(1001L, Long(rows[0], NexmarkField.AuctionId));
        Assert.Equal(Base, Long(rows[0], NexmarkField.AuctionDateTime));
        Assert.Equal(1, rows[1][0]); // id 3
        Assert.Equal(1002L, Long(rows[1], NexmarkField.AuctionId));
        Assert.Equal(2, rows[2][0]); // id 4
        Assert.Equal(0, rows[48][0]); // id 50: the first person
        Assert.Equal(1001L, Long(rows[48], NexmarkField.PersonId));
        Assert.Equal(Base + 4_000, Long(rows[48], NexmarkField.PersonDateTime)); // floor(49 * 100 µs) = 4.9 ms → 4 ms
        Assert.Equal(1, rows[49][0]); // id 51: epoch 1, offset 1 → base-0 auction 3
        Assert.Equal(1003L, Long(rows[49], NexmarkField.AuctionId));
        Assert.Equal(Base + 9_000, Long(rows[89], NexmarkField.BidDateTime)); // event 89: 9.0 ms

        // Hot bidders of the first 50 ids: (0 / 100) * 100 + 1 + 2000.
        var hotBidders = rows.Take(48).Where(r => (int)r[0]! == 2).Count(r => Long(r, NexmarkField.BidBidder) == 2001);
        Assert.InRange(hotBidders, 25, 44); // 3 of 4 are hot, plus some random picks of base-0 id 1
    }

    [Fact]
    public void Hand_computed_id_arithmetic()
    {
        var ids = new NexmarkIds(new NexmarkOptions());
        Assert.Equal(0, ids.LastBase0PersonId(49));
        Assert.Equal(1, ids.LastBase0PersonId(50));
        Assert.Equal(2, ids.LastBase0PersonId(149));
        Assert.Equal(2, ids.LastBase0AuctionId(50)); // offset 0 < person: previous epoch's last auction
        Assert.Equal(3, ids.LastBase0AuctionId(51));
        Assert.Equal(5, ids.LastBase0AuctionId(60)); // offset 10 ≥ person + auction: this epoch's last
        Assert.Equal(1, ids.LastBase0AuctionId(2));
    }

    [Fact]
    public void Channel_ids_are_java_abs_of_the_reversed_bits()
    {
        Assert.Equal(int.MinValue, NexmarkStrings.AbsReversedBits(1)); // Math.abs(Integer.MIN_VALUE) stays negative
        Assert.Equal(1 << 30, NexmarkStrings.AbsReversedBits(2));
        Assert.Equal(1 << 30, NexmarkStrings.AbsReversedBits(3)); // 0xC0000000 = -2^30
        Assert.Equal(1138753536, NexmarkStrings.AbsReversedBits(1085)); // bits 0,2,3,4,5,10 → 31,29,28,27,26,21
        Assert.Equal(0, NexmarkStrings.AbsReversedBits(0));
    }

    [Fact]
    public void Hot_channels_and_hot_auctions_have_about_their_ratios()
    {
        var rows = Rows(Generator(new NexmarkOptions { Seed = 42 }).Generate(0, 20_000)).Where(r => (int)r[0]! == 2).ToList();
        var hotChannels = rows.Count(r => !Text(r, NexmarkField.BidChannel)!.StartsWith("channel-", StringComparison.Ordinal));
        Assert.InRange(hotChannels / (double)rows.Count, 0.47, 0.53); // nextInt(2) > 0
        var hotAuctions = rows.Count(r => Long(r, NexmarkField.BidAuction) % 100 == 0);
        Assert.InRange(hotAuctions / (double)rows.Count, 0.47, 0.56); // 1/2, plus random picks that land on a multiple of 100
    }
}
