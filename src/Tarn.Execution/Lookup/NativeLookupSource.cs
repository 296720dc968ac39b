using Tarn.Execution.Lowering;
using Tarn.Execution.Streaming;
using Tarn.Planner.Logical;
using Tarn.Storage.Engine;
using Tarn.Storage.Format;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Lookup;

/// <summary>
/// A native table as a lookup source: the dimension's rows indexed by key, kept current with the table. The index is
/// built once by running the dimension's plan (its scan and computed columns) in batch; after that, a commit to the
/// table is applied incrementally: its changelog entries since the index was last brought up to date run through the
/// plan's projections and filters and upsert (+I/+U) or remove (-U/-D) their key. A full rebuild happens only when
/// the changelog cannot tell what changed (INSERT OVERWRITE, an expired snapshot, a schema change) or when applied
/// changes have piled up to twice the index (the index holds the batches its rows point into).
/// Lookups between commits cost one dictionary probe per key and always see the current rows.
/// </summary>
public sealed class NativeLookupSource : ILookupSource
{
    private readonly StorageEngine _storage;
    private readonly long _tableId;
    private readonly LogicalPlan _dim;
    private readonly IReadOnlyList<int> _keyColumns;
    private readonly ExecutionContext _context;
    private readonly LogicalScan? _scan;
    private readonly IChangeConsumer? _changes;
    private readonly ByteWriter _scratch = new(64);
    private Dictionary<byte[], LookupRow[]> _index = [];
    private TableVersion? _version;
    private TableLayout? _layout;
    private long _snapshotId;
    private long[] _offsets = [];
    private long _appliedRows;

    public NativeLookupSource(StorageEngine storage, long tableId, LogicalPlan dim, IReadOnlyList<int> keyColumns, ExecutionContext context)
    {
        _storage = storage;
        _tableId = tableId;
        _dim = dim;
        _keyColumns = keyColumns;
        _context = context;
        RowTypes = [.. dim.Output.Select(c => c.Type)];
        (_scan, _changes) = ChangePipeline(dim, new IndexApplier(this));
    }

    public IReadOnlyList<DataType> RowTypes { get; }

    public IReadOnlyList<int> KeyColumns => _keyColumns;

    /// <summary>How many times the whole table was read (the first lookup, then only when changes cannot be applied).</summary>
    public int Loads { get; private set; }

    /// <summary>How many commits were applied to the index from the table's changelog.</summary>
    public int IncrementalRefreshes { get; private set; }

    public void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results)
    {
        var current = _storage.GetTable(_tableId)
            ?? throw new TarnException(SqlStates.UndefinedTable, $"the lookup table of a lookup join (id {_tableId}) was dropped");
        if (!ReferenceEquals(current, _version)) Refresh(current);
        for (var i = 0; i < encodedKeys.Count; i++)
            results[i] = _index.TryGetValue(encodedKeys[i], out var rows) ? rows : [];
    }

    private void Refresh(TableVersion current)
    {
        if (_version is not null && _changes is not null && ReferenceEquals(current.Layout, _layout)
            // An overwrite drops every older snapshot, so a retained snapshot no newer than the one the index was brought
            // up to proves there was none since. (Thinning may have removed that very snapshot; expiry only makes this
            // check fail, which costs a full rebuild and nothing else.)
            && _snapshotId > 0 && current.Snapshots.Count > 0 && current.Snapshots[0].SnapshotId <= _snapshotId)
        {
            var reader = new StreamingReader(_storage, _tableId, StreamStart.AtOffsets(_offsets), _scan!.ColumnIds);
            var seen = _storage.GetTable(_tableId) ?? current;
            while (reader.TryRead() is { } batch)
            {
                var user = new ColumnVector[_scan.ColumnIds.Count];
                Array.Copy(batch.Rows.Columns, user, user.Length);
                _changes.Push(new ChangeBatch(new ColumnBatch(user, batch.Rows.RowCount), batch.Kinds));
                _appliedRows += batch.Rows.RowCount;
            }
            _changes.Flush();
            // Reading past `seen` is harmless: applying a key's changes again in order ends in the same state.
            _offsets = [.. reader.Positions];
            _snapshotId = seen.LastSnapshotId;
            _version = current;
            IncrementalRefreshes++;
            if (_appliedRows <= Math.Max(65536, 2L * _index.Count)) return;
        }
        Rebuild();
    }

    /// <summary>Reads the whole dimension, remembering where its changelog stood before (changes after that are applied later).</summary>
    private void Rebuild()
    {
        var before = _storage.GetTable(_tableId)
            ?? throw new TarnException(SqlStates.UndefinedTable, $"the lookup table of a lookup join (id {_tableId}) was dropped");
        _index = LookupKeyCodec.Index(ScanAll(), _keyColumns);
        _version = before;
        _layout = before.Layout;
        _snapshotId = before.LastSnapshotId;
        _offsets = [.. before.NextOffsets];
        _appliedRows = 0;
    }

    public IEnumerable<ColumnBatch> ScanAll()
    {
        Loads++;
        var batches = new List<ColumnBatch>();
        using var planner = new BatchPlanner(_storage, _context);
        using var op = planner.Lower(_dim);
        while (op.Next() is { } batch)
            if (batch.RowCount > 0) batches.Add(batch);
        return batches;
    }

    public void Dispose() { }

    /// <summary>
    /// The scan at the bottom of <paramref name="dim"/> and the streaming operators of the projections and filters
    /// above it, feeding <paramref name="applier"/>; (null, null) when the plan has other nodes (or reads an older
    /// version), so every commit rebuilds the index.
    /// </summary>
    private (LogicalScan?, IChangeConsumer?) ChangePipeline(LogicalPlan dim, IChangeConsumer applier)
    {
        var chain = new List<LogicalPlan>();
        var node = dim;
        while (node is LogicalProject or LogicalFilter)
        {
            chain.Add(node);
            node = node.Inputs[0];
        }
        if (node is not LogicalScan { Version: ScanVersion.LatestVersion } scan) return (null, null);
        var consumer = applier;
        foreach (var n in chain)
        {
            consumer = n switch
            {
                LogicalProject p => new Streaming.Operators.StreamProject(p.Expressions, _context, consumer),
                LogicalFilter f => new Streaming.Operators.StreamFilter(f.Predicate, _context, consumer),
                _ => consumer,
            };
        }
        return (scan, consumer);
    }

    /// <summary>Applies changes of dimension rows to the index: +I/+U set the key's row, -U/-D remove it (a primary key has one row).</summary>
    private sealed class IndexApplier(NativeLookupSource owner) : IChangeConsumer
    {
        public void Push(ChangeBatch batch)
        {
            var index = owner._index;
            var lookup = index.GetAlternateLookup<ReadOnlySpan<byte>>();
            var w = owner._scratch;
            for (var r = 0; r < batch.RowCount; r++)
            {
                if (!LookupKeyCodec.TryWrite(w, batch.Rows, owner._keyColumns, r)) continue;
                var kind = batch.KindOf(r);
                if (kind is RowKind.Insert or RowKind.UpdateAfter)
                {
                    if (lookup.ContainsKey(w.WrittenSpan)) lookup[w.WrittenSpan] = [new LookupRow(batch.Rows, r)];
                    else index[w.WrittenSpan.ToArray()] = [new LookupRow(batch.Rows, r)];
                }
                else
                {
                    lookup.Remove(w.WrittenSpan);
                }
            }
        }

        public void Watermark(long watermark) { }
        public void Flush() { }
        public void Finish() { }
    }
}
