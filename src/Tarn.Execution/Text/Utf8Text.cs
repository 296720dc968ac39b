using System.Text;

namespace Tarn.Execution.Text;

/// <summary>Character-level operations on UTF-8 bytes (SQL string functions count characters, not bytes).</summary>
public static class Utf8Text
{
    public static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;

    public static int CharCount(ReadOnlySpan<byte> s)
    {
        if (Ascii.IsValid(s)) return s.Length;
        var n = 0;
        foreach (var b in s) n += IsContinuation(b) ? 0 : 1;
        return n;
    }

    /// <summary>Byte offset of character <paramref name="charIndex"/> (0-based); the length if past the end.</summary>
    public static int ByteOffsetOfChar(ReadOnlySpan<byte> s, long charIndex)
    {
        if (charIndex <= 0) return 0;
        long seen = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (IsContinuation(s[i])) continue;
            if (seen == charIndex) return i;
            seen++;
        }
        return s.Length;
    }

    /// <summary>Number of bytes of the UTF-8 sequence starting at <paramref name="i"/>.</summary>
    public static int SequenceLength(ReadOnlySpan<byte> s, int i)
    {
        var j = i + 1;
        while (j < s.Length && IsContinuation(s[j])) j++;
        return j - i;
    }

    public static string Decode(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);
}
