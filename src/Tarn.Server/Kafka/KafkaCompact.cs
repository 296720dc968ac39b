using System.Text;

namespace Tarn.Server.Kafka;

/// <summary>
/// KIP-482 flexible-version encodings (compact strings and arrays: UVARINT length + 1) chosen per request version, so
/// one parser serves an API's classic and flexible versions.
/// </summary>
internal static class KafkaCompact
{
    public static string String(ref KafkaReader r, bool flexible) =>
        NullableString(ref r, flexible) ?? throw new KafkaProtocolException("null where a string is required");

    public static string? NullableString(ref KafkaReader r, bool flexible) => flexible ? r.CompactNullableString() : r.NullableString();

    /// <summary>An array count (-1 for null); compact arrays store count + 1.</summary>
    public static int ArrayCount(ref KafkaReader r, bool flexible, int minElementBytes)
    {
        if (!flexible) return r.ArrayCount(minElementBytes);
        var n = r.UVarInt() - 1;
        if (n < -1 || (long)n * Math.Max(1, minElementBytes) > r.Remaining) throw new KafkaProtocolException($"array count {n} exceeds the frame");
        return n;
    }

    public static void SkipTags(ref KafkaReader r, bool flexible)
    {
        if (flexible) r.SkipTaggedFields();
    }

    public static void String(KafkaWriter w, string? s, bool flexible)
    {
        if (!flexible)
        {
            w.NullableString(s);
            return;
        }
        if (s is null)
        {
            w.UVarLong(0);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(s);
        w.UVarLong((ulong)bytes.Length + 1);
        w.Raw(bytes);
    }

    public static void ArrayCount(KafkaWriter w, int count, bool flexible)
    {
        if (flexible) w.UVarLong((ulong)(count + 1));
        else w.Int32(count);
    }

    public static void Tags(KafkaWriter w, bool flexible)
    {
        if (flexible) w.UVarLong(0);
    }
}
