using CsCheck;
using Tarn.Storage.Encodings;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Encodings;

public class Int128AndSketchTests
{
    [Fact]
    [Trait("Spec", "ENC-018")]
    public void Wide_decimals_round_trip_with_every_int128_encoding()
    {
        Gen.Select(Gen.Int[0, 9], ValueShapes.Length, Gen.ULong).Sample((shape, n, seed) =>
            ChunkPayloadTests.RoundTripAllEncodings(VectorGen.Build(DataType.Decimal(30, 5), shape, n, seed)), iter: 800);
    }

    [Fact]
    [Trait("Spec", "ENC-018")]
    public void Int128_frame_of_reference_is_offered_only_when_the_range_fits_64_bits()
    {
        var encoder = new Int128StreamEncoder();
        encoder.Analyze([Int128.MinValue, Int128.MaxValue]);
        Assert.Equal(-1, encoder.SizeOf(ChunkEncoding.FrameOfReference));
        encoder.Analyze([(Int128)long.MaxValue * 1000, (Int128)long.MaxValue * 1000 + ulong.MaxValue]);
        Assert.Equal(1 + 16 + 1 + 2 * 8, encoder.SizeOf(ChunkEncoding.FrameOfReference));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(50_000)]
    [InlineData(1_000_000)]
    public void Distinct_estimates_are_within_ten_percent(int distinct)
    {
        var sketch = new DistinctSketch();
        for (var i = 0; i < distinct; i++) sketch.Add(Hashing.Mix((ulong)i * 7919));
        Assert.InRange(sketch.Estimate(), distinct * 0.9, distinct * 1.1);
    }

    [Fact]
    public void Merged_sketches_estimate_the_union()
    {
        var a = new DistinctSketch();
        var b = new DistinctSketch();
        for (var i = 0; i < 60_000; i++) a.Add(Hashing.Mix((ulong)i));
        for (var i = 30_000; i < 90_000; i++) b.Add(Hashing.Mix((ulong)i));
        a.Merge(b);
        Assert.InRange(a.Estimate(), 81_000, 99_000);
    }

    [Fact]
    public void Integer_chunk_distinct_counts_are_exact_for_dictionaries_and_close_otherwise()
    {
        var values = new long[65536];
        for (var i = 0; i < values.Length; i++) values[i] = i * 3 % 20_011;
        var encoder = new ChunkPayloadEncoder();
        encoder.Analyze(new PrimitiveVector<long>(DataType.BigInt, values, values.Length), values.Length);
        Assert.InRange(encoder.Stats.DistinctEstimate, 18_000, 22_000);
    }
}
