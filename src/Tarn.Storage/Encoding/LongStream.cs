using System.Numerics;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>Decodes an integer stream written by <see cref="LongStreamEncoder"/> into integers of any width (truncating).</summary>
internal static class LongStream
{
    public static ChunkEncoding Read<T>(ref PayloadReader reader, Span<T> destination, EncodingSet allowed)
        where T : unmanaged, IBinaryInteger<T>
    {
        var encoding = ReadEncoding(ref reader, allowed);
        ReadBody(ref reader, encoding, destination);
        return encoding;
    }

    public static ChunkEncoding ReadEncoding(ref PayloadReader reader, EncodingSet allowed)
    {
        var encoding = (ChunkEncoding)reader.ReadByte();
        if (!allowed.Has(encoding)) reader.Fail($"encoding {(int)encoding} is not valid here");
        return encoding;
    }

    public static void ReadBody<T>(ref PayloadReader reader, ChunkEncoding encoding, Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        switch (encoding)
        {
            case ChunkEncoding.Plain: PlainEncoding.Read(ref reader, destination); break;
            case ChunkEncoding.FrameOfReference: ForEncoding.Read(ref reader, destination); break;
            case ChunkEncoding.Delta: DeltaEncoding.Read(ref reader, destination); break;
            case ChunkEncoding.Rle: RleEncoding.Read(ref reader, destination); break;
            case ChunkEncoding.Dictionary: DictionaryEncoding.Read(ref reader, destination); break;
            default: reader.Fail($"encoding {encoding} is not an integer stream encoding"); break;
        }
    }
}
