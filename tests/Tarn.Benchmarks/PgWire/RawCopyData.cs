using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Tarn.Benchmarks.PgWire;

/// <summary>The benchmark's rows as ready CopyData frames (about 64 KB each), so a raw client measures the server alone.</summary>
internal static class RawCopyData
{
    private const int FrameBytes = 64 * 1024;

    public static List<byte[]> Binary(int rows, int frameBytes = FrameBytes)
    {
        var data = new MemoryStream();
        data.Write([0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
        Span<byte> row = stackalloc byte[2 + 12 + 8 + 12];
        for (var i = 0; i < rows; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(row, 3);
            BinaryPrimitives.WriteInt32BigEndian(row[2..], 8);
            BinaryPrimitives.WriteInt64BigEndian(row[6..], i);
            BinaryPrimitives.WriteInt32BigEndian(row[14..], 4);
            BinaryPrimitives.WriteInt32BigEndian(row[18..], i % 100);
            BinaryPrimitives.WriteInt32BigEndian(row[22..], 8);
            BinaryPrimitives.WriteDoubleBigEndian(row[26..], i * 0.25);
            data.Write(row);
        }
        data.Write([0xFF, 0xFF]);
        return Frames(data.ToArray(), frameBytes);
    }

    public static List<byte[]> Text(int rows)
    {
        var text = new StringBuilder();
        for (var i = 0; i < rows; i++)
            text.Append(i).Append('\t').Append(i % 100).Append('\t').Append((i * 0.25).ToString(CultureInfo.InvariantCulture)).Append('\n');
        return Frames(Encoding.UTF8.GetBytes(text.ToString()), FrameBytes);
    }

    /// <summary>Cuts the stream into CopyData messages anywhere (rows may straddle two messages, as clients send them).</summary>
    private static List<byte[]> Frames(byte[] data, int frameBytes)
    {
        var frames = new List<byte[]>();
        for (var at = 0; at < data.Length; at += frameBytes)
        {
            var n = Math.Min(frameBytes, data.Length - at);
            var frame = new byte[5 + n];
            frame[0] = (byte)'d';
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), 4 + n);
            data.AsSpan(at, n).CopyTo(frame.AsSpan(5));
            frames.Add(frame);
        }
        return frames;
    }
}
