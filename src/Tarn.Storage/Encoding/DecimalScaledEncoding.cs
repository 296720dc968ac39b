using System.Numerics;
using System.Runtime.InteropServices;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>
/// DECIMAL_SCALED (after ALP): when every value v of a float chunk is exactly the correctly rounded quotient
/// k / 10^e for integers |k| &lt; 2^51 and one exponent e in 0..18, the chunk stores e and the integers k as an
/// integer stream. Prices, amounts and measurements with a fixed number of decimals shrink to a few bits each.
/// Decoding is bit-exact because the encoder checks each value with the decoder's own formula; NaN, infinities,
/// -0.0 and values with no short decimal form make the chunk fall back to another encoding.
/// </summary>
internal static class DecimalScaledEncoding
{
    public const int MaxExponent = 18;

    /// <summary>|k| stays below 2^51 so the decoder may convert with the exact magic-number trick.</summary>
    public const long MaxMagnitude = (1L << 51) - 1;

    private const double Magic = 6755399441055744.0; // 2^52 + 2^51
    private static readonly long MagicBits = BitConverter.DoubleToInt64Bits(Magic);

    /// <summary>10^0 .. 10^18, all exactly representable as doubles.</summary>
    private static readonly double[] Powers = CreatePowers();

    private static readonly long[] IntegerPowers = CreateIntegerPowers();

    private static double[] CreatePowers()
    {
        var p = new double[MaxExponent + 1];
        for (var i = 0; i <= MaxExponent; i++) p[i] = Math.Pow(10, i);
        return p;
    }

    private static long[] CreateIntegerPowers()
    {
        var p = new long[MaxExponent + 1];
        p[0] = 1;
        for (var i = 1; i <= MaxExponent; i++) p[i] = p[i - 1] * 10;
        return p;
    }

    /// <summary>Finds the exponent and fills <paramref name="scaled"/> with k; false when some value has no such form.</summary>
    public static bool TryScale(ReadOnlySpan<double> values, Span<long> scaled, out int exponent)
    {
        exponent = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (TryScaleAt(v, exponent, out var k))
            {
                scaled[i] = k;
                continue;
            }
            var e = exponent + 1;
            while (e <= MaxExponent && !TryScaleAt(v, e, out k)) e++;
            if (e > MaxExponent || !Rescale(scaled[..i], e - exponent)) return false;
            exponent = e;
            scaled[i] = k;
        }
        return true;
    }

    public static bool TryScale(ReadOnlySpan<float> values, Span<long> scaled, out int exponent)
    {
        exponent = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (TryScaleAt(v, exponent, out var k))
            {
                scaled[i] = k;
                continue;
            }
            var e = exponent + 1;
            while (e <= MaxExponent && !TryScaleAt(v, e, out k)) e++;
            if (e > MaxExponent || !Rescale(scaled[..i], e - exponent)) return false;
            exponent = e;
            scaled[i] = k;
        }
        return true;
    }

    private static bool TryScaleAt(double v, int e, out long k)
    {
        var s = v * Powers[e];
        k = 0;
        if (!(Math.Abs(s) <= MaxMagnitude)) return false; // also rejects NaN and infinities
        k = (long)Math.Round(s);
        return BitConverter.DoubleToInt64Bits(k / Powers[e]) == BitConverter.DoubleToInt64Bits(v);
    }

    private static bool TryScaleAt(float v, int e, out long k)
    {
        var s = v * Powers[e];
        k = 0;
        if (!(Math.Abs(s) <= MaxMagnitude)) return false;
        k = (long)Math.Round(s);
        return BitConverter.SingleToInt32Bits((float)(k / Powers[e])) == BitConverter.SingleToInt32Bits(v);
    }

    /// <summary>
    /// Moves earlier k to a larger exponent. k*10^d / 10^(e+d) is the same rational as k / 10^e and IEEE division
    /// rounds it the same way, so the values stay exact as long as the magnitudes stay below 2^51.
    /// </summary>
    private static bool Rescale(Span<long> scaled, int extraDigits)
    {
        var factor = IntegerPowers[extraDigits];
        var limit = MaxMagnitude / factor;
        for (var i = 0; i < scaled.Length; i++)
        {
            if (Math.Abs(scaled[i]) > limit) return false;
            scaled[i] *= factor;
        }
        return true;
    }

    public static void Write(int exponent, ReadOnlySpan<long> scaled, LongStreamEncoder analyzed, EncodeBuffer output)
    {
        output.WriteByte((byte)ChunkEncoding.DecimalScaled);
        output.WriteByte((byte)exponent);
        analyzed.Write(scaled, output);
    }

    /// <summary>Reads the body after the encoding byte: the exponent and the k stream, then divides.</summary>
    public static void Read(ref PayloadReader reader, Span<double> destination)
    {
        var exponent = ReadExponent(ref reader);
        var k = MemoryMarshal.Cast<double, long>(destination);
        LongStream.Read(ref reader, k, EncodingSet.Integers);
        var divisor = Powers[exponent];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var magicBits = new Vector<long>(MagicBits);
            var magic = new Vector<double>(Magic);
            var div = new Vector<double>(divisor);
            for (; i <= k.Length - Vector<long>.Count; i += Vector<long>.Count)
            {
                var converted = Vector.AsVectorDouble(new Vector<long>(k[i..]) + magicBits) - magic;
                (converted / div).CopyTo(destination[i..]);
            }
        }
        for (; i < k.Length; i++) destination[i] = k[i] / divisor;
    }

    public static void Read(ref PayloadReader reader, Span<float> destination, Span<long> scratch)
    {
        var exponent = ReadExponent(ref reader);
        LongStream.Read(ref reader, scratch, EncodingSet.Integers);
        var divisor = Powers[exponent];
        for (var i = 0; i < destination.Length; i++) destination[i] = (float)(scratch[i] / divisor);
    }

    private static int ReadExponent(ref PayloadReader reader)
    {
        var exponent = reader.ReadByte();
        if (exponent > MaxExponent) reader.Fail($"decimal exponent {exponent} exceeds {MaxExponent}");
        return exponent;
    }
}
