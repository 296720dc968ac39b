using CsCheck;
using Tarn.Server.Kafka;
using static Tarn.Server.Tests.Kafka.KafkaCodecs;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Every codec round-trips, never throws on garbage, and stops at its budget when fed a decompression bomb.</summary>
public sealed class RecordDecompressorTests
{
    public static TheoryData<CodecEncoding> Encodings() => new(Enum.GetValues<CodecEncoding>());

    /// <summary>Random bytes (incompressible) and runs of repeated chunks (compressible, many back-references).</summary>
    private static readonly Gen<byte[]> Payload = Gen.OneOf(
        Gen.Byte.Array[0, 4000],
        Gen.Select(Gen.Byte.Array[1, 40], Gen.Int[1, 5000]).Select((chunk, times) =>
        {
            var bytes = new byte[chunk.Length * times];
            for (var i = 0; i < times; i++) chunk.CopyTo(bytes, i * chunk.Length);
            return bytes;
        }));

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Payloads_round_trip(CodecEncoding encoding)
    {
        Payload.Sample(data =>
        {
            var inflated = RecordDecompressor.Decompress(CodecOf(encoding), Compress(encoding, data), out var error);
            Assert.Equal(KafkaErrors.None, error);
            Assert.Equal(data, inflated);
        }, iter: 60);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Compressed_batches_decode_to_their_records(CodecEncoding encoding)
    {
        Gen.Byte.Array[0, 300].List[1, 30].Sample(values =>
        {
            var records = new List<KafkaRecord>();
            Assert.Equal(KafkaErrors.None, RecordBatchReader.Decode(Batch(values, encoding), records));
            Assert.Equal(values.Count, records.Count);
            for (var i = 0; i < values.Count; i++) Assert.Equal(values[i], records[i].Value);
        }, iter: 40);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Damaged_input_is_an_error_code_never_an_exception(CodecEncoding encoding)
    {
        Gen.Select(Payload, Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[0, int.MaxValue]).Sample((data, at, value, cut) =>
        {
            var compressed = Compress(encoding, data);
            if (compressed.Length > 0) compressed[at % compressed.Length] ^= (byte)(value | 1);
            var damaged = compressed.AsSpan(0, compressed.Length == 0 ? 0 : 1 + cut % compressed.Length);
            var inflated = RecordDecompressor.Decompress(CodecOf(encoding), damaged, new DecompressionBudget(1 << 20), out var error);
            Assert.True(inflated is null ? error is KafkaErrors.CorruptMessage or KafkaErrors.RecordListTooLarge : error == KafkaErrors.None);
        }, iter: 200);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_bytes_are_an_error_code_never_an_exception(int codec)
    {
        Gen.Byte.Array[0, 2000].Sample(data =>
        {
            var inflated = RecordDecompressor.Decompress(codec, data, new DecompressionBudget(1 << 20), out var error);
            Assert.True(inflated is null ? error is KafkaErrors.CorruptMessage or KafkaErrors.RecordListTooLarge : error == KafkaErrors.None);
        }, iter: 500);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_bomb_is_refused_at_the_budget_with_bounded_memory(CodecEncoding encoding)
    {
        var bomb = Bombs.Of(encoding);
        const int budget = 1 << 20;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var inflated = RecordDecompressor.Decompress(CodecOf(encoding), bomb, new DecompressionBudget(budget), out var error);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Null(inflated);
        Assert.Equal(KafkaErrors.RecordListTooLarge, error);
        // the compressed copy plus a few budgets' worth of buffers: nowhere near the bomb's size
        Assert.True(allocated < bomb.Length + 16L * budget, $"allocated {allocated} bytes for a {bomb.Length}-byte bomb");
    }

    [Fact]
    public void A_snappy_block_claiming_a_gigabyte_is_refused_before_allocating()
    {
        // varint 2^30, then a single literal: the declared length alone must be refused
        byte[] lie = [0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 0x00];
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(RecordDecompressor.Decompress(KafkaCodecs.Snappy, lie, new DecompressionBudget(1 << 20), out var error));
        Assert.Equal(KafkaErrors.RecordListTooLarge, error);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void The_budget_is_shared_by_all_batches_of_a_request()
    {
        var values = new List<byte[]> { new byte[600_000], new byte[600_000] };
        var batch = Batch(values, CodecEncoding.Zstd);
        var twice = batch.Concat(batch).ToArray();
        Assert.Equal(KafkaErrors.None, RecordBatchReader.Decode(batch, [], new DecompressionBudget(2 << 20)));
        Assert.Equal(KafkaErrors.RecordListTooLarge, RecordBatchReader.Decode(twice, [], new DecompressionBudget(2 << 20)));
    }
}

/// <summary>Compressed zeros: 1 GiB for the streaming codecs; 64 MiB for xerial snappy (snappy's ratio is ~20:1 at best); built once.</summary>
internal static class Bombs
{
    private static readonly Dictionary<CodecEncoding, byte[]> Built = [];

    public static byte[] Of(CodecEncoding encoding)
    {
        lock (Built)
        {
            if (Built.TryGetValue(encoding, out var bomb)) return bomb;
            if (encoding == CodecEncoding.SnappyRaw)
            {
                // a raw block is one allocation of its declared length: the bomb is the declaration (1 GiB) itself
                bomb = [0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 0x00];
            }
            else
            {
                var total = encoding == CodecEncoding.SnappyXerial ? 64L << 20 : 1L << 30;
                var zeros = new byte[1 << 20];
                bomb = KafkaCodecs.Stream(encoding, s =>
                {
                    for (long written = 0; written < total; written += zeros.Length) s.Write(zeros);
                });
            }
            Built[encoding] = bomb;
            return bomb;
        }
    }
}
