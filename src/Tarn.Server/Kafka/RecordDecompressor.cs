using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4;
using ZstdSharp;

namespace Tarn.Server.Kafka;

/// <summary>
/// Inflates the records section of a compressed RecordBatch (attributes bits 0-2: 1 gzip, 2 snappy, 3 lz4, 4 zstd).
/// Output is capped at <see cref="MaxBytes"/> so a decompression bomb is refused instead of filling memory.
/// </summary>
internal static class RecordDecompressor
{
    public const int MaxBytes = 64 << 20;

    /// <summary>Returns the inflated bytes, or null with <paramref name="error"/> set.</summary>
    public static byte[]? Decompress(int codec, ReadOnlySpan<byte> data, out short error)
    {
        error = KafkaErrors.None;
        try
        {
            var result = codec switch
            {
                1 => FromStream(new GZipStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress)),
                2 => Snappy(data),
                3 => Lz4Frame(data),
                4 => FromStream(new DecompressionStream(new MemoryStream(data.ToArray()))),
                _ => null,
            };
            if (result is null) error = KafkaErrors.UnsupportedCompressionType;
            return result;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or ArgumentException or ZstdException or KafkaProtocolException)
        {
            error = KafkaErrors.CorruptMessage;
            return null;
        }
    }

    private static byte[] FromStream(Stream stream)
    {
        using (stream)
        {
            var output = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + n > MaxBytes) throw new InvalidDataException("decompressed batch too large");
                output.Write(buffer, 0, n);
            }
            return output.ToArray();
        }
    }

    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    /// <summary>librdkafka sends one raw snappy block; Java clients and kafka-python the xerial framing (magic, version, compat, [len, block]*).</summary>
    private static byte[] Snappy(ReadOnlySpan<byte> data)
    {
        if (!data.StartsWith(XerialMagic)) return SnappyBlock(data, 0);
        var output = new MemoryStream();
        var rest = data[16..];
        while (rest.Length > 0)
        {
            if (rest.Length < 4) throw new InvalidDataException("truncated xerial snappy block");
            var len = BinaryPrimitives.ReadInt32BigEndian(rest);
            if (len < 0 || len > rest.Length - 4) throw new InvalidDataException("bad xerial snappy block length");
            var block = SnappyBlock(rest.Slice(4, len), output.Length);
            output.Write(block);
            rest = rest[(4 + len)..];
        }
        return output.ToArray();
    }

    private static byte[] SnappyBlock(ReadOnlySpan<byte> block, long already)
    {
        var length = Snappier.Snappy.GetUncompressedLength(block);
        if (length < 0 || already + length > MaxBytes) throw new InvalidDataException("decompressed batch too large");
        var output = new byte[length];
        var written = Snappier.Snappy.Decompress(block, output);
        if (written != length) throw new InvalidDataException("snappy length mismatch");
        return output;
    }

    /// <summary>The LZ4 frame format (as librdkafka writes it: independent blocks); linked blocks are not supported yet.</summary>
    private static byte[] Lz4Frame(ReadOnlySpan<byte> data)
    {
        var r = new KafkaReader(data);
        if (BinaryPrimitives.ReadUInt32LittleEndian(r.Raw(4)) != 0x184D2204) throw new InvalidDataException("not an LZ4 frame");
        var flg = (byte)r.Int8();
        var bd = (byte)r.Int8();
        if ((flg & 0x20) == 0) throw new InvalidOperationException("linked LZ4 blocks are not supported");
        if ((flg & 0x08) != 0) r.Raw(8); // content size
        if ((flg & 0x01) != 0) r.Raw(4); // dictionary id
        r.Raw(1); // header checksum
        var blockMax = ((bd >> 4) & 7) switch { 4 => 64 << 10, 5 => 256 << 10, 6 => 1 << 20, 7 => 4 << 20, _ => throw new InvalidDataException("bad LZ4 block size") };
        var blockChecksum = (flg & 0x10) != 0;
        var output = new MemoryStream();
        var block = new byte[blockMax];
        while (true)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(r.Raw(4));
            if (size == 0) break;
            var raw = (size & 0x80000000) != 0;
            var len = (int)(size & 0x7FFFFFFF);
            if (len > blockMax) throw new InvalidDataException("LZ4 block too large");
            var src = r.Raw(len);
            if (blockChecksum) r.Raw(4);
            if (output.Length + blockMax > MaxBytes) throw new InvalidDataException("decompressed batch too large");
            if (raw)
            {
                output.Write(src);
                continue;
            }
            var n = LZ4Codec.Decode(src, block);
            if (n < 0) throw new InvalidDataException("corrupt LZ4 block");
            output.Write(block, 0, n);
        }
        return output.ToArray();
    }
}
