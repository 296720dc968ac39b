using System.Text;

namespace Tarn.Server.Kafka;

/// <summary>
/// Reads and writes the fields whose encoding depends on whether the API version is flexible (KIP-482): strings,
/// bytes and arrays are compact (UVARINT length + 1) and structures end with a tagged-field block.
/// </summary>
internal static class FlexibleCodec
{
    public static string? FlexNullableString(this ref KafkaReader r, bool flexible) =>
        flexible ? r.CompactNullableString() : r.NullableString();

    public static string FlexString(this ref KafkaReader r, bool flexible) =>
        r.FlexNullableString(flexible) ?? throw new KafkaProtocolException("null where a string is required");

    /// <summary>An array count (-1 for a null array), bounded by the bytes left.</summary>
    public static int FlexArrayCount(this ref KafkaReader r, bool flexible, int minElementBytes)
    {
        if (!flexible) return r.ArrayCount(minElementBytes);
        var n = r.UVarInt();
        if (n == 0) return -1;
        n--;
        if ((long)n * Math.Max(1, minElementBytes) > r.Remaining) throw new KafkaProtocolException($"array count {n} exceeds the frame");
        return n;
    }

    /// <summary>Bytes (never null in the APIs that use this): a copy, since group requests outlive their frame while waiting for a rebalance.</summary>
    public static byte[] FlexBytes(this ref KafkaReader r, bool flexible)
    {
        if (!flexible) return r.NullableBytes(out var span) ? span.ToArray() : [];
        var n = r.UVarInt();
        return n == 0 ? [] : r.Raw(n - 1).ToArray();
    }

    public static void FlexTags(this ref KafkaReader r, bool flexible)
    {
        if (flexible) r.SkipTaggedFields();
    }

    public static void FlexNullableString(this KafkaWriter w, string? s, bool flexible)
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

    public static void FlexString(this KafkaWriter w, string s, bool flexible) => w.FlexNullableString(s, flexible);

    public static void FlexBytes(this KafkaWriter w, ReadOnlySpan<byte> bytes, bool flexible)
    {
        if (flexible) w.UVarLong((ulong)bytes.Length + 1);
        else w.Int32(bytes.Length);
        w.Raw(bytes);
    }

    public static void FlexArrayCount(this KafkaWriter w, int count, bool flexible)
    {
        if (flexible) w.UVarLong((ulong)count + 1);
        else w.Int32(count);
    }

    public static void FlexTags(this KafkaWriter w, bool flexible)
    {
        if (flexible) w.UVarLong(0);
    }
}
