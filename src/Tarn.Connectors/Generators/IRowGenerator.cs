using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Generators;

/// <summary>
/// A seeded generator whose rows are addressed by number (nexmark, datagen): row <c>n</c> is the same whenever and
/// however often it is generated, so a stream can be replayed from a saved row number and batches can be generated in
/// parallel.
/// </summary>
internal interface IRowGenerator
{
    IReadOnlyList<DataType> OutputTypes { get; }

    /// <summary>The seed; a saved position taken with another seed cannot be restored.</summary>
    ulong Seed { get; }

    /// <summary>The wall-clock time (Unix milliseconds) generated times are relative to.</summary>
    long BaseTimeMillis { get; }

    /// <summary>Rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1.</summary>
    ColumnBatch Generate(long first, int count);

    /// <summary>
    /// Makes times relative to <paramref name="baseTimeMillis"/>, as a saved position asks; false when the generator's
    /// base is fixed by the table and differs (replaying would then produce other rows).
    /// </summary>
    bool TryRebase(long baseTimeMillis);
}

/// <summary>How a generator stream is paced and bounded.</summary>
/// <param name="RowsPerSecond">Rows per second of wall-clock time, or null to emit as fast as the job reads.</param>
/// <param name="Limit">Rows in all, or null for an unbounded stream.</param>
/// <param name="KeepAlive">Whether a bounded stream stays open (never finished) after its last row.</param>
internal sealed record GeneratorPacing(double? RowsPerSecond, long? Limit, bool KeepAlive = false);
