using System.Numerics;
using FASTER.core;
using Tarn.State.Checkpoints;
using Tarn.State.Internal;

namespace Tarn.State;

/// <summary>
/// The key-value state of one database: a FASTER KV store with variable-length keys and values in the state
/// directory (storage-spec/07-state.md). Opening recovers the newest checkpoint that verifies (STATE-004); everything
/// written after that checkpoint is gone, as after a crash. Work happens in <see cref="StateSession"/>s, one per
/// thread. <see cref="CheckpointAsync"/> and <see cref="RecoverAsync"/> may be called from any thread.
/// </summary>
public sealed class StateStore : IDisposable
{
    /// <summary>
    /// Snapshot rather than FoldOver: a FoldOver checkpoint makes the whole log read-only, so every later update of a
    /// key appends a new record. Streaming state (accumulators, join and window state) updates the same keys between
    /// every pair of checkpoints, so the log would grow by the hot key set per checkpoint with nothing reclaiming it.
    /// A snapshot copies the not-yet-flushed part of the log (at most <see cref="StateStoreOptions.LogMemorySize"/>)
    /// into the checkpoint folder and leaves the mutable region mutable, so updates stay in place and the log grows
    /// only with new keys; the cost per checkpoint is bounded by the log memory size.
    /// </summary>
    internal const CheckpointType CheckpointKind = CheckpointType.Snapshot;

    /// <summary>RecordInfo header, the two length prefixes, key alignment padding and Tarn's value checksum.</summary>
    private const int RecordOverhead = 8 + 4 + 4 + 7 + StoredValue.ChecksumSize;

    private readonly StateStoreOptions _options;
    private readonly StateLayout _layout;
    private readonly object _sync = new();
    private readonly HashSet<StateSession> _sessions = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<CheckpointMarker> _retained = []; // oldest first
    private FasterKV<SpanByte, SpanByte>? _kv;
    private IDevice? _logDevice;
    private int _pageSizeBits;
    private int _segmentSizeBits;
    private long _nextNumber = 1;
    private bool _recovering;
    private bool _disposed;

    private StateStore(StateStoreOptions options)
    {
        options.Validate();
        _options = options;
        _layout = new StateLayout(options.Directory);
    }

    /// <summary>Opens the state directory, recovering the newest valid checkpoint or starting empty if there is none.</summary>
    public static StateStore Open(StateStoreOptions options)
    {
        var store = new StateStore(options);
        store.LoadOrDispose(target: null);
        return store;
    }

    /// <summary>
    /// Opens the state directory at the checkpoint <paramref name="checkpointToken"/>, which may be older than the
    /// newest one (a streaming job restores the checkpoint its own commit record names). Newer checkpoints are
    /// discarded (STATE-005).
    /// </summary>
    public static StateStore Open(StateStoreOptions options, Guid checkpointToken)
    {
        var store = new StateStore(options);
        store.LoadOrDispose(checkpointToken);
        return store;
    }

    /// <summary>The state directory.</summary>
    public string StateDirectory => _layout.Root;

    internal string LogDirectory => _layout.LogDirectory;

    /// <summary>The checkpoint the store was last recovered from, or null if it started empty.</summary>
    public StateCheckpoint? RecoveredCheckpoint { get; private set; }

    /// <summary>Checkpoints kept on disk, oldest first (at most two after a checkpoint, STATE-003).</summary>
    public IReadOnlyList<StateCheckpoint> Checkpoints
    {
        get
        {
            lock (_sync)
            {
                var result = new StateCheckpoint[_retained.Count];
                for (var i = 0; i < result.Length; i++)
                    result[i] = new StateCheckpoint(_retained[i].Token, _retained[i].Number);
                return result;
            }
        }
    }

    /// <summary>Largest key length plus value length one record can hold (a record must fit in a log page).</summary>
    public int MaxRecordPayload => (1 << _pageSizeBits) - RecordOverhead;

