using Tarn.Catalog.Model;
using Tarn.Internal;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn;

/// <summary>
/// Writes column batches to one native table the way a log producer does (the Kafka endpoint): rows for a chosen
/// bucket, the offsets the commit assigned, and small named metadata entries committed in the SAME durable record as
/// the rows (a producer's sequence state), so after a crash rows and metadata never disagree. Thread-safe.
/// </summary>
public sealed class TarnTableWriter
{
    /// <summary>Metadata keys start with this prefix; the rest of the commit-metadata space belongs to streaming jobs.</summary>
    public const string MetadataPrefix = CommitMetadata.Prefix;

    private readonly DatabaseCore _core;
    private readonly TableDef _table;
    private readonly RowRouter _router;

    private readonly Catalog.ObjectPath _path;

    internal TarnTableWriter(DatabaseCore core, Catalog.ObjectPath path, TableDef table)
    {
        _core = core;
        _path = path;
        _table = table;
        Schema = table.PhysicalSchema();
        if (Schema.Count != table.Columns.Count)
            throw new TarnException(SqlStates.FeatureNotSupported, $"table '{table.Name}' has computed or metadata columns; write through INSERT instead");
        _layoutAtOpen = Layout;
        _router = new RowRouter(_layoutAtOpen);
    }

    private readonly TableLayout _layoutAtOpen;

