using System.Numerics;
using CsCheck;
using Tarn.Storage.Encodings;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Tests.Encodings;

public class IntegerEncodingTests
{
    private static readonly ChunkEncoding[] IntegerEncodings =
        [ChunkEncoding.Plain, ChunkEncoding.FrameOfReference, ChunkEncoding.Delta, ChunkEncoding.Rle, ChunkEncoding.Dictionary];

    [Fact]
    [Trait("Spec", "ENC-010")]
    [Trait("Spec", "ENC-011")]
    [Trait("Spec", "ENC-012")]
    [Trait("Spec", "ENC-013")]
    [Trait("Spec", "ENC-014")]
    public void Every_encoding_round_trips_64_bit_integers() =>
        ValueShapes.Longs(long.MinValue, long.MaxValue).Sample(v => RoundTripAll<long>(v, 8), iter: 1500);

    [Fact]
    [Trait("Spec", "ENC-012")]
    public void Every_encoding_round_trips_32_bit_integers() =>
        ValueShapes.Longs(int.MinValue, int.MaxValue).Sample(v => RoundTripAll<int>(v, 4), iter: 800);

    [Fact]
    public void Every_encoding_round_trips_16_and_8_bit_integers()
    {
        ValueShapes.Longs(short.MinValue, short.MaxValue).Sample(v => RoundTripAll<short>(v, 2), iter: 500);
        ValueShapes.Longs(sbyte.MinValue, sbyte.MaxValue).Sample(v => RoundTripAll<sbyte>(v, 1), iter: 500);
    }

    /// <summary>Forces each encoding: exact size = estimate, decoded values = input; then checks the choice.</summary>
    private static void RoundTripAll<T>(long[] values, int valueBytes) where T : unmanaged, IBinaryInteger<T>
    {
        var encoder = new LongStreamEncoder();
        using var buffer = new EncodeBuffer();
        encoder.Analyze(values, EncodingSet.Integers, valueBytes, forceDictionary: true);
        foreach (var e in IntegerEncodings)
        {
            var size = encoder.SizeOf(e);
            if (size < 0)
            {
                // Only the stateful encodings may be unavailable, and only for empty streams or huge dictionaries.
                Assert.True(values.Length == 0 || e == ChunkEncoding.Dictionary, $"{e} missing for {values.Length} values");
                continue;
            }
            buffer.Clear();
            encoder.Write(values, e, buffer);
            Assert.Equal(size, buffer.Length);
            var decoded = new T[values.Length];
            var reader = new PayloadReader(buffer.WrittenSpan, new DecodeSite("test", "stream"));
            Assert.Equal(e, LongStream.Read(ref reader, decoded.AsSpan(), EncodingSet.Integers));
            reader.ExpectEnd();
            for (var i = 0; i < values.Length; i++) Assert.Equal(T.CreateTruncating(values[i]), decoded[i]);
        }
        CheckStats(values, encoder);
        var forcedDictionary = encoder.SizeOf(ChunkEncoding.Dictionary);
        encoder.Analyze(values, EncodingSet.Integers, valueBytes);
        AssertChosenIsSmallest(encoder.SizeOf, encoder.Chosen);
        // A dictionary is skipped only when it could not have saved an eighth of the best size (within the sketch's margin).
        if (forcedDictionary >= 0 && encoder.SizeOf(ChunkEncoding.Dictionary) < 0)
        {
            var best = encoder.SizeOf(encoder.Chosen);
            Assert.True(forcedDictionary >= best - best / 8, $"a dictionary of {forcedDictionary} bytes was skipped for {best}");
        }
    }

    private static void CheckStats(long[] values, LongStreamEncoder encoder)
    {
        if (values.Length == 0) return;
        Assert.Equal(values.Min(), encoder.Stats.Min);
        Assert.Equal(values.Max(), encoder.Stats.Max);
        var distinct = values.Distinct().Count();
        if (encoder.DistinctIsExact) Assert.Equal(distinct, encoder.DistinctEstimate);
        else Assert.InRange(encoder.DistinctEstimate, 1, values.Length);
    }

