using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Storage.Log;

/// <summary>One change inside a commit record. A record's operations take effect together or not at all.</summary>
public abstract record LogOp;

/// <summary>Creates the storage of a new table.</summary>
public sealed record CreateTableOp(TableLayout Layout) : LogOp;

/// <summary>Drops a table; its files are deleted once no reader uses them.</summary>
public sealed record DropTableOp(long TableId) : LogOp;

/// <summary>Replaces a table's schema (ALTER TABLE ADD COLUMN: existing files are read with the new column NULL).</summary>
public sealed record AlterSchemaOp(long TableId, Schema Schema) : LogOp;

/// <summary>
/// Appends <see cref="RowCount"/> rows to one bucket. The rows are spread over <see cref="Parts"/> (inline images
/// and/or segment files written before the commit); their <c>$offset</c> values are relative to
/// <see cref="BaseOffset"/>, which the committer assigns (the bucket's next offset) when it orders the commit.
/// </summary>
public sealed record AppendOp(long TableId, int Bucket, long RowCount, IReadOnlyList<AppendPart> Parts, long BaseOffset = -1) : LogOp;

public abstract record AppendPart;

/// <summary>A small batch stored inside the log record as a segment image.</summary>
public sealed record InlineAppendPart(ReadOnlyMemory<byte> Image) : AppendPart;

/// <summary>A segment file written and synced before the commit.</summary>
public sealed record FileAppendPart(long SegmentId, PartitionKey Partition, long RowCount, long MinRelativeOffset, long MaxRelativeOffset, long FileLength) : AppendPart;

/// <summary>
/// Replaces physical storage without changing the rows (flush of inline parts, compaction of small files):
/// <see cref="Added"/> segments hold exactly the rows of the removed segments and inline ranges.
/// </summary>
public sealed record ReplaceOp(long TableId, IReadOnlyList<SegmentEntry> Added, IReadOnlyList<long> RemovedSegmentIds, IReadOnlyList<InlineRange> RemovedInline) : LogOp;

/// <summary>Identifies the inline part of a bucket starting at <see cref="BaseOffset"/>.</summary>
public sealed record InlineRange(int Bucket, long BaseOffset);

/// <summary>The whole catalog (names, options, views), serialized by the catalog layer. The newest one wins.</summary>
public sealed record CatalogOp(ReadOnlyMemory<byte> Image) : LogOp;

/// <summary>Registers, moves or (with null offsets) removes a named durable reader of a table.</summary>
public sealed record ConsumerOp(long TableId, string Name, long[]? Offsets) : LogOp;

/// <summary>
/// Records a streaming job's progress (or, with a null <see cref="Progress"/>, forgets the job). The payload is opaque to
/// storage: the job layer keeps in it its epoch, source positions and state checkpoint. Committed in the same record as
/// the job's output, so output and progress can never disagree (LOG-008).
/// </summary>
public sealed record JobProgressOp(string JobId, ReadOnlyMemory<byte>? Progress) : LogOp;

/// <summary>A commit as written to the log.</summary>
public sealed record LogRecord(long Seq, long TimestampMicros, IReadOnlyList<LogOp> Ops);
