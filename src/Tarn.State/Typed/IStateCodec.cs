using System.Buffers;

namespace Tarn.State.Typed;

/// <summary>
/// Converts a typed key or value to and from state bytes. A codec used for keys must be canonical: equal keys must
/// produce equal bytes, since the store compares keys byte by byte. <see cref="Read"/> of malformed bytes throws
/// <see cref="SqlStates.DataCorrupted"/>.
/// </summary>
public interface IStateCodec<T>
{
    void Write(T value, IBufferWriter<byte> output);

    T Read(ReadOnlySpan<byte> data);
}
