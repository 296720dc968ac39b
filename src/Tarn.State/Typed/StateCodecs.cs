using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tarn.State.Typed;

/// <summary>Built-in codecs. All are canonical, so all may be used for keys.</summary>
public static class StateCodecs
{
    /// <summary>8 bytes little-endian.</summary>
    public static IStateCodec<long> Int64 { get; } = new Int64Codec();

    /// <summary>4 bytes little-endian.</summary>
    public static IStateCodec<int> Int32 { get; } = new Int32Codec();

    /// <summary>UTF-8 without terminator or length (the record knows its length).</summary>
    public static IStateCodec<string> String { get; } = new StringCodec();

    /// <summary>The bytes themselves.</summary>
    public static IStateCodec<byte[]> Bytes { get; } = new BytesCodec();

    private sealed class Int64Codec : IStateCodec<long>
    {
        public void Write(long value, IBufferWriter<byte> output)
        {
            BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
            output.Advance(8);
        }

        public long Read(ReadOnlySpan<byte> data) =>
            data.Length == 8 ? BinaryPrimitives.ReadInt64LittleEndian(data) : ThrowHelper.Corrupt<long>(null, $"state value of {data.Length} bytes is not a BIGINT (8 bytes)");
    }

    private sealed class Int32Codec : IStateCodec<int>
    {
        public void Write(int value, IBufferWriter<byte> output)
        {
            BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
            output.Advance(4);
        }

        public int Read(ReadOnlySpan<byte> data) =>
            data.Length == 4 ? BinaryPrimitives.ReadInt32LittleEndian(data) : ThrowHelper.Corrupt<int>(null, $"state value of {data.Length} bytes is not an INTEGER (4 bytes)");
    }

    private sealed class StringCodec : IStateCodec<string>
    {
        private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public void Write(string value, IBufferWriter<byte> output)
        {
            int written;
            try
            {
                written = Strict.GetBytes(value, output.GetSpan(Strict.GetMaxByteCount(value.Length)));
            }
            catch (EncoderFallbackException ex)
            {
                throw new TarnException(SqlStates.InvalidParameterValue, "string with an unpaired surrogate cannot be stored as state", ex);
            }
            output.Advance(written);
        }

        public string Read(ReadOnlySpan<byte> data)
        {
            try
            {
                return Strict.GetString(data);
            }
            catch (DecoderFallbackException ex)
            {
                throw new TarnException(SqlStates.DataCorrupted, "data corruption: state value is not valid UTF-8", ex);
            }
        }
    }

    private sealed class BytesCodec : IStateCodec<byte[]>
    {
        public void Write(byte[] value, IBufferWriter<byte> output) => output.Write(value);

        public byte[] Read(ReadOnlySpan<byte> data) => data.ToArray();
    }
}