    internal static void AssertChosenIsSmallest(Func<ChunkEncoding, long> sizeOf, ChunkEncoding chosen)
    {
        ChunkEncoding[] preference =
            [ChunkEncoding.Plain, ChunkEncoding.FrameOfReference, ChunkEncoding.Delta, ChunkEncoding.Rle, ChunkEncoding.Dictionary, ChunkEncoding.DecimalScaled];
        var best = preference.Where(e => sizeOf(e) >= 0).MinBy(sizeOf);
        Assert.Equal(best, chosen);
    }

    [Fact]
    [Trait("Spec", "ENC-030")]
    public void Chooser_prefers_the_smallest_size_and_breaks_ties_in_the_documented_order()
    {
        long[] sizes = [-1, 10, 10, 10, 10, 10, 10, -1];
        Assert.Equal(ChunkEncoding.Plain, EncodingChooser.Choose(sizes));
        sizes[(int)ChunkEncoding.Plain] = 11;
        Assert.Equal(ChunkEncoding.FrameOfReference, EncodingChooser.Choose(sizes));
        sizes[(int)ChunkEncoding.Dictionary] = 3;
        Assert.Equal(ChunkEncoding.Dictionary, EncodingChooser.Choose(sizes));
    }

    [Fact]
    [Trait("Spec", "ENC-012")]
    public void Dense_counters_cost_a_constant_number_of_bytes()
    {
        var values = new long[65536];
        for (var i = 0; i < values.Length; i++) values[i] = 1_000_000 + i;
        var encoder = new LongStreamEncoder();
        encoder.Analyze(values, EncodingSet.Integers, 8);
        Assert.Equal(ChunkEncoding.Delta, encoder.Chosen);
        Assert.Equal(DeltaEncoding.HeaderBytes, encoder.SizeOf(ChunkEncoding.Delta));
    }

    [Fact]
    [Trait("Spec", "ENC-014")]
    public void Low_cardinality_integers_use_a_sorted_dictionary()
    {
        var rnd = new Random(5);
        long[] pool = [200, 404, 500, 302, 201];
        var values = new long[10_000];
        for (var i = 0; i < values.Length; i++) values[i] = pool[rnd.Next(pool.Length)];
        var encoder = new LongStreamEncoder();
        encoder.Analyze(values, EncodingSet.Integers, 4);
        Assert.Equal(ChunkEncoding.Dictionary, encoder.Chosen);
        using var buffer = new EncodeBuffer();
        encoder.Write(values, buffer);
        // kind, u32 count, i64 reference (smallest entry), entry width byte, then packed entries ascending.
        Assert.Equal(5u, BitConverter.ToUInt32(buffer.WrittenSpan[1..5]));
        Assert.Equal(200L, BitConverter.ToInt64(buffer.WrittenSpan[5..13]));
    }

    [Fact]
    [Trait("Spec", "ENC-013")]
    [Trait("Spec", "ENC-014")]
    public void Readers_reject_run_lengths_and_codes_that_do_not_fit()
    {
        using var buffer = new EncodeBuffer();
        var encoder = new LongStreamEncoder();
        long[] runs = [7, 7, 7, 9, 9];
        encoder.Analyze(runs, EncodingSet.Integers, 8);
        encoder.Write(runs, ChunkEncoding.Rle, buffer);
        // Decoding the same bytes as 4 values must fail: the runs cover 5.
        var tooShort = new long[4];
        Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() =>
        {
            var r = new PayloadReader(buffer.WrittenSpan, new DecodeSite("f", "s"));
            LongStream.Read(ref r, tooShort.AsSpan(), EncodingSet.Integers);
        }).SqlState);

        // A dictionary of 3 entries (10, 11, 12) with four 2-bit codes 0, 1, 2, 3: the last has no entry.
        buffer.Clear();
        buffer.WriteByte((byte)ChunkEncoding.Dictionary);
        buffer.WriteUInt32(3);
        buffer.WriteInt64(10);
        buffer.WriteByte(2);
        buffer.WriteByte(0b_10_01_00);
        buffer.WriteByte(2);
        buffer.WriteByte(0b_11_10_01_00);
        var ex = Assert.Throws<TarnException>(() =>
        {
            var r = new PayloadReader(buffer.WrittenSpan, new DecodeSite("f", "s"));
            LongStream.Read(ref r, new long[4].AsSpan(), EncodingSet.Integers);
        });
        Assert.Equal(SqlStates.DataCorrupted, ex.SqlState);
        Assert.Contains("out of range", ex.Message);
    }
}
