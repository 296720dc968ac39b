using CsCheck;
using Tarn.Storage.Encodings;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Encodings;

public class FloatEncodingTests
{
    [Fact]
    [Trait("Spec", "ENC-015")]
    public void Decimal_scaled_round_trips_bit_exactly_or_is_not_offered()
    {
        Gen.Select(Gen.Int[0, 9], ValueShapes.Length, Gen.ULong).Sample((shape, n, seed) =>
        {
            ChunkPayloadTests.RoundTripAllEncodings(VectorGen.Build(DataType.Double, shape, n, seed));
            ChunkPayloadTests.RoundTripAllEncodings(VectorGen.Build(DataType.Float, shape, n, seed));
        }, iter: 1000);
    }

    [Fact]
    [Trait("Spec", "ENC-015")]
    public void Amounts_with_two_decimals_take_seventeen_bits()
    {
        var rnd = new Random(1);
        var values = new double[65536];
        for (var i = 0; i < values.Length; i++) values[i] = rnd.Next(0, 100_000) / 100.0;
        var encoder = new FloatValuesEncoder();
        encoder.Analyze(values);
        Assert.Equal(ChunkEncoding.DecimalScaled, encoder.Chosen);
        Assert.Equal(2, encoder.Exponent);
        Assert.InRange(encoder.SizeOf(ChunkEncoding.DecimalScaled), 65536 * 17 / 8, 65536 * 17 / 8 + 32);
    }

    [Theory]
    [Trait("Spec", "ENC-015")]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.0)]
    [InlineData(0.1 + 0.2)]
    [InlineData(1e300)]
    public void Values_without_a_short_exact_decimal_form_disable_decimal_scaling(double odd)
    {
        double[] values = [1.25, 2.5, odd, 3.75];
        var encoder = new FloatValuesEncoder();
        encoder.Analyze(values);
        Assert.Equal(-1, encoder.SizeOf(ChunkEncoding.DecimalScaled));
    }

    [Fact]
    [Trait("Spec", "ENC-015")]
    public void The_exponent_grows_when_a_later_value_needs_more_digits()
    {
        double[] values = [3, 2.5, 12.75, -0.125, 1e-6];
        var k = new long[values.Length];
        Assert.True(DecimalScaledEncoding.TryScale(values, k, out var e));
        Assert.Equal(6, e);
        Assert.Equal([3_000_000L, 2_500_000, 12_750_000, -125_000, 1], k);
    }

    [Fact]
    [Trait("Spec", "SEG-015")]
    public void Float_statistics_use_total_order_and_drop_bounds_when_nan_is_present()
    {
        var encoder = new ChunkPayloadEncoder();
        encoder.Analyze(new PrimitiveVector<double>(DataType.Double, [0.0, -0.0, 5], 3), 3);
        Assert.True(encoder.Stats.HasMinMax);
        Assert.True(double.IsNegative(encoder.Stats.MinFloat) && encoder.Stats.MinFloat == 0, "-0.0 is the minimum");
        Assert.Equal(5, encoder.Stats.MaxFloat);
        encoder.Analyze(new PrimitiveVector<double>(DataType.Double, [1, double.NaN, 5], 3), 3);
        Assert.True(encoder.Stats.HasNaN);
        Assert.False(encoder.Stats.HasMinMax);
        // A NULL row's slot is never looked at for statistics.
        encoder.Analyze(new PrimitiveVector<double>(DataType.Double, [1, double.NaN, 5], 3, [0, 1, 0]), 3);
        Assert.False(encoder.Stats.HasNaN);
        Assert.Equal(1, encoder.Stats.MinFloat);
    }
}
