using CsCheck;
using Tarn.Storage.Encodings;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Encodings;

public class ChunkPayloadTests
{
    private static readonly ChunkEncoding[] All = Enum.GetValues<ChunkEncoding>();

    [Fact]
    [Trait("Spec", "ENC-002")]
    [Trait("Spec", "ENC-003")]
    [Trait("Spec", "ENC-020")]
    [Trait("Spec", "ENC-031")]
    public void Every_allowed_encoding_round_trips_every_physical_type_bit_exactly() =>
        VectorGen.AnyVector.Sample(RoundTripAllEncodings, iter: 2500);

    /// <summary>
    /// For each candidate encoding: the payload has exactly the estimated size and decodes to the input; the
    /// statistics bound every value; without forcing, the choice is the smallest candidate.
    /// </summary>
    internal static void RoundTripAllEncodings(ColumnVector vector)
    {
        var type = vector.Type;
        var allowed = AllowedEncodings.For(type.Physical);
        var encoder = new ChunkPayloadEncoder();
        using var buffer = new EncodeBuffer();
        encoder.Analyze(vector, vector.Count, forceDictionary: true);
        Assert.True(encoder.SizeOf(ChunkEncoding.Plain) > 0, "PLAIN is always a candidate");
        foreach (var e in All)
        {
            if (encoder.SizeOf(e) < 0) continue;
            Assert.True(allowed.Has(e), $"{e} offered for {type.Physical}");
            buffer.Clear();
            encoder.Write(e, buffer);
            Assert.Equal(encoder.PayloadSize(e), buffer.Length);
            var decoded = ChunkPayloadDecoder.Decode(buffer.WrittenSpan, type, vector.Count, new DecodeSite("test", "chunk"), out var got);
            Assert.Equal(e, got);
            Assert.Equal(vector.Count, decoded.Count);
            if (type.Physical == PhysicalType.Binary) Assert.Equal(e == ChunkEncoding.Dictionary, decoded is DictionaryVector);
            VectorAssert.SameValues(vector, decoded);
        }
        VectorAssert.StatsBound(vector, encoder.Stats);
        encoder.Analyze(vector, vector.Count);
        IntegerEncodingTests.AssertChosenIsSmallest(encoder.SizeOf, encoder.Chosen);
    }

    [Fact]
    [Trait("Spec", "ENC-020")]
    [Trait("Spec", "ENC-003")]
    public void Readers_reject_encodings_and_validity_kinds_a_type_does_not_allow()
    {
        foreach (var type in VectorGen.Types)
        {
            var allowed = AllowedEncodings.For(type.Physical);
            for (var e = 0; e < 256; e++)
            {
                if (allowed.Has((ChunkEncoding)e)) continue;
                byte[] payload = [0, (byte)e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
                var ex = Assert.Throws<TarnException>(() => ChunkPayloadDecoder.Decode(payload, type, 1, new DecodeSite("f", "c"), out _));
                Assert.Equal(SqlStates.DataCorrupted, ex.SqlState);
            }
            Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() =>
                ChunkPayloadDecoder.Decode([3, 1, 0], type, 1, new DecodeSite("f", "c"), out _)).SqlState);
        }
    }

    [Fact]
    [Trait("Spec", "ENC-003")]
    public void Validity_is_omitted_without_nulls_and_one_byte_when_all_null()
    {
        var encoder = new ChunkPayloadEncoder();
        var values = new long[100];
        encoder.Analyze(new PrimitiveVector<long>(DataType.BigInt, values, 100), 100);
        Assert.Equal(1, encoder.ValiditySize);
        var allNull = new byte[100];
        Array.Fill(allNull, (byte)1);
        encoder.Analyze(new PrimitiveVector<long>(DataType.BigInt, values, 100, allNull), 100);
        Assert.Equal(1, encoder.ValiditySize);
        Assert.False(encoder.Stats.HasMinMax);
        Assert.Equal(100, encoder.Stats.NullCount);
        Assert.Equal(0, encoder.Stats.DistinctEstimate);
    }

    [Fact]
    [Trait("Spec", "SEG-018")]
    public void A_null_in_a_not_null_column_is_corrupt_on_read()
    {
        var encoder = new ChunkPayloadEncoder();
        using var buffer = new EncodeBuffer();
        encoder.Analyze(new PrimitiveVector<int>(DataType.Int, [1, 2], 2, [0, 1]), 2);
        encoder.Write(buffer);
        var ex = Assert.Throws<TarnException>(() =>
            ChunkPayloadDecoder.Decode(buffer.WrittenSpan, DataType.Int.WithNullable(false), 2, new DecodeSite("f.seg", "chunk"), out _));
        Assert.Equal(SqlStates.DataCorrupted, ex.SqlState);
        Assert.Equal("f.seg", ex.FilePath);
    }

    [Fact]
    [Trait("Spec", "ENC-040")]
    public void Decoded_booleans_are_always_zero_or_one()
    {
        // A FOR stream of booleans whose reference is 7: every decoded byte would be 7 without normalization.
        using var buffer = new EncodeBuffer();
        buffer.WriteByte(0);
        buffer.WriteByte((byte)ChunkEncoding.FrameOfReference);
        buffer.WriteInt64(7);
        buffer.WriteByte(0);
        var v = (PrimitiveVector<bool>)ChunkPayloadDecoder.Decode(buffer.WrittenSpan, DataType.Boolean, 3, new DecodeSite("f", "c"), out _);
        Assert.All(v.Span.ToArray(), Assert.True);
        Assert.All(System.Runtime.InteropServices.MemoryMarshal.Cast<bool, byte>(v.Span).ToArray(), b => Assert.Equal(1, b));
    }
}