    private TableLayout Layout =>
        (_core.Storage.GetTable(_table.TableId) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{_table.Name}' was dropped")).Layout;

    /// <summary>The table's definition when this writer was made (a writer is made again after DDL).</summary>
    public TableDef Table => _table;

    public long TableId => _table.TableId;

    /// <summary>False once the table was altered, dropped or replaced (make a new writer then).</summary>
    public bool IsCurrent => ReferenceEquals(_core.Catalog.FindTable(_path), _table) && ReferenceEquals(_core.Storage.GetTable(_table.TableId)?.Layout, _layoutAtOpen);

    /// <summary>The next offset of every bucket (committed rows).</summary>
    public IReadOnlyList<long> NextOffsets => _core.Storage.GetTable(_table.TableId)?.NextOffsets ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{_table.Name}' was dropped");

    /// <summary>
    /// The table's retained snapshots, oldest first: one per commit, older ones thinned to one per second and expired
    /// after the retention (storage-spec DB-031); each with its commit time and the bucket offsets it ends at.
    /// </summary>
    public IReadOnlyList<SnapshotInfo> RetainedSnapshots => _core.Storage.GetTable(_table.TableId)?.Snapshots ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{_table.Name}' was dropped");

    /// <summary>The stored columns, in order: what <c>AppendAsync</c> expects.</summary>
    public Schema Schema { get; }

    public int BucketCount => _layoutAtOpen.BucketCount;

    /// <summary>Indexes (into <see cref="Schema"/>) of the primary-key columns; empty without a primary key.</summary>
    public int[] PrimaryKeyIndexes => _layoutAtOpen.PrimaryKeyColumnIndexes;

    /// <summary>Indexes of the columns whose hash picks a row's bucket; empty when appends may choose the bucket.</summary>
    public int[] BucketKeyIndexes => _layoutAtOpen.BucketKeyColumnIndexes;

    /// <summary>Each row's bucket by the table's own rule (CRC-32C of the bucket key), for tables with a bucket key.</summary>
    public void RouteBuckets(ColumnBatch rows, Span<int> buckets)
    {
        lock (_router) _router.RouteBuckets(rows, buckets);
    }

    /// <summary>
    /// Appends <paramref name="rows"/> (in <see cref="Schema"/> order) to <paramref name="bucket"/> of a table without a
    /// bucket key, with <paramref name="metadata"/> entries (key, value; null value deletes) in the same durable commit.
    /// Returns the offset the first row got (the rows have consecutive offsets).
    /// </summary>
    public Task<long> AppendAsync(ColumnBatch rows, int bucket, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>?>>? metadata = null) =>
        AppendAsync(rows, bucket, metadata, null);

    /// <summary>
    /// As <see cref="AppendAsync(ColumnBatch, int, IReadOnlyList{KeyValuePair{string, ReadOnlyMemory{byte}?}}?)"/>;
    /// <paramref name="beforeWrite"/> runs on the committer with the base offset the rows are about to get, before the
    /// record is written, so metadata that must name the offset (a producer's last batches) can be completed in place.
    /// </summary>
    public Task<long> AppendAsync(ColumnBatch rows, int bucket, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>?>>? metadata, Action<long>? beforeWrite) =>
        AppendAsync(rows, bucket, metadata, beforeWrite, null);

    /// <summary>
    /// As <see cref="AppendAsync(ColumnBatch, int, IReadOnlyList{KeyValuePair{string, ReadOnlyMemory{byte}?}}?, Action{long}?)"/>;
    /// <paramref name="queued"/> runs once the commit is queued: from then on its place in the commit order is fixed
    /// (commits are written in queue order), so a caller serialising dependent writes (an idempotent producer's sequence
    /// gate) can let the next one in without waiting for this one's fsync. The returned task still completes only once
    /// the rows are durable.
    /// </summary>
    public async Task<long> AppendAsync(ColumnBatch rows, int bucket, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>?>>? metadata, Action<long>? beforeWrite, Action? queued)
    {
        var engine = _core.Storage;
        var table = engine.GetTable(_table.TableId) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{_table.Name}' was dropped");
        if (table.Layout.HasPrimaryKey || table.Layout.BucketKeyColumnIds.Count > 0)
            throw new TarnException(SqlStates.FeatureNotSupported, $"table '{_table.Name}' chooses the bucket of each row by its key");
        if ((uint)bucket >= (uint)table.Layout.BucketCount) throw new TarnException(SqlStates.InvalidParameterValue, $"table '{_table.Name}' has no bucket {bucket}");
        await engine.WaitForInlineSpaceAsync(CancellationToken.None).ConfigureAwait(false);
        using var builder = new AppendBuilder(engine, table) { TargetBucket = bucket };
        builder.Add(rows);
        var ops = new List<LogOp>(builder.Finish());
        AddMetadata(ops, metadata);
        try
        {
            var tableId = _table.TableId;
            Func<Storage.Engine.StorageState, string?>? precondition = beforeWrite is null ? null : state =>
            {
                if (state.Tables.TryGetValue(tableId, out var t)) beforeWrite(t.NextOffsets[bucket]);
                return null;
            };
            var commit = engine.CommitAsync(ops, precondition);
            queued?.Invoke();
            var result = await commit.ConfigureAwait(false);
            return result.State.Tables[_table.TableId].NextOffsets[bucket] - rows.RowCount;
        }
        catch
        {
            builder.Abandon();
            throw;
        }
    }

    /// <summary>Appends rows of a table without a primary key to the buckets its bucket key chooses, with metadata in the same commit.</summary>
    public Task AppendRoutedAsync(ColumnBatch rows, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>?>>? metadata = null) =>
        AppendRoutedAsync(rows, metadata, null);

    /// <summary>
    /// As <see cref="AppendRoutedAsync(ColumnBatch, IReadOnlyList{KeyValuePair{string, ReadOnlyMemory{byte}?}}?)"/>;
    /// <paramref name="beforeWrite"/> runs on the committer with the next offset of every bucket just before the record
    /// is written: where the rows routed to each bucket start.
    /// </summary>
    public async Task AppendRoutedAsync(ColumnBatch rows, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>?>>? metadata, Action<IReadOnlyList<long>>? beforeWrite)
    {
        var engine = _core.Storage;
        var table = engine.GetTable(_table.TableId) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{_table.Name}' was dropped");
        if (table.Layout.HasPrimaryKey) throw new TarnException(SqlStates.FeatureNotSupported, $"table '{_table.Name}' has a primary key; use UpsertAsync");
        await engine.WaitForInlineSpaceAsync(CancellationToken.None).ConfigureAwait(false);
        using var builder = new AppendBuilder(engine, table);
        builder.Add(rows);
        var ops = new List<LogOp>(builder.Finish());
        AddMetadata(ops, metadata);
        try
        {
            var tableId = _table.TableId;
            Func<Storage.Engine.StorageState, string?>? precondition = beforeWrite is null ? null : state =>
            {
                if (state.Tables.TryGetValue(tableId, out var t)) beforeWrite(t.NextOffsets);
                return null;
            };
            await engine.CommitAsync(ops, precondition).ConfigureAwait(false);
        }
        catch
        {
            builder.Abandon();
            throw;
        }
    }

    /// <summary>
    /// Upserts (kind 0 = +I) or deletes (kind 3 = -D, by the row's key) rows of a primary-key table by its merge engine,
    /// with <paramref name="metadata"/> in the same durable commit. Rows go to the buckets their keys hash to.
    /// </summary>
    public Task UpsertAsync(ColumnBatch rows, sbyte[] kinds, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>?>>? metadata = null) =>
        UpsertAsync(rows, kinds, metadata, null);

    /// <summary>
    /// As <see cref="UpsertAsync(ColumnBatch, sbyte[], IReadOnlyList{KeyValuePair{string, ReadOnlyMemory{byte}?}}?)"/>;
    /// <paramref name="beforeWrite"/> gets, before the commit is attempted (again on a retry), the next offset of every
    /// bucket: where this commit's changelog rows start in each bucket if it succeeds.
    /// </summary>
    public async Task UpsertAsync(ColumnBatch rows, sbyte[] kinds, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>?>>? metadata, Action<IReadOnlyList<long>>? beforeWrite)
    {
        if (!Layout.HasPrimaryKey) throw new TarnException(SqlStates.FeatureNotSupported, $"table '{_table.Name}' has no primary key");
        var extra = new List<LogOp>();
        AddMetadata(extra, metadata);
        await StatementRunner.CommitChangesAsync(_core.Storage, _table, rows, kinds, extra, beforeWrite).ConfigureAwait(false);
    }

    private static void AddMetadata(List<LogOp> ops, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>?>>? metadata)
    {
        if (metadata is null) return;
        foreach (var (key, value) in metadata)
        {
            CommitMetadata.CheckKey(key);
            ops.Add(new JobProgressOp(key, value));
        }
    }
}
