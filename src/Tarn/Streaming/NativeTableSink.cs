using Tarn.Execution.Streaming;
using Tarn.Storage.Changelog;
using Tarn.Storage.Engine;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Streaming;

/// <summary>
/// Writes a job's output into a native table. Rows are buffered for the current epoch and handed to the job's commit
/// as append operations, so they become visible together with the job's progress record, never without it.
/// A table without a primary key accepts inserts only (checked at planning). A primary-key table receives the
/// changes through an <see cref="UpsertWriter"/>: it looks up each key's current row and stores the table's full
/// changelog merged by its merge engine (storage-spec DB-054..058), exactly as an INSERT/UPDATE/DELETE would.
/// </summary>
internal sealed class NativeTableSink : IJobSink
{
    private readonly StorageEngine _storage;
    private readonly long _tableId;
    private readonly MergeOptions? _merge;
    private readonly List<ColumnBatch> _appends = [];
    private UpsertWriter? _writer;

    public NativeTableSink(StorageEngine storage, Catalog.Model.TableDef table)
    {
        _storage = storage;
        _tableId = table.TableId;
        if (table.PrimaryKey.Count > 0)
        {
            var layout = Table().Layout;
            _merge = MergeOptions.Parse(layout, table.Options);
        }
    }

    public long PendingRows { get; private set; }

    public long? LockedTable => _merge is null ? null : _tableId;

    private TableVersion Table() =>
        _storage.GetTable(_tableId) ?? throw new TarnException(SqlStates.UndefinedTable, "the sink table of the job was dropped");

    public void Push(ChangeBatch batch)
    {
        if (batch.RowCount == 0) return;
        PendingRows += batch.RowCount;
        if (_merge is null)
        {
            _appends.Add(batch.Rows);
            return;
        }
        _writer ??= new UpsertWriter(Table().Layout, _merge);
        if (batch.Kinds is null) _writer.Add(batch.Rows, RowKind.Insert);
        else _writer.Add(batch.Rows, batch.Kinds);
    }

    public void Watermark(long watermark) { }

    public void Flush() { }

    public void Finish() { }

    public SinkCommit Prepare()
    {
        if (PendingRows == 0) return new([], null, null);
        var table = Table();
        var builder = new AppendBuilder(_storage, table);
        try
        {
            if (_writer is null)
            {
                foreach (var rows in _appends) builder.Add(rows);
                return new(builder.Finish(), builder, null);
            }
            if (!ReferenceEquals(table.Layout, _writer.Layout))
                throw new TarnException(SqlStates.ObjectNotInPrerequisiteState, "the sink table of the job was altered; restart the job");
            _writer.WriteTo(_storage, table, readAsGiven: false, builder);
            return new(builder.Finish(), builder, UnchangedSince(table));
        }
        catch
        {
            builder.Abandon();
            builder.Dispose();
            throw;
        }
    }

    public void Committed()
    {
        _appends.Clear();
        _writer = null;
        PendingRows = 0;
    }

    /// <summary>The commit fails (40001) if another writer appended to the table after the keys were looked up.</summary>
    private static Func<StorageState, string?> UnchangedSince(TableVersion read) => state =>
    {
        if (!state.Tables.TryGetValue(read.TableId, out var now)) return "the sink table was dropped";
        return now.NextOffsets.SequenceEqual(read.NextOffsets) ? null : "the sink table was written concurrently";
    };
}
