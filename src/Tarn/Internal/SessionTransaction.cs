using System.Collections.Immutable;
using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;

namespace Tarn.Internal;

/// <summary>
/// A multi-statement transaction of one session (BEGIN ... COMMIT/ROLLBACK), snapshot isolation. BEGIN pins the
/// committed state (a <see cref="ReadLease"/>, so no file it refers to is deleted meanwhile); statements read that
/// snapshot plus the transaction's own staged writes. A write statement runs as it would outside a transaction
/// (segment files are written and synced, log operations are built) but its operations are held here instead of
/// committed, and the table's pending version (the operations applied to the snapshot, in memory) is what later
/// statements of the transaction read. COMMIT submits every table's operations as ONE log record, provided no other
/// commit changed those tables' rows since the snapshot (else 40001 and the transaction is rolled back). ROLLBACK
/// deletes the staged files; nothing else was ever written, so a crash leaves only unreferenced files, which the
/// next open removes. Catalog DDL is not transactional: it commits at once, also inside a transaction.
/// </summary>
internal sealed class SessionTransaction
{
    private const int CommitAttempts = 16;

    private readonly StorageEngine _storage;
    private readonly object _gate = new();
    private readonly List<ReadLease> _leases = [];
    private readonly StorageState _begin;
    private readonly Dictionary<long, TableVersion> _pinned = [];

    /// <summary>
    /// The version each table was first pinned at. Conflicts are checked against it, not against a version
    /// <see cref="Refreshed"/> moved to later: every commit since the transaction first read the table counts.
    /// </summary>
    private readonly Dictionary<long, TableVersion> _firstPinned = [];
    private readonly Dictionary<long, TableStage> _stages = [];
    private bool _closed;

    /// <summary>What the transaction did to one table.</summary>
    private sealed class TableStage(TableVersion @base)
    {
        /// <summary>The table as the transaction first read it (the committed rows it builds on).</summary>
        public TableVersion Base { get; } = @base;

        /// <summary>What COMMIT checks for concurrent changes: the table as the transaction first pinned it.</summary>
        public required TableVersion ConflictBase { get; init; }

        /// <summary>The base plus the staged operations: what the transaction's statements read.</summary>
        public TableVersion Pending { get; set; } = @base;

        /// <summary>The staged operations remove every row of the base first (TRUNCATE, copy-on-write UPDATE/DELETE, INSERT OVERWRITE).</summary>
        public bool ReplacesBase { get; set; }

        /// <summary>Appends to commit, in order.</summary>
        public List<LogOp> Appends { get; } = [];

        /// <summary>Builders whose files <see cref="Appends"/> refer to.</summary>
        public List<AppendBuilder> Live { get; } = [];

        /// <summary>Builders whose rows a later replacement dropped: their files are deleted when the transaction ends.</summary>
        public List<AppendBuilder> Dead { get; } = [];
    }

    public SessionTransaction(StorageEngine storage)
    {
        _storage = storage;
        var lease = storage.AcquireLease();
        _leases.Add(lease);
        _begin = lease.State;
    }

    /// <summary>Set by a failed statement: until ROLLBACK every statement fails with 25P02 (DuckDB, PostgreSQL).</summary>
    public bool IsAborted { get; private set; }

    public void MarkAborted() => IsAborted = true;

    /// <summary>True once committed or rolled back.</summary>
    public bool IsClosed
    {
        get { lock (_gate) return _closed; }
    }

    /// <summary>
    /// The version of the table the transaction reads: its pending version if it wrote the table, else the snapshot
    /// of BEGIN; a table created after BEGIN (DDL commits at once) is pinned as of its first read. Null if the table
    /// does not exist.
    /// </summary>
    public TableVersion? Find(long tableId)
    {
        lock (_gate)
        {
            if (_closed) return null;
            if (_stages.TryGetValue(tableId, out var stage)) return stage.Pending;
            if (_pinned.TryGetValue(tableId, out var version)) return Refreshed(tableId, version);
            if (_begin.Tables.TryGetValue(tableId, out version))
            {
                _pinned[tableId] = version;
                _firstPinned[tableId] = version;
                return Refreshed(tableId, version);
            }
            var lease = _storage.AcquireLease();
            if (!lease.State.Tables.TryGetValue(tableId, out version))
            {
                lease.Dispose();
                return null;
            }
            _leases.Add(lease);
            _pinned[tableId] = version;
            _firstPinned[tableId] = version;
            return version;
        }
    }

