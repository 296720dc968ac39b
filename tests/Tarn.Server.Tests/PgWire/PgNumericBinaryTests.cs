using CsCheck;
using Tarn.Server.PgWire;

namespace Tarn.Server.Tests.PgWire;

/// <summary>PostgreSQL's binary NUMERIC encoding round-trips every decimal, and matches PostgreSQL's layout for known values.</summary>
public sealed class PgNumericBinaryTests
{
    [Fact]
    public void RoundTripsEveryDecimal() =>
        Gen.Decimal.Sample(value =>
        {
            var writer = new PgMessageWriter();
            PgNumericBinary.Write(writer, value);
            Assert.Equal(value, PgNumericBinary.Read(writer.Written));
        });

    [Theory]
    [InlineData("0", new short[] { 0, 0, 0, 0 })]
    [InlineData("1.50", new short[] { 2, 0, 0, 2, 1, 5000 })]
    [InlineData("-12345.67", new short[] { 3, 1, 0x4000, 2, 1, 2345, 6700 })]
    [InlineData("0.0001", new short[] { 1, -1, 0, 4, 1 })]
    [InlineData("100000000", new short[] { 1, 2, 0, 0, 1 })]
    public void MatchesPostgresLayout(string text, short[] expected)
    {
        var writer = new PgMessageWriter();
        PgNumericBinary.Write(writer, decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        var bytes = writer.Written;
        var actual = new short[bytes.Length / 2];
        for (var i = 0; i < actual.Length; i++) actual[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(bytes[(i * 2)..]);
        Assert.Equal(expected, actual);
    }
}