    /// <summary>A session for the calling thread (or operator). Sessions are not thread-safe; dispose when done.</summary>
    public StateSession NewSession()
    {
        lock (_sync)
        {
            if (_recovering)
                throw new TarnException(SqlStates.ObjectNotInPrerequisiteState, $"state in '{_layout.Root}' is being recovered; open sessions afterwards");
            var kv = Kv;
            var session = new StateSession(this, kv.For(StateFunctions.Instance).NewSession<StateFunctions>());
            _sessions.Add(session);
            return session;
        }
    }

    /// <summary>
    /// Takes a full checkpoint (hash index and hybrid log, snapshot kind) and makes it durable. The checkpoint contains
    /// every operation that completed before this call; of the operations running concurrently in other sessions it
    /// contains a prefix of each session's operations (FASTER's CPR consistency). Keeps this and the previous checkpoint and deletes older ones (STATE-003). Once started, the
    /// checkpoint runs to completion; <paramref name="cancellationToken"/> only cancels waiting to start.
    /// </summary>
    public async Task<StateCheckpoint> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var kv = Kv;
            var (started, token) = await kv.TakeFullCheckpointAsync(CheckpointKind, CancellationToken.None);
            if (!started)
                ThrowHelper.Internal("FASTER refused to start a state checkpoint while another state machine runs");
            var logRange = kv.GetLogFileSize(token);
            var marker = new CheckpointMarker
            {
                Number = _nextNumber,
                Token = token,
                FasterVersion = kv.CurrentVersion - 1,
                PageSizeBits = _pageSizeBits,
                SegmentSizeBits = _segmentSizeBits,
                LogBeginAddress = logRange.hybridLogFileStartAddress,
                LogEndAddress = logRange.hybridLogFileEndAddress,
                Files = CheckpointMarker.DescribeFiles(_layout, token),
            };
            MakeCheckpointFilesDurable(token);
            DurableFiles.WriteAtomically(_layout.MarkerPath(marker.Number), marker.Serialize());
            _nextNumber++;
            lock (_sync)
                _retained.Add(marker);
            ApplyRetention();
            return new StateCheckpoint(marker.Token, marker.Number);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Replaces the store's contents with checkpoint <paramref name="checkpointToken"/> (one of <see cref="Checkpoints"/>)
    /// and discards newer checkpoints (STATE-005). All sessions must be disposed first.
    /// </summary>
    public async Task RecoverAsync(Guid checkpointToken, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Verify before closing the running store, so asking for a missing or damaged checkpoint leaves it usable.
            var marker = FindCommittedMarker(checkpointToken);
            marker.Verify(_layout);
            lock (_sync)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_sessions.Count > 0)
                    throw new TarnException(SqlStates.ObjectInUse, $"cannot recover state in '{_layout.Root}' while {_sessions.Count} state session(s) are open");
                _recovering = true;
            }
            await Task.Run(() =>
            {
                CloseFaster();
                Load(checkpointToken);
            }, CancellationToken.None);
        }
        finally
        {
            lock (_sync)
                _recovering = false;
            _gate.Release();
        }
    }

    public void Dispose()
    {
        StateSession[] sessions;
        lock (_sync)
        {
            if (_disposed)
                return;
            _disposed = true;
            sessions = [.. _sessions];
        }
        foreach (var session in sessions)
            session.Dispose();
        // A checkpoint or recovery still running finishes first; callers queued behind it then see the store disposed.
        _gate.Wait();
        CloseFaster();
        _gate.Release();
    }

    internal FasterKV<SpanByte, SpanByte> Kv
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _kv ?? throw new TarnException(SqlStates.ObjectNotInPrerequisiteState, $"state store '{_layout.Root}' is not open: its last recovery failed");
        }
    }

    internal void OnSessionDisposed(StateSession session)
    {
        lock (_sync)
            _sessions.Remove(session);
    }

    private void LoadOrDispose(Guid? target)
    {
        try
        {
            Load(target);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Finds the checkpoint to start from, recovers it (or starts empty) and tidies the directory.</summary>
    private void Load(Guid? target)
    {
        _layout.CreateDirectories();
        _layout.DeleteTemporaryFiles();
        var markerFiles = _layout.ListMarkerFiles();
        foreach (var file in markerFiles)
            _nextNumber = Math.Max(_nextNumber, file.Number + 1);

        var committed = ReadCommittedMarkers(markerFiles);
        CheckpointMarker? chosen = null;
        Exception? firstFailure = null;
        foreach (var (number, path, marker, error) in committed)
        {
            if (target is not null && marker?.Token != target)
                continue;
            if (marker is null)
            {
                firstFailure ??= error;
                continue;
            }
            try
            {
                marker.Verify(_layout);
                OpenFaster(marker);
                chosen = marker;
                break;
            }
            catch (Exception ex) when (target is null)
            {
                CloseFaster();
                firstFailure ??= ex;
            }
            catch (Exception ex) when (ex is not TarnException)
            {
                CloseFaster();
                throw new TarnException(SqlStates.DataCorrupted, $"state checkpoint {target} in '{_layout.Root}' cannot be recovered: {ex.Message}", ex) { FilePath = path };
            }
            catch
            {
                CloseFaster();
                throw;
            }
        }

        if (chosen is null)
        {
            if (target is not null)
                throw new TarnException(SqlStates.DataCorrupted, $"state checkpoint {target} is not available in '{_layout.Root}'") { FilePath = _layout.CheckpointDirectory };
            if (committed.Count > 0)
                throw new TarnException(SqlStates.DataCorrupted, $"none of the {committed.Count} state checkpoint(s) in '{_layout.Root}' can be recovered: {firstFailure?.Message}", firstFailure) { FilePath = _layout.CheckpointDirectory };
            // Nothing was ever committed: whatever log a crashed run left behind is not state.
            _layout.DeleteAllData();
            OpenFaster(marker: null);
            RecoveredCheckpoint = null;
            lock (_sync)
                _retained.Clear();
            return;
        }

        RecoveredCheckpoint = new StateCheckpoint(chosen.Token, chosen.Number);
        var retained = new List<CheckpointMarker>();
        foreach (var (number, path, marker, _) in committed)
        {
            if (number > chosen.Number)
            {
                // Its log will be overwritten by writes after this recovery, so it can never be recovered again.
                File.Move(path, _layout.DiscardedPath(number), overwrite: true);
            }
            else if (marker is not null)
                retained.Insert(0, marker);
        }
        lock (_sync)
        {
            _retained.Clear();
            _retained.AddRange(retained);
        }
        DeleteUnreferencedFasterCheckpoints();
        DurableFiles.FlushDirectory(_layout.CheckpointDirectory);
    }

    /// <summary>Committed (not discarded) markers, newest first; unreadable ones carry the error instead.</summary>
    private static List<(long Number, string Path, CheckpointMarker? Marker, Exception? Error)> ReadCommittedMarkers(
        List<(long Number, string Path, bool Discarded)> files)
    {
        var result = new List<(long, string, CheckpointMarker?, Exception?)>();
        foreach (var (number, path, discarded) in files)
        {
            if (discarded)
                continue;
            try
            {
                var marker = CheckpointMarker.Read(path);
                if (marker.Number != number)
                    ThrowHelper.Corrupt(path, $"state checkpoint marker records number {marker.Number}, its name says {number}");
                result.Add((number, path, marker, null));
            }
            catch (Exception ex) when (ex is TarnException or IOException)
            {
                result.Add((number, path, null, ex));
            }
        }
        result.Sort((a, b) => b.Item1.CompareTo(a.Item1));
        return result;
    }

    private CheckpointMarker FindCommittedMarker(Guid token)
    {
        lock (_sync)
        {
            foreach (var marker in _retained)
            {
                if (marker.Token == token)
                    return marker;
            }
        }
        throw new TarnException(SqlStates.DataCorrupted, $"state checkpoint {token} is not available in '{_layout.Root}'") { FilePath = _layout.CheckpointDirectory };
    }

    private void OpenFaster(CheckpointMarker? marker)
    {
        _pageSizeBits = marker?.PageSizeBits ?? BitOperations.Log2((uint)_options.PageSize);
        _segmentSizeBits = marker?.SegmentSizeBits ?? BitOperations.Log2((ulong)_options.SegmentSize);
        var memorySizeBits = BitOperations.Log2((ulong)_options.LogMemorySize);
        if (memorySizeBits < _pageSizeBits + 2)
            ThrowHelper.Argument($"state store option LogMemorySize = {_options.LogMemorySize} must hold at least 4 log pages of {1 << _pageSizeBits} bytes");

        _logDevice = Devices.CreateLogDevice(_layout.LogBasePath, preallocateFile: false, deleteOnClose: false, recoverDevice: true);
        var logSettings = new LogSettings
        {
            LogDevice = _logDevice,
            PageSizeBits = _pageSizeBits,
            SegmentSizeBits = _segmentSizeBits,
            MemorySizeBits = memorySizeBits,
            MutableFraction = 0.9,
            // Reads must never move records: a prefix scan recognises live records by their address.
            ReadCopyOptions = ReadCopyOptions.None,
        };
        var checkpointSettings = new CheckpointSettings
        {
            CheckpointDir = _layout.CheckpointDirectory,
            // Tarn decides which checkpoints to keep (two) and deletes them itself.
            RemoveOutdated = false,
        };
        _kv = new FasterKV<SpanByte, SpanByte>(_options.IndexBuckets, logSettings, checkpointSettings);
        if (marker is not null)
        {
            var version = _kv.Recover(marker.Token);
            if (version != marker.FasterVersion)
                ThrowHelper.Corrupt(_layout.MarkerPath(marker.Number), $"FASTER recovered version {version} for state checkpoint #{marker.Number}, its marker records {marker.FasterVersion}");
        }
    }

    private void CloseFaster()
    {
        _kv?.Dispose();
        _kv = null;
        _logDevice?.Dispose();
        _logDevice = null;
    }

    private void MakeCheckpointFilesDurable(Guid token)
    {
        DurableFiles.FlushDirectory(_layout.IndexCheckpointFolder(token));
        DurableFiles.FlushDirectory(_layout.LogCheckpointFolder(token));
        DurableFiles.FlushDirectory(_layout.IndexCheckpointsDirectory);
        DurableFiles.FlushDirectory(_layout.LogCheckpointsDirectory);
        // The checkpoint reads log segments below its snapshot; new segment files must be durable entries too.
        DurableFiles.FlushDirectory(_layout.LogDirectory);
    }

    /// <summary>Keeps the two newest checkpoints; deletes older ones, discarded numbers and orphaned FASTER folders.</summary>
    private void ApplyRetention()
    {
        List<CheckpointMarker> dropped;
        lock (_sync)
        {
            var excess = Math.Max(0, _retained.Count - 2);
            dropped = _retained.GetRange(0, excess);
            _retained.RemoveRange(0, excess);
        }
        var oldestKept = _retained[0].Number;
        foreach (var (number, path, discarded) in _layout.ListMarkerFiles())
        {
            // Discarded numbers are all below the checkpoint just taken, so they no longer protect numbering.
            if (discarded || number < oldestKept)
                File.Delete(path);
        }
        foreach (var marker in dropped)
            _layout.DeleteFasterCheckpoint(marker.Token);
        DeleteUnreferencedFasterCheckpoints();
        DurableFiles.FlushDirectory(_layout.CheckpointDirectory);
    }

    /// <summary>FASTER folders no retained marker names: checkpoints torn by a crash, dropped or discarded ones.</summary>
    private void DeleteUnreferencedFasterCheckpoints()
    {
        var referenced = new HashSet<Guid>();
        lock (_sync)
        {
            foreach (var marker in _retained)
                referenced.Add(marker.Token);
        }
        foreach (var token in _layout.ListFasterCheckpointTokens())
        {
            if (!referenced.Contains(token))
                _layout.DeleteFasterCheckpoint(token);
        }
    }
}
