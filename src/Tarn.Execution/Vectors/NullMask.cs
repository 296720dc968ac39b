using System.Numerics;

namespace Tarn.Execution.Vectors;

/// <summary>Operations on byte-per-row null masks (non-zero = NULL; a missing mask means no NULLs).</summary>
public static class NullMask
{
    /// <summary>True when some row in [0, count) is NULL.</summary>
    public static bool Any(byte[]? mask, int count) => mask is not null && mask.AsSpan(0, count).ContainsAnyExcept((byte)0);

    /// <summary>The union of two masks over <paramref name="count"/> rows as a new array, or null when neither has a NULL.</summary>
    public static byte[]? Or(byte[]? a, byte[]? b, int count)
    {
        var hasA = Any(a, count);
        var hasB = Any(b, count);
        if (!hasA && !hasB) return null;
        var result = new byte[Math.Max(count, 1)];
        if (hasA && hasB) Or(a!.AsSpan(0, count), b!.AsSpan(0, count), result);
        else (hasA ? a! : b!).AsSpan(0, count).CopyTo(result);
        return result;
    }

    /// <summary>Union of any number of masks (null entries allowed).</summary>
    public static byte[]? Or(ReadOnlySpan<byte[]?> masks, int count)
    {
        byte[]? result = null;
        foreach (var m in masks)
        {
            if (!Any(m, count)) continue;
            if (result is null)
            {
                result = new byte[Math.Max(count, 1)];
                m!.AsSpan(0, count).CopyTo(result);
            }
            else Or(result.AsSpan(0, count), m!.AsSpan(0, count), result);
        }
        return result;
    }

    public static void Or(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> result)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<byte>.Count;
            for (; i + w <= a.Length; i += w)
                (new Vector<byte>(a[i..]) | new Vector<byte>(b[i..])).CopyTo(result[i..]);
        }
        for (; i < a.Length; i++) result[i] = (byte)(a[i] | b[i]);
    }

    /// <summary>A copy of rows [0, count) of the mask, or null if it has no NULL.</summary>
    public static byte[]? Copy(byte[]? mask, int count) => Any(mask, count) ? mask!.AsSpan(0, count).ToArray() : null;

    /// <summary>A mask with every row NULL.</summary>
    public static byte[] AllNull(int count)
    {
        var m = new byte[Math.Max(count, 1)];
        m.AsSpan().Fill(1);
        return m;
    }
}
