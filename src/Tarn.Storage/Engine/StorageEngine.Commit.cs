using Tarn.Storage.Format;
using Tarn.Storage.Log;

namespace Tarn.Storage.Engine;

/// <summary>The outcome of a durable commit.</summary>
public sealed record CommitResult(long Seq, long TimestampMicros, StorageState State);

public sealed partial class StorageEngine
{
    private readonly object _queueLock = new();
    private readonly Queue<CommitRequest> _queue = new();
    private readonly Thread _committer;
    private volatile bool _stopCommitter;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class CommitRequest(IReadOnlyList<LogOp> ops, Func<StorageState, string?>? precondition = null)
    {
        public IReadOnlyList<LogOp> Ops { get; } = ops;
        public Func<StorageState, string?>? Precondition { get; } = precondition;
        public TaskCompletionSource<CommitResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Commits <paramref name="ops"/> atomically and durably. The returned task completes only after the record is
    /// fsynced; concurrent callers share one write and one fsync (group commit).
    /// </summary>
    public Task<CommitResult> CommitAsync(IReadOnlyList<LogOp> ops) => CommitAsync(ops, null);

    /// <summary>
    /// Commits <paramref name="ops"/> only if <paramref name="precondition"/>, run by the committer on the state the
    /// record would apply to, returns null; otherwise the commit fails with SQLSTATE 40001 and the returned reason.
    /// Read-modify-write statements (UPDATE, DELETE, INSERT OVERWRITE) use it to detect writes that raced their read.
    /// </summary>
    public Task<CommitResult> CommitAsync(IReadOnlyList<LogOp> ops, Func<StorageState, string?>? precondition)
    {
        ObjectDisposedException.ThrowIf(_disposed && _stopCommitter, this);
        var request = new CommitRequest(ops, precondition);
        lock (_queueLock)
        {
            if (_stopCommitter) throw new ObjectDisposedException(nameof(StorageEngine));
            _queue.Enqueue(request);
            // Monitor.Wait/Pulse, not a SemaphoreSlim: its Wait spins before it blocks, and the committer waits once
            // per group, so on a small machine that spinning took more CPU than decoding the data being committed.
            Monitor.Pulse(_queueLock);
        }
        return request.Completion.Task;
    }

    /// <summary>A task that completes at the next commit after this call (for streaming readers waiting for data).</summary>
    public Task NextCommitAsync() => Volatile.Read(ref _changed).Task;

    private long _lastPublished;

    /// <summary>
    /// The <see cref="System.Diagnostics.Stopwatch"/> timestamp at which the newest commit became visible, which is
    /// where the commit-to-reader latency of a streaming reader starts (measured by the e2e benchmark).
    /// </summary>
    public long LastPublishedTimestamp => Interlocked.Read(ref _lastPublished);

    private void CommitLoop()
    {
        var buffer = new ByteWriter(1 << 16);
        var group = new List<CommitRequest>();
        var accepted = new List<CommitRequest>();
        var results = new List<CommitResult>();
        while (true)
        {
            lock (_queueLock)
            {
                while (_queue.Count == 0 && !_stopCommitter) Monitor.Wait(_queueLock);
                while (_queue.Count > 0) group.Add(_queue.Dequeue());
            }
            if (group.Count == 0) return; // stopped, and nothing left to commit

            var working = _state;
            var effects = new StorageState.ApplyEffects();
            buffer.Clear();
            accepted.Clear();
            results.Clear();
            var firstSeq = working.Seq + 1;
            foreach (var request in group)
            {
                try
                {
                    if (request.Precondition?.Invoke(working) is { } conflict) throw new TarnException(SqlStates.SerializationFailure, conflict);
                    working.Validate(request.Ops);
                    var ops = AssignOffsets(working, request.Ops);
                    var seq = working.Seq + 1;
                    var ts = Math.Max(NowMicros(), _lastTimestamp + 1);
                    var mark = buffer.Length;
                    try
                    {
                        LogFrames.WriteFrame(buffer, seq, ts, ops);
                        var recordEffects = new StorageState.ApplyEffects();
                        var next = working.Apply(new LogRecord(seq, ts, ops), Options.SnapshotRetention, recordEffects);
                        Merge(effects, recordEffects);
                        working = next;
                    }
                    catch
                    {
                        buffer.Truncate(mark);
                        throw;
                    }
                    _lastTimestamp = ts;
                    accepted.Add(request);
                    results.Add(new CommitResult(seq, ts, working));
                }
                catch (Exception e)
                {
                    request.Completion.TrySetException(e is TarnException ? e : new TarnException(SqlStates.InternalError, $"commit failed: {e.Message}", e));
                }
            }
            group.Clear();
            if (accepted.Count == 0) continue;

            try
            {
                _log.Append(buffer.WrittenSpan, firstSeq);
            }
            catch (Exception e)
            {
                var error = e as TarnException ?? new TarnException(SqlStates.IoError, $"commit failed: {e.Message}", e);
                foreach (var r in accepted) r.Completion.TrySetException(error);
                continue;
            }

            Interlocked.Add(ref _logBytesSinceManifest, buffer.Length);
            _state = working;
            Interlocked.Exchange(ref _lastPublished, System.Diagnostics.Stopwatch.GetTimestamp());
            QueueObsolete(effects, working.Seq);
            for (var i = 0; i < accepted.Count; i++) accepted[i].Completion.TrySetResult(results[i]);
            var changed = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            changed.TrySetResult();
            SignalBackground();
        }
    }

    private static void Merge(StorageState.ApplyEffects into, StorageState.ApplyEffects from)
    {
        into.ObsoleteSegments.AddRange(from.ObsoleteSegments);
        into.DroppedTables.AddRange(from.DroppedTables);
        into.ChangedTables.UnionWith(from.ChangedTables);
        into.CatalogChanged |= from.CatalogChanged;
    }

    /// <summary>Gives each append the next offset of its bucket, in commit order.</summary>
    private static IReadOnlyList<LogOp> AssignOffsets(StorageState state, IReadOnlyList<LogOp> ops)
    {
        Dictionary<(long, int), long>? next = null;
        LogOp[]? result = null;
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i] is not AppendOp a) continue;
            next ??= [];
            result ??= [.. ops];
            var key = (a.TableId, a.Bucket);
            if (!next.TryGetValue(key, out var offset))
            {
                offset = state.Tables.TryGetValue(a.TableId, out var t) ? t.NextOffsets[a.Bucket] : 0;
                // A table created earlier in this same record starts at zero.
            }
            result[i] = a with { BaseOffset = offset };
            next[key] = offset + a.RowCount;
        }
        return result ?? ops;
    }

    private void StopCommitter()
    {
        lock (_queueLock)
        {
            _stopCommitter = true;
            Monitor.PulseAll(_queueLock);
        }
        _committer.Join();
        lock (_queueLock)
        {
            while (_queue.Count > 0)
                _queue.Dequeue().Completion.TrySetException(new ObjectDisposedException(nameof(StorageEngine)));
        }
    }
}
