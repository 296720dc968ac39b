using CsCheck;
using Tarn.Server.Kafka;

namespace Tarn.Server.Tests.Kafka;

public sealed class RecordBatchTests
{
    private static byte[] Encode(List<byte[]> values)
    {
        var w = new KafkaWriter();
        var batch = new RecordBatchWriter(w);
        batch.Begin(100, 1_700_000_000_000);
        for (var i = 0; i < values.Count; i++) batch.Add(100 + i, default, hasKey: false, values[i]);
        batch.End();
        return w.Written.ToArray();
    }

    [Fact]
    public void Written_batches_decode_to_the_same_values()
    {
        Gen.Byte.Array[0, 300].List[1, 20].Sample(values =>
        {
            var records = new List<KafkaRecord>();
            Assert.Equal(KafkaErrors.None, RecordBatchReader.Decode(Encode(values), records));
            Assert.Equal(values.Count, records.Count);
            for (var i = 0; i < values.Count; i++)
            {
                Assert.Null(records[i].Key);
                Assert.Equal(values[i], records[i].Value);
            }
        });
    }

    [Fact]
    public void Any_flipped_bit_after_the_crc_field_is_rejected()
    {
        // bytes 21.. (attributes to the end) are covered by the CRC-32C, which detects every single-bit error
        Gen.Select(Gen.Byte.Array[0, 64].List[1, 5], Gen.Int[0, int.MaxValue], Gen.Int[0, 7]).Sample((values, at, bit) =>
        {
            var bytes = Encode(values);
            var index = 21 + at % (bytes.Length - 21);
            bytes[index] ^= (byte)(1 << bit);
            Assert.NotEqual(KafkaErrors.None, RecordBatchReader.Decode(bytes, []));
        });
    }

    [Fact]
    public void Truncated_batches_are_corrupt_not_crashes()
    {
        Gen.Select(Gen.Byte.Array[0, 64].List[1, 5], Gen.Int[0, int.MaxValue]).Sample((values, cut) =>
        {
            var bytes = Encode(values);
            var length = cut % bytes.Length; // strictly shorter than the batch
            if (length == 0) return;
            Assert.Equal(KafkaErrors.CorruptMessage, RecordBatchReader.Decode(bytes.AsSpan(0, length), []));
        });
    }
}
