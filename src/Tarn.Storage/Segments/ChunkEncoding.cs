namespace Tarn.Storage.Segments;

/// <summary>
/// How the values of a chunk are encoded (storage-spec/04-encodings.md). The numbers are stored in chunk
/// headers and footers: never renumber.
/// </summary>
public enum ChunkEncoding : byte
{
    /// <summary>Values as they are: fixed-width little-endian, or lengths plus bytes for strings.</summary>
    Plain = 1,
    /// <summary>Runs of equal values: run values plus run lengths.</summary>
    Rle = 2,
    /// <summary>Sorted distinct values plus one bit-packed code per row.</summary>
    Dictionary = 3,
    /// <summary>Frame of reference: the minimum plus bit-packed offsets from it.</summary>
    FrameOfReference = 4,
    /// <summary>The first value plus bit-packed differences between neighbours (minus the smallest difference).</summary>
    Delta = 5,
    /// <summary>Floating-point values that are exact decimals k / 10^e, stored as the integers k.</summary>
    DecimalScaled = 6,
}
