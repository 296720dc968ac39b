using Tarn.Storage.Segments;
using Tarn.Storage.Tables;

namespace Tarn.Storage.Scans;

/// <summary>A predicate on one column's statistics: false means no row of the chunk can match.</summary>
public interface IStatsPredicate
{
    int ColumnId { get; }

    /// <summary><paramref name="stats"/> is null when the column does not exist in the file (every value is NULL).</summary>
    bool MayMatch(ColumnStats? stats, long rowCount);

    /// <summary>
    /// True only when the statistics prove that every row matches (so the filter need not run on this row group);
    /// false when unsure.
    /// </summary>
    bool MustMatch(ColumnStats? stats, long rowCount) => false;
}

/// <summary>A predicate on partition values: false means no row of the partition can match.</summary>
public interface IPartitionPredicate
{
    bool MayMatch(PartitionKey partition);
}

/// <summary>What to read from a table version.</summary>
public sealed record ScanSpec
{
    public required TableVersion Table { get; init; }

    /// <summary>User column ids to return, in output order.</summary>
    public required IReadOnlyList<int> ColumnIds { get; init; }

    /// <summary>Append the absolute <c>$offset</c> (BIGINT) and then the bucket (INT) after the user columns.</summary>
    public bool IncludeOffsetAndBucket { get; init; }

    /// <summary>
    /// On a primary-key table, return every stored row (the changelog, as streaming readers see it) instead of the
    /// newest live version of each key. Ignored for tables without a primary key.
    /// </summary>
    public bool Changelog { get; init; }

    /// <summary>Append the row kind (TINYINT, <see cref="Tables.RowKind"/> values) as the last column.</summary>
    public bool IncludeRowKind { get; init; }

    /// <summary>Per bucket, the first offset to return (inclusive); null for all.</summary>
    public IReadOnlyList<long>? StartOffsets { get; init; }

    /// <summary>Per bucket, the offset to stop before (exclusive); null for every row of <see cref="Table"/>. Time travel sets it.</summary>
    public IReadOnlyList<long>? EndOffsets { get; init; }

    /// <summary>Read only this bucket.</summary>
    public int? Bucket { get; init; }

    public IPartitionPredicate? PartitionFilter { get; init; }

    /// <summary>Conjunctive statistics predicates used to skip files and row groups.</summary>
    public IReadOnlyList<IStatsPredicate> StatsFilters { get; init; } = [];

    /// <summary>
    /// Read exactly <see cref="Table"/>, not the newest committed version bounded by its offsets: a transaction's
    /// snapshot or its staged (uncommitted) version. The caller keeps that version's files alive (a lease taken at
    /// BEGIN, and the staged files it wrote itself).
    /// </summary>
    public bool ReadAsGiven { get; init; }
}