    /// <summary>
    /// A pinned table whose schema changed since (ALTER TABLE commits at once) is read at its newest version, as the
    /// catalog already describes the new columns; the transaction has not written it, so nothing is lost.
    /// </summary>
    private TableVersion Refreshed(long tableId, TableVersion pinned)
    {
        var now = _storage.GetTable(tableId);
        if (now is null || ReferenceEquals(now.Layout, pinned.Layout)) return pinned;
        var lease = _storage.AcquireLease();
        if (!lease.State.Tables.TryGetValue(tableId, out var leased))
        {
            lease.Dispose();
            return pinned;
        }
        _leases.Add(lease);
        _pinned[tableId] = leased;
        return leased;
    }

    /// <summary>Holds <paramref name="ops"/> (appends built from <paramref name="read"/>) until COMMIT.</summary>
    public void StageAppend(TableVersion read, IReadOnlyList<LogOp> ops, AppendBuilder builder)
    {
        lock (_gate)
        {
            var stage = StageFor(read);
            stage.Pending = ApplyLocally(stage.Pending, ops);
            stage.Appends.AddRange(ops);
            stage.Live.Add(builder);
        }
    }

    /// <summary>
    /// Holds the replacement of every row of the table (as <paramref name="read"/>) by <paramref name="appendOps"/>
    /// until COMMIT; rows staged earlier in the transaction are dropped with the rest.
    /// </summary>
    public void StageReplacement(TableVersion read, IReadOnlyList<LogOp> appendOps, AppendBuilder? builder)
    {
        lock (_gate)
        {
            var stage = StageFor(read);
            var ops = new List<LogOp>(appendOps.Count + 1);
            if (Removal(stage.Pending) is { } remove) ops.Add(remove);
            ops.AddRange(appendOps);
            stage.Pending = ApplyLocally(stage.Pending, ops);
            stage.ReplacesBase = true;
            stage.Appends.Clear();
            stage.Appends.AddRange(appendOps);
            stage.Dead.AddRange(stage.Live);
            stage.Live.Clear();
            if (builder is not null) stage.Live.Add(builder);
        }
    }

    private TableStage StageFor(TableVersion read)
    {
        if (_closed) throw new TarnException(SqlStates.NoActiveSqlTransaction, "the transaction has ended");
        if (_stages.TryGetValue(read.TableId, out var stage))
        {
            if (!ReferenceEquals(stage.Pending, read)) throw ConcurrentStatement();
            return stage;
        }
        if (!_pinned.TryGetValue(read.TableId, out var pinned) || !ReferenceEquals(pinned, read)) throw ConcurrentStatement();
        stage = new TableStage(read) { ConflictBase = _firstPinned.TryGetValue(read.TableId, out var first) ? first : read };
        _stages[read.TableId] = stage;
        return stage;
    }

    private static TarnException ConcurrentStatement() => new(SqlStates.SerializationFailure,
        "another statement of this transaction changed the table while this one read it; retry the statement");

    /// <summary>
    /// Commits every staged operation as one record, unless a table the transaction wrote was changed by another
    /// commit since the transaction read it (40001). Either way the transaction is over afterwards.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellation)
    {
        List<TableStage> stages;
        lock (_gate)
        {
            if (_closed) throw new TarnException(SqlStates.NoActiveSqlTransaction, "the transaction has ended");
            stages = [.. _stages.Values];
        }
        try
        {
            if (stages.Exists(s => s.ReplacesBase || s.Appends.Count > 0))
            {
                await _storage.WaitForInlineSpaceAsync(cancellation).ConfigureAwait(false);
                await SubmitAsync(stages, cancellation).ConfigureAwait(false);
            }
        }
        catch
        {
            Rollback();
            throw;
        }
        lock (_gate)
        {
            _closed = true;
            foreach (var stage in stages) Abandon(stage.Dead);
            ReleaseLeases();
        }
    }

