namespace Tarn.Connectors.Nexmark;

/// <summary>The spec's random strings (§5): nextString and the sizes of the <c>extra</c> padding.</summary>
internal static class NexmarkStrings
{
    /// <summary>Longest string <see cref="NextString"/> can return (its max is at most 100 in the spec).</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// nextString(max, special): 3 + nextInt(max - 3) characters, each <paramref name="special"/> with probability 1/13,
    /// else a random lowercase letter; trimmed of spaces as Java's String.trim() does. Writes into
    /// <paramref name="destination"/> and returns the trimmed length.
    /// </summary>
    public static int NextString(ref NexmarkRandom random, int max, byte special, Span<byte> destination)
    {
        var length = NexmarkConstants.MinStringLength + random.NextInt(max - NexmarkConstants.MinStringLength);
        for (var i = 0; i < length; i++)
            destination[i] = random.NextInt(13) == 0 ? special : (byte)('a' + random.NextInt(26));
        if (special != (byte)' ') return length;
        var start = 0;
        while (start < length && destination[start] == (byte)' ') start++;
        var end = length;
        while (end > start && destination[end - 1] == (byte)' ') end--;
        if (start > 0) destination[start..end].CopyTo(destination);
        return end - start;
    }

    /// <summary>nextExtra's length: 0 when <paramref name="currentSize"/> already exceeds <paramref name="averageSize"/>, else about the difference ± 20 %.</summary>
    public static int NextExtraLength(ref NexmarkRandom random, int currentSize, int averageSize)
    {
        if (currentSize > averageSize) return 0;
        var d = averageSize - currentSize;
        var delta = (int)Math.Round(d * 0.2, MidpointRounding.AwayFromZero);
        return d - delta + (delta == 0 ? 0 : random.NextInt(2 * delta));
    }

    /// <summary>Java's <c>Math.abs(Integer.reverse(k))</c> (including abs(MIN_VALUE) = MIN_VALUE).</summary>
    public static int AbsReversedBits(int k)
    {
        var reversed = (int)ReverseBits((uint)k);
        return reversed == int.MinValue ? reversed : Math.Abs(reversed);
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
