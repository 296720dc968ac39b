using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>
/// Picks the encoding with the smallest exact encoded size. Ties go to the encoding that decodes fastest, in the
/// order PLAIN, FOR, DELTA, RLE, DICTIONARY, DECIMAL_SCALED (storage-spec/04-encodings.md [ENC-030]).
/// </summary>
internal static class EncodingChooser
{
    private static readonly ChunkEncoding[] Preference =
    [
        ChunkEncoding.Plain, ChunkEncoding.FrameOfReference, ChunkEncoding.Delta,
        ChunkEncoding.Rle, ChunkEncoding.Dictionary, ChunkEncoding.DecimalScaled,
    ];

    /// <summary>Sizes indexed by encoding number; negative = not a candidate.</summary>
    public static ChunkEncoding Choose(ReadOnlySpan<long> sizes)
    {
        var best = ChunkEncoding.Plain;
        var bestSize = long.MaxValue;
        foreach (var e in Preference)
        {
            var size = sizes[(int)e];
            if (size >= 0 && size < bestSize)
            {
                best = e;
                bestSize = size;
            }
        }
        if (bestSize == long.MaxValue) throw new InvalidOperationException("no encoding is a candidate");
        return best;
    }

    public const int SizeSlots = 8;
}