    private async Task SubmitAsync(List<TableStage> stages, CancellationToken cancellation)
    {
        string? Conflict(StorageState state)
        {
            foreach (var stage in stages)
            {
                if (!state.Tables.TryGetValue(stage.Base.TableId, out var now)) return "a table the transaction wrote was dropped concurrently";
                if (Changed(now, stage.ConflictBase))
                    return "a table the transaction wrote was changed by another transaction since this one read it; the transaction was rolled back, retry it";
            }
            return null;
        }

        for (var attempt = 1; ; attempt++)
        {
            cancellation.ThrowIfCancellationRequested();
            var ops = new List<LogOp>();
            foreach (var stage in stages)
            {
                // The removal is computed on the newest version: a flush or compaction since only reshaped the same rows.
                if (stage.ReplacesBase && _storage.GetTable(stage.Base.TableId) is { } current && Removal(current) is { } remove) ops.Add(remove);
                ops.AddRange(stage.Appends);
            }
            if (ops.Count == 0)
            {
                // Nothing left to remove or add (another commit already emptied a table this one replaces): still
                // first committer wins.
                if (Conflict(_storage.Current) is { } reason) throw new TarnException(SqlStates.SerializationFailure, reason);
                return;
            }
            try
            {
                await _storage.CommitAsync(ops, Conflict).ConfigureAwait(false);
                return;
            }
            catch (TarnException e) when (e.SqlState == SqlStates.SerializationFailure && attempt < CommitAttempts && Conflict(_storage.Current) is null)
            {
                // Only files changed under a replacement (flush or compaction): compute the removal again.
            }
        }
    }

    /// <summary>Rows of <paramref name="now"/> differ from <paramref name="read"/>: appended, overwritten, or the schema changed.</summary>
    private static bool Changed(TableVersion now, TableVersion read) =>
        !now.NextOffsets.SequenceEqual(read.NextOffsets) || now.LastSnapshotId != read.LastSnapshotId || !ReferenceEquals(now.Layout, read.Layout);

    /// <summary>Discards everything staged (deleting its files) and releases the snapshot. Safe to call more than once.</summary>
    public void Rollback()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            foreach (var stage in _stages.Values)
            {
                Abandon(stage.Live);
                Abandon(stage.Dead);
            }
            _stages.Clear();
            ReleaseLeases();
        }
    }

    private static void Abandon(List<AppendBuilder> builders)
    {
        foreach (var b in builders) b.Abandon();
        builders.Clear();
    }

    private void ReleaseLeases()
    {
        foreach (var lease in _leases) lease.Dispose();
        _leases.Clear();
        _pinned.Clear();
        _firstPinned.Clear();
    }

    /// <summary>The replace that removes every file and inline part of <paramref name="table"/>; null if it holds none.</summary>
    private static ReplaceOp? Removal(TableVersion table)
    {
        if (table.Segments.Count == 0 && table.Inline.Count == 0) return null;
        var segments = new List<long>(table.Segments.Count);
        foreach (var s in table.Segments) segments.Add(s.SegmentId);
        var inline = new List<InlineRange>(table.Inline.Count);
        foreach (var p in table.Inline) inline.Add(new InlineRange(p.Bucket, p.BaseOffset));
        return new ReplaceOp(table.TableId, [], segments, inline);
    }

    /// <summary>
    /// <paramref name="ops"/> applied to <paramref name="version"/> in memory, exactly as the committer would apply them
    /// (same <see cref="StorageState.Apply"/>), with each append placed at its bucket's next offset.
    /// </summary>
    private static TableVersion ApplyLocally(TableVersion version, IReadOnlyList<LogOp> ops)
    {
        var next = new Dictionary<int, long>();
        var placed = new List<LogOp>(ops.Count);
        foreach (var op in ops)
        {
            if (op is AppendOp a)
            {
                var offset = next.TryGetValue(a.Bucket, out var o) ? o : version.NextOffsets[a.Bucket];
                placed.Add(a with { BaseOffset = offset });
                next[a.Bucket] = offset + a.RowCount;
            }
            else placed.Add(op);
        }
        var state = new StorageState(version.Seq, 0, 0, ReadOnlyMemory<byte>.Empty,
            ImmutableDictionary<long, TableVersion>.Empty.Add(version.TableId, version));
        var micros = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        var applied = state.Apply(new LogRecord(version.Seq + 1, micros, placed), SnapshotRetention.Default, new StorageState.ApplyEffects());
        return applied.Tables[version.TableId];
    }
}
