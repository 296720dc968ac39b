using CsCheck;
using Tarn.Storage.Encodings;

namespace Tarn.Storage.Tests.Encodings;

public class BitPackingTests
{
    private static readonly Gen<(int Width, ulong[] Values)> PackedValues =
        Gen.Int[0, 64].SelectMany(w => Gen.ULong.Array[0, 600].Select(v => (w, Mask(v, w))));

    private static ulong[] Mask(ulong[] values, int width)
    {
        var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        for (var i = 0; i < values.Length; i++) values[i] &= mask;
        return values;
    }

    [Fact]
    [Trait("Spec", "ENC-001")]
    public void Pack_then_unpack_returns_every_value_for_every_width()
    {
        PackedValues.Sample(t =>
        {
            var (width, values) = t;
            var longs = Array.ConvertAll(values, v => (long)v);
            var packed = new byte[BitPacking.ByteCount(values.Length, width)];
            BitPacking.Pack(new OffsetSource(longs, 0), values.Length, width, packed);
            var back = new ulong[values.Length];
            BitPacking.UnpackAdd(packed, width, 0UL, back);
            Assert.Equal(values, back);
            Assert.True(BitPacking.PaddingIsZero(packed, values.Length, width));
        }, iter: 3000);
    }

    [Fact]
    [Trait("Spec", "ENC-001")]
    public void Bits_are_laid_out_least_significant_first()
    {
        // 3-bit values 1..5: bit stream 001 010 011 100 101 (LSB first) = 0b_101_100_011_010_001.
        long[] values = [1, 2, 3, 4, 5];
        var packed = new byte[BitPacking.ByteCount(5, 3)];
        BitPacking.Pack(new OffsetSource(values, 0), 5, 3, packed);
        Assert.Equal([0b_1101_0001, 0b_0101_1000], packed);
    }

    [Fact]
    public void Unpack_adds_the_reference_and_truncates_to_narrow_types()
    {
        Gen.Select(Gen.Int[0, 16], Gen.Int[0, 200], Gen.Short).Sample((width, n, reference) =>
        {
            var mask = (1L << width) - 1;
            var rnd = new Random(n * 31 + width);
            var values = new long[n];
            for (var i = 0; i < n; i++) values[i] = rnd.NextInt64() & mask;
            var packed = new byte[BitPacking.ByteCount(n, width)];
            BitPacking.Pack(new OffsetSource(values, 0), n, width, packed);
            var shorts = new short[n];
            BitPacking.UnpackAdd(packed, width, reference, shorts);
            for (var i = 0; i < n; i++) Assert.Equal(unchecked((short)(values[i] + reference)), shorts[i]);
        }, iter: 500);
    }

    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(1UL, 1)]
    [InlineData(255UL, 8)]
    [InlineData(256UL, 9)]
    [InlineData(ulong.MaxValue, 64)]
    public void Width_is_the_number_of_significant_bits(ulong max, int width) => Assert.Equal(width, BitPacking.Width(max));

    [Fact]
    [Trait("Spec", "ENC-001")]
    public void Nonzero_padding_bits_are_detected()
    {
        byte[] packed = [0b_0000_0101];
        Assert.True(BitPacking.PaddingIsZero(packed, 1, 3));
        packed[0] |= 0b_1000_0000;
        Assert.False(BitPacking.PaddingIsZero(packed, 1, 3));
    }
}
