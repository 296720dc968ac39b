namespace Tarn.Storage.Segments;

/// <summary>
/// Statistics of one column in one chunk, or merged over a segment (storage-spec/03-segment-file.md, "Statistics").
/// Bounds never exclude a stored non-NULL value, so pruning on them is safe:
/// <list type="bullet">
/// <item>Integers, booleans, dates, times, timestamps and decimals (unscaled): <see cref="MinInt"/>/<see cref="MaxInt"/>, exact.</item>
/// <item>FLOAT/DOUBLE: <see cref="MinFloat"/>/<see cref="MaxFloat"/>, exact, in IEEE total order (-0.0 below +0.0).
/// When a NaN is stored, <see cref="HasNaN"/> is set and there are no bounds at all (<see cref="HasMinMax"/> false).</item>
/// <item>Strings/bytes: <see cref="MinBytes"/> is the smallest value, or its first 256 bytes when longer
/// (<see cref="MinBytesTruncated"/>; still a lower bound); <see cref="MaxBytes"/> is the largest value, or null when
/// that is longer than 256 bytes (no upper bound). Order is unsigned byte order (UTF-8 code point order).</item>
/// </list>
/// </summary>
public sealed class ColumnStats
{
    public static readonly ColumnStats Empty = new();

    public long NullCount { get; init; }

    /// <summary>Distinct non-NULL values: exact when <see cref="DistinctIsExact"/>, else a HyperLogLog estimate (±5%).</summary>
    public long DistinctEstimate { get; init; }

    public bool DistinctIsExact { get; init; }

    /// <summary>Both bounds are known (for strings: <see cref="MinBytes"/> and <see cref="MaxBytes"/> are non-null).</summary>
    public bool HasMinMax { get; init; }

    public Int128 MinInt { get; init; }
    public Int128 MaxInt { get; init; }
    public double MinFloat { get; init; }
    public double MaxFloat { get; init; }
    public byte[]? MinBytes { get; init; }
    public byte[]? MaxBytes { get; init; }
    public bool MinBytesTruncated { get; init; }
    public bool HasNaN { get; init; }

    public override string ToString()
    {
        var bounds = !HasMinMax && MinBytes is null ? "no bounds"
            : MinBytes is not null || MaxBytes is not null ? $"[{Show(MinBytes)}{(MinBytesTruncated ? "…" : "")}, {Show(MaxBytes)}]"
            : MinFloat != 0 || MaxFloat != 0 ? $"[{MinFloat}, {MaxFloat}]" : $"[{MinInt}, {MaxInt}]";
        return $"nulls={NullCount} distinct{(DistinctIsExact ? "=" : "≈")}{DistinctEstimate} {bounds}{(HasNaN ? " NaN" : "")}";
    }

    private static string Show(byte[]? b) => b is null ? "?" : Convert.ToHexString(b);
}
