using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using K4os.Compression.LZ4.Streams;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Tarn.Server.Kafka;

/// <summary>
/// Inflates the records section of a compressed RecordBatch (attributes bits 0-2: 1 gzip, 2 snappy, 3 lz4, 4 zstd).
/// Every codec is bounded by a <see cref="DecompressionBudget"/>: streams are read chunk by chunk and abandoned the moment
/// the output would pass the budget, snappy's declared lengths are checked before anything is allocated, and zstd's
/// window is capped so a frame header cannot ask for a bigger buffer than the budget.
/// </summary>
internal static class RecordDecompressor
{
    /// <summary>The bound when the caller has none (the default MaxMessageBytes).</summary>
    public const int DefaultMaxBytes = 64 << 20;

    private const int ChunkBytes = 64 << 10;

    /// <summary>Returns the inflated bytes, or null with <paramref name="error"/> set.</summary>
    public static byte[]? Decompress(int codec, ReadOnlySpan<byte> data, out short error) =>
        Decompress(codec, data, new DecompressionBudget(DefaultMaxBytes), out error);

    /// <summary>Returns the inflated bytes (charged to <paramref name="budget"/>), or null with <paramref name="error"/> set.</summary>
    public static byte[]? Decompress(int codec, ReadOnlySpan<byte> data, DecompressionBudget budget, out short error)
    {
        error = KafkaErrors.None;
        try
        {
            var result = codec switch
            {
                1 => FromStream(new GZipStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress), budget),
                2 => Snappy(data, budget),
                3 => FromStream(LZ4Stream.Decode(new MemoryStream(data.ToArray())), budget),
                4 => FromStream(Zstd(data, budget), budget),
                _ => null,
            };
            if (result is null) error = KafkaErrors.UnsupportedCompressionType;
            else budget.Metrics?.CompressedBatch(codec);
            return result;
        }
        catch (DecompressionLimitException)
        {
            error = KafkaErrors.RecordListTooLarge;
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever a decoder throws on hostile input (InvalidData, EndOfStream, ZstdException, ArgumentOutOfRange,
            // IndexOutOfRange from a bad back-reference...) means the batch is corrupt, never that the server is.
            error = KafkaErrors.CorruptMessage;
            return null;
        }
    }

    private static DecompressionStream Zstd(ReadOnlySpan<byte> data, DecompressionBudget budget)
    {
        var stream = new DecompressionStream(new MemoryStream(data.ToArray()), leaveOpen: false);
        // The window is the decoder's buffer: never allow one larger than what we may inflate (2^20..2^27).
        var log = Math.Clamp(64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, budget.Remaining - 1)), 20, 27);
        stream.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, log);
        return stream;
    }

    /// <summary>Reads at most the budget (plus one byte to detect the overflow) in fixed chunks.</summary>
    private static byte[] FromStream(Stream stream, DecompressionBudget budget)
    {
        using (stream)
        {
            var output = new MemoryStream();
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            try
            {
                while (true)
                {
                    var want = (int)Math.Min(ChunkBytes, budget.Remaining + 1);
                    var n = stream.Read(buffer, 0, want);
                    if (n <= 0) break;
                    budget.Take(n);
                    output.Write(buffer, 0, n);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return output.ToArray();
        }
    }

    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    /// <summary>The xerial header: magic, then big-endian version and compatible-version ints.</summary>
    private const int XerialHeaderBytes = 16;

    /// <summary>librdkafka sends one raw snappy block; Java clients and kafka-python the xerial framing (magic, version, compat, [len, block]*).</summary>
    private static byte[] Snappy(ReadOnlySpan<byte> data, DecompressionBudget budget)
    {
        if (!data.StartsWith(XerialMagic)) return SnappyBlock(data, budget);
        if (data.Length < XerialHeaderBytes) throw new InvalidDataException("truncated xerial snappy header");
        var output = new MemoryStream();
        var rest = data[XerialHeaderBytes..];
        while (rest.Length > 0)
        {
            if (rest.Length < 4) throw new InvalidDataException("truncated xerial snappy block");
            var len = BinaryPrimitives.ReadInt32BigEndian(rest);
            if (len < 0 || len > rest.Length - 4) throw new InvalidDataException("bad xerial snappy block length");
            output.Write(SnappyBlock(rest.Slice(4, len), budget));
            rest = rest[(4 + len)..];
        }
        return output.ToArray();
    }

    /// <summary>A raw block starts with its uncompressed length: charged before the output is allocated.</summary>
    private static byte[] SnappyBlock(ReadOnlySpan<byte> block, DecompressionBudget budget)
    {
        var length = Snappier.Snappy.GetUncompressedLength(block);
        budget.Take(length);
        var output = new byte[length];
        var written = Snappier.Snappy.Decompress(block, output);
        if (written != length) throw new InvalidDataException("snappy length mismatch");
        return output;
    }
}
