using System.Text;
using CsCheck;
using Tarn.Storage.Encodings;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Encodings;

public class BinaryEncodingTests
{
    [Fact]
    [Trait("Spec", "ENC-016")]
    [Trait("Spec", "ENC-017")]
    public void Strings_round_trip_with_plain_and_dictionary()
    {
        Gen.Select(Gen.Int[0, 9], ValueShapes.Length, Gen.ULong).Sample((shape, n, seed) =>
            ChunkPayloadTests.RoundTripAllEncodings(VectorGen.Build(DataType.String, shape, n, seed)), iter: 1000);
    }

    private static BinaryVector Strings(params string?[] values)
    {
        var v = new BinaryVector(DataType.String, values.Length);
        foreach (var s in values)
        {
            if (s is null) v.AppendNull();
            else v.Append(s);
        }
        return v;
    }

    [Fact]
    [Trait("Spec", "ENC-017")]
    [Trait("Spec", "SEG-019")]
    public void Low_cardinality_strings_decode_to_a_sorted_dictionary_vector()
    {
        var rnd = new Random(3);
        string[] pool = ["shipped", "pending", "delivered", "returned", "cancelled"];
        var values = new string?[20_000];
        for (var i = 0; i < values.Length; i++) values[i] = rnd.Next(50) == 0 ? null : pool[rnd.Next(pool.Length)];
        var vector = Strings(values);
        var encoder = new ChunkPayloadEncoder();
        encoder.Analyze(vector, vector.Count);
        Assert.Equal(ChunkEncoding.Dictionary, encoder.Chosen);
        Assert.True(encoder.Stats.DistinctIsExact);
        Assert.Equal(5, encoder.Stats.DistinctEstimate);
        using var buffer = new EncodeBuffer();
        encoder.Write(buffer);
        // 3-bit codes plus a 1-bit null mask.
        Assert.True(buffer.Length < values.Length * 4 / 8 + 200, $"{buffer.Length} bytes");
        var decoded = Assert.IsType<DictionaryVector>(ChunkPayloadDecoder.Decode(buffer.WrittenSpan, DataType.String, vector.Count, new DecodeSite("f", "c"), out _));
        var entries = Enumerable.Range(0, decoded.Dictionary.Count).Select(decoded.Dictionary.GetString).ToArray();
        Assert.Equal(pool.Order(StringComparer.Ordinal), entries);
        VectorAssert.SameValues(vector, decoded);
    }

    [Fact]
    [Trait("Spec", "SEG-016")]
    public void Long_string_bounds_are_cut_or_dropped_but_still_bound_the_values()
    {
        var longA = new string('a', 300);
        var longZ = new string('z', 300);
        var encoder = new ChunkPayloadEncoder();
        var vector = Strings(longZ, "m", longA);
        encoder.Analyze(vector, 3);
        var stats = encoder.Stats;
        Assert.True(stats.MinBytesTruncated);
        Assert.Equal(BinaryValuesEncoder.MaxStatBytes, stats.MinBytes!.Length);
        Assert.Null(stats.MaxBytes);
        Assert.False(stats.HasMinMax);
        VectorAssert.StatsBound(vector, stats);
        encoder.Analyze(Strings("b", null, "a"), 3);
        Assert.Equal("a"u8.ToArray(), encoder.Stats.MinBytes);
        Assert.Equal("b"u8.ToArray(), encoder.Stats.MaxBytes);
        Assert.True(encoder.Stats.HasMinMax);
    }

    [Fact]
    [Trait("Spec", "ENC-016")]
    public void Readers_reject_lengths_that_exceed_the_payload()
    {
        using var buffer = new EncodeBuffer();
        buffer.WriteByte(0);
        buffer.WriteByte((byte)ChunkEncoding.Plain);
        buffer.WriteByte((byte)ChunkEncoding.Plain);
        buffer.WriteUInt32(1000);
        buffer.WriteBytes(Encoding.UTF8.GetBytes("short"));
        var ex = Assert.Throws<TarnException>(() => ChunkPayloadDecoder.Decode(buffer.WrittenSpan, DataType.String, 1, new DecodeSite("x.seg", "c"), out _));
        Assert.Equal(SqlStates.DataCorrupted, ex.SqlState);
        buffer.Clear();
        buffer.WriteByte(0);
        buffer.WriteByte((byte)ChunkEncoding.Plain);
        buffer.WriteByte((byte)ChunkEncoding.Plain);
        buffer.WriteUInt32(unchecked((uint)-5));
        ex = Assert.Throws<TarnException>(() => ChunkPayloadDecoder.Decode(buffer.WrittenSpan, DataType.String, 1, new DecodeSite("x.seg", "c"), out _));
        Assert.Contains("negative", ex.Message);
    }
}
