using Tarn.Connectors.Nexmark;

namespace Tarn.Connectors.Tests.Nexmark;

public class NexmarkOptionsTests
{
    private static NexmarkOptions Parse(params (string Key, string Value)[] options) =>
        NexmarkOptions.Parse(options.ToDictionary(o => o.Key, o => o.Value));

    [Fact]
    public void Defaults_follow_the_spec()
    {
        var o = Parse(("connector", "nexmark"));
        Assert.Equal((10_000L, 0L, 1, 3, 46, 50), (o.FirstEventRate, o.EventsNum, o.PersonProportion, o.AuctionProportion, o.BidProportion, o.TotalProportion));
        Assert.Equal((200, 500, 100), (o.PersonAvgSize, o.AuctionAvgSize, o.BidAvgSize));
        Assert.Equal((true, false, -1L), (o.MaxEmitSpeed, o.KeepAlive, o.StopAt));
        Assert.Null(o.Limit);
        Assert.Equal(100.0, o.InterEventDelayMicros);
    }

    [Fact]
    public void Options_are_parsed()
    {
        var o = Parse(("events.num", "500"), ("stop-at", "100"), ("person.avg-size", "1 kb"), ("bid.avg-size", "64b"), ("max-emit-speed", "false"),
            ("keep-alive", "TRUE"), ("seed", "-1"), ("base-time", "2020-01-01 00:00:01.5"), ("rate.shape", "sine"), ("first-event.rate", "250"));
        Assert.Equal(100L, o.Limit);
        Assert.Equal((1024, 64), (o.PersonAvgSize, o.BidAvgSize));
        Assert.False(o.MaxEmitSpeed);
        Assert.True(o.KeepAlive);
        Assert.Equal(ulong.MaxValue, o.Seed);
        Assert.Equal(1_577_836_801_500L, o.BaseTimeMillis);
        Assert.Equal(4000.0, o.InterEventDelayMicros);
        Assert.Equal(123L, Parse(("base-time", "123")).BaseTimeMillis);
    }

    [Theory]
    [InlineData("events.nums", "1")]
    [InlineData("events.num", "-1")]
    [InlineData("first-event.rate", "0")]
    [InlineData("first-event.rate", "fast")]
    [InlineData("person.avg-size", "big")]
    [InlineData("auction.avg-size", "1 mb")]
    [InlineData("max-emit-speed", "yes")]
    [InlineData("base-time", "yesterday")]
    [InlineData("rate.unit", "PER_MINUTE")]
    public void Bad_options_are_22023(string key, string value) =>
        Assert.Equal(SqlStates.InvalidParameterValue, Assert.Throws<TarnException>(() => Parse((key, value))).SqlState);

    [Fact]
    public void All_proportions_zero_is_rejected() =>
        Assert.Throws<TarnException>(() => Parse(("person.proportion", "0"), ("auction.proportion", "0"), ("bid.proportion", "0")));
}
