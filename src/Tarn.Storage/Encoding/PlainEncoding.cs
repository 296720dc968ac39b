using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>PLAIN integer stream: n little-endian values of the stream's natural width (1, 2, 4 or 8 bytes).</summary>
internal static class PlainEncoding
{
    public static long Size(int count, int valueBytes) => 1 + (long)count * valueBytes;

    public static void Write(ReadOnlySpan<long> values, int valueBytes, EncodeBuffer output)
    {
        output.WriteByte((byte)ChunkEncoding.Plain);
        var span = output.Reserve((long)values.Length * valueBytes);
        switch (valueBytes)
        {
            case 1:
                for (var i = 0; i < values.Length; i++) span[i] = (byte)values[i];
                break;
            case 2:
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(span[(2 * i)..], (short)values[i]);
                break;
            case 4:
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(span[(4 * i)..], (int)values[i]);
                break;
            case 8:
                MemoryMarshal.AsBytes(values).CopyTo(span);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(valueBytes));
        }
    }

    /// <summary>Reads the body (after the encoding byte); the value width is the size of <typeparamref name="T"/>.</summary>
    public static unsafe void Read<T>(ref PayloadReader reader, Span<T> destination) where T : unmanaged
    {
        var bytes = reader.ReadBytes((long)destination.Length * sizeof(T));
        bytes.CopyTo(MemoryMarshal.AsBytes(destination));
    }
}
