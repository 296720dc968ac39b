using System.Text;

namespace Tarn.Connectors.Nexmark;

/// <summary>
/// The fixed vocabularies of the spec (§5) as UTF-8, plus the text derived once per seed: the 1 MiB pool that
/// <c>extra</c> fields are cut from, the URLs of the 10,000 channels and of the 4 hot channels. Each channel's URL is a
/// function of (seed, channel) alone, so it does not depend on which events were generated before (the upstream cache
/// does).
/// </summary>
internal sealed class NexmarkText
{
    private static readonly string[] FirstNames = ["Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"];
    private static readonly string[] LastNames = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"];
    private static readonly string[] CityNames = ["Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"];
    private static readonly string[] StateNames = ["AZ", "CA", "ID", "OR", "WA", "WY"];
    private static readonly string[] HotChannelNames = ["Google", "Facebook", "Baidu", "Apple"];

    public static readonly int FirstNameCount = FirstNames.Length;
    public static readonly int LastNameCount = LastNames.Length;

    /// <summary>"First Last" for every pair, indexed [first * LastNameCount + last].</summary>
    public static readonly byte[][] FullNames = BuildFullNames();
    public static readonly byte[][] Cities = Utf8(CityNames);
    public static readonly byte[][] States = Utf8(StateNames);
    public static readonly byte[][] HotChannels = Utf8(HotChannelNames);

    private const int CacheSize = 4;
    private static readonly Lock CacheLock = new();
    private static readonly NexmarkText?[] Cache = new NexmarkText?[CacheSize];
    private static int _nextEvicted;

    private NexmarkText(ulong seed)
    {
        Seed = seed;
        var pool = new byte[NexmarkConstants.ExtraPoolSize];
        var random = new NexmarkRandom(seed, -1);
        for (var i = 0; i < pool.Length; i++) pool[i] = (byte)('a' + random.NextInt(26));
        ExtraPool = pool;
        HotUrls = new byte[HotChannelNames.Length][];
        for (var i = 0; i < HotUrls.Length; i++)
        {
            var r = new NexmarkRandom(seed, -2 - i);
            HotUrls[i] = BaseUrl(ref r);
        }
        ChannelNames = new byte[NexmarkConstants.ChannelsNumber][];
        ChannelUrls = new byte[NexmarkConstants.ChannelsNumber][];
        for (var k = 0; k < ChannelUrls.Length; k++)
        {
            ChannelNames[k] = Encoding.ASCII.GetBytes($"channel-{k}");
            var r = new NexmarkRandom(seed, -100 - k);
            var url = BaseUrl(ref r);
            if (r.NextInt(10) > 0) url = [.. url, .. Encoding.ASCII.GetBytes($"&channel_id={NexmarkStrings.AbsReversedBits(k)}")];
            ChannelUrls[k] = url;
        }
    }

    public ulong Seed { get; }
    public byte[] ExtraPool { get; }
    public byte[][] HotUrls { get; }
    public byte[][] ChannelNames { get; }
    public byte[][] ChannelUrls { get; }

    /// <summary>The text for <paramref name="seed"/>; a few recent seeds are kept, since building one takes milliseconds.</summary>
    public static NexmarkText For(ulong seed)
    {
        lock (CacheLock)
        {
            foreach (var c in Cache)
                if (c is not null && c.Seed == seed) return c;
            var text = new NexmarkText(seed);
            Cache[_nextEvicted] = text;
            _nextEvicted = (_nextEvicted + 1) % CacheSize;
            return text;
        }
    }

    /// <summary><c>https://www.nexmark.com/&lt;s&gt;/&lt;s&gt;/&lt;s&gt;/item.htm?query=1</c> with s = nextString(5, '_').</summary>
    private static byte[] BaseUrl(ref NexmarkRandom random)
    {
        var sb = new StringBuilder("https://www.nexmark.com/");
        Span<byte> s = stackalloc byte[NexmarkStrings.MaxLength];
        for (var i = 0; i < 3; i++)
        {
            var n = NexmarkStrings.NextString(ref random, 5, (byte)'_', s);
            sb.Append(Encoding.ASCII.GetString(s[..n])).Append('/');
        }
        sb.Append("item.htm?query=1");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static byte[][] Utf8(string[] values)
    {
        var result = new byte[values.Length][];
        for (var i = 0; i < values.Length; i++) result[i] = Encoding.UTF8.GetBytes(values[i]);
        return result;
    }

    private static byte[][] BuildFullNames()
    {
        var result = new byte[FirstNames.Length * LastNames.Length][];
        for (var f = 0; f < FirstNames.Length; f++)
            for (var l = 0; l < LastNames.Length; l++)
                result[f * LastNames.Length + l] = Encoding.UTF8.GetBytes($"{FirstNames[f]} {LastNames[l]}");
        return result;
    }
}
