using Tarn.Storage.Segments;
using Tarn.Types;

namespace Tarn.Storage.Encodings;

/// <summary>A set of <see cref="ChunkEncoding"/>s: the candidates a value stream may use.</summary>
[Flags]
internal enum EncodingSet
{
    None = 0,
    Plain = 1 << ChunkEncoding.Plain,
    Rle = 1 << ChunkEncoding.Rle,
    Dictionary = 1 << ChunkEncoding.Dictionary,
    FrameOfReference = 1 << ChunkEncoding.FrameOfReference,
    Delta = 1 << ChunkEncoding.Delta,
    DecimalScaled = 1 << ChunkEncoding.DecimalScaled,

    /// <summary>Integers of 8 to 64 bits.</summary>
    Integers = Plain | Rle | Dictionary | FrameOfReference | Delta,
    /// <summary>What writers use for lengths and codes inside string chunks (readers accept all of <see cref="Integers"/>).</summary>
    NestedIntegers = Plain | Rle | FrameOfReference | Delta,
    /// <summary>Booleans and null masks (0/1 values).</summary>
    Bits = Plain | FrameOfReference | Rle,
    /// <summary>IEEE bit patterns of floats (the long-stream part of a float chunk).</summary>
    FloatBits = Plain | Rle | Dictionary,
    Int128s = Plain | Rle | Dictionary | FrameOfReference,
    Floats = FloatBits | DecimalScaled,
    Binary = Plain | Dictionary,
}

internal static class EncodingSetExtensions
{
    public static bool Has(this EncodingSet set, ChunkEncoding encoding) =>
        (int)encoding is > 0 and < 31 && ((int)set & (1 << (int)encoding)) != 0;
}

internal static class AllowedEncodings
{
    /// <summary>The encodings a chunk of <paramref name="physical"/> values may use (storage-spec/04-encodings.md).</summary>
    public static EncodingSet For(PhysicalType physical) => physical switch
    {
        PhysicalType.Bool => EncodingSet.Bits,
        PhysicalType.Int128 => EncodingSet.Int128s,
        PhysicalType.Float32 or PhysicalType.Float64 => EncodingSet.Floats,
        PhysicalType.Binary => EncodingSet.Binary,
        _ => EncodingSet.Integers,
    };
}
