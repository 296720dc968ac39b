using System.Security.Cryptography;
using System.Text;
using Tarn.Catalog.Model;
using Tarn.Connectors.Sinks;
using Tarn.Execution.Streaming;
using Tarn.Storage.IO;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// A streaming job's writes into a filesystem table, exactly once (Flink's FileSink in streaming mode). Epochs are
/// frequent, so files do not roll per epoch:
/// <list type="number">
/// <item>before the job commits an epoch its rows are staged (<see cref="StagedEpochs"/>, synced);</item>
/// <item>after the commit they are appended to hidden in-progress part files, one per partition directory;</item>
/// <item>when the rolling policy (<see cref="FileSinkRollingPolicy"/>) holds for a file at a commit or at a periodic
/// check, or the input ends, every open file is finished and published together (a roll): a manifest of the renames
/// is written durably, the files are renamed, the staged epochs they hold are deleted, the manifest is deleted;
/// then partitions are committed (<see cref="PartitionCommitter"/>).</item>
/// </list>
/// Staged epochs live until the files holding them are published, so recovery (<see cref="Recover"/>) completes a
/// roll whose manifest it finds, deletes this sink's in-progress files and appends the staged epochs up to the job's
/// committed epoch again (later ones are deleted: the job replays them).
/// </summary>
internal sealed partial class FileSystemStreamingSink : IConnectorSink
{
    private readonly FileSystemTable _table;
    private readonly SinkContext _context;
    private readonly FileSinkLayout _layout;
    private readonly FileSinkRollingPolicy _policy;
    private readonly PartitionCommitter _partitions;
    private readonly StagedEpochs _staged;
    private readonly TimeProvider _clock;
    private readonly TimeZoneInfo _zone;
    /// <summary>Names this sink's files (from the job and the sink's index): recovery deletes its in-progress files only.</summary>
    private readonly string _tag;
    /// <summary>Distinguishes the files of one run of the sink from those of earlier runs.</summary>
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly Lock _gate = new();
    private readonly List<ChangeBatch> _pending = [];
    private readonly Dictionary<string, OpenPart> _open = new(StringComparer.Ordinal);
    /// <summary>The staged epochs whose rows are in the open files.</summary>
    private readonly List<long> _held = [];
    private readonly ITimer? _timer;
    private long _stagedEpoch = -1;
    private long _appendedThrough = -1;
    private long _watermark = long.MinValue;
    private int _nextFile;
    private bool _endOfInput;
    private bool _disposed;
    /// <summary>A roll at a periodic check failed: the job fails at its next call, and its restart recovers.</summary>
    private Exception? _failure;

    private sealed class OpenPart(PartFile file, DateTimeOffset created)
    {
        public PartFile File { get; } = file;
        public DateTimeOffset Created { get; } = created;
        public DateTimeOffset LastWrite { get; set; } = created;
    }

    public FileSystemStreamingSink(TableDef def, SinkContext context, TimeProvider? clock = null, bool periodicChecks = true)
    {
        _table = FileSystemTable.From(def);
        if (File.Exists(_table.Path))
            throw new TarnException(SqlStates.FeatureNotSupported, $"filesystem path '{_table.Path}' is a file; a streaming job writes new files into a directory") { FilePath = _table.Path };
        _context = context;
        _clock = clock ?? TimeProvider.System;
        _zone = context.SessionTimeZone ?? TimeZoneInfo.Utc;
        _layout = new FileSinkLayout(def, _table);
        _policy = FileSinkRollingPolicy.From(def);
        _staged = new StagedEpochs(context.StagingDirectory, _layout.RowTypes);
        _partitions = new PartitionCommitter(def, _table, _layout, context.StagingDirectory);
        _tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{context.JobId}/{context.SinkIndex}")))[..12];
        try
        {
            Recover();
            // Recovered rows are committed: publish them now if the policy says so (a roll at every commit, or files
            // that aged while the job was down), not at the next commit or check, which an idle job may never reach
            // before a reader looks.
            RollIfDue(false);
        }
        catch (Exception e)
        {
            foreach (var part in _open.Values) part.File.Abort();
            _open.Clear();
            if (e is IOException or UnauthorizedAccessException) throw IoError(e);
            throw;
        }
        if (periodicChecks) _timer = _clock.CreateTimer(_ => Check(), null, _policy.CheckInterval, _policy.CheckInterval);
    }

    public static bool Is(TableDef table) => FileSystemTable.Is(table);

    public long PendingRows { get; private set; }

    /// <summary>The open (unpublished) files, for tests and monitoring.</summary>
    internal int OpenFiles { get { lock (_gate) return _open.Count; } }

    public void Write(ChangeBatch batch)
    {
        ThrowIfFailed();
        if (batch.RowCount == 0) return;
        if (batch.Kinds is { } kinds && Array.Exists(kinds, k => k != 0))
            throw new TarnException(SqlStates.FeatureNotSupported, $"filesystem table '{_table.Name}' is append-only: it cannot consume update or delete changes");
        _pending.Add(batch);
        PendingRows += batch.RowCount;
    }

    public void PreCommit(long epoch)
    {
        ThrowIfFailed();
        if (_pending.Count == 0) return;
        try { _staged.Stage(epoch, _pending); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw IoError(e); }
        _stagedEpoch = epoch;
    }

    public void Commit(long epoch)
    {
        lock (_gate)
        {
            ThrowIfFailed();
            try
            {
                if (_stagedEpoch == epoch)
                {
                    Append(_pending);
                    _held.Add(epoch);
                }
                _appendedThrough = epoch;
                _stagedEpoch = -1;
                Discard();
                RollIfDue(_endOfInput);
            }
            catch (Exception e)
            {
                _failure = e; // the in-memory files no longer match the staged epochs: only recovery may continue
                if (e is IOException or UnauthorizedAccessException) throw IoError(e);
                throw;
            }
        }
    }

    public void Discard()
    {
        _pending.Clear();
        PendingRows = 0;
    }

    /// <summary>The bounded input ended: the next commit publishes every file and commits every partition.</summary>
    public void Finish() => _endOfInput = true;

    public void Watermark(long watermark)
    {
        if (watermark > Volatile.Read(ref _watermark)) Volatile.Write(ref _watermark, watermark);
    }

    /// <summary>The periodic check (<c>sink.rolling-policy.check-interval</c>): time-based rolls and partition commits while the job is idle.</summary>
    internal void Check()
    {
        lock (_gate)
        {
            if (_disposed || _failure is not null) return;
            try { RollIfDue(false); }
#pragma warning disable CA1031 // a timer callback must not throw: the failure is the job's, reported at its next call
            catch (Exception e) { _failure = e; }
#pragma warning restore CA1031
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure) throw IoError(failure);
    }

    private TarnException IoError(Exception e) =>
        new(SqlStates.IoError, $"cannot write filesystem table '{_table.Name}' at '{_table.Path}': {e.Message}", e) { FilePath = _table.Path };

    /// <summary>Appends rows of committed epochs to the open files (opening one per new partition).</summary>
    private void Append(IReadOnlyList<ChangeBatch> batches)
    {
        var now = _clock.GetUtcNow();
        foreach (var batch in batches)
        {
            if (batch.RowCount == 0) continue;
            foreach (var (partition, data) in _layout.Split(batch.Rows, _zone))
            {
                if (!_open.TryGetValue(partition, out var part))
                {
                    var name = $"part-{_tag}-{_run}-{_nextFile++}.{_table.Extension}";
                    part = new OpenPart(PartFile.Create(_table, _layout.DirectoryOf(partition), name, _layout.DataNames, _layout.DataTypes, _zone), now);
                    _open[partition] = part;
                }
                part.File.Write(data);
                part.LastWrite = now;
            }
        }
    }

    private void RollIfDue(bool endOfInput)
    {
        var now = _clock.GetUtcNow();
        var roll = endOfInput;
        foreach (var part in _open.Values)
            roll |= _policy.ShouldRoll(part.File.BytesWritten, part.Created, part.LastWrite, now);
        if (roll) Roll();
        _partitions.CommitDue(now.ToUnixTimeMilliseconds(), Volatile.Read(ref _watermark), endOfInput);
    }

    /// <summary>Finishes and publishes every open file, crash-safely (see <see cref="FileSinkManifest"/>).</summary>
    private void Roll()
    {
        if (_open.Count == 0) return;
        var renames = new List<(string, string)>(_open.Count);
        var partitions = new List<(string, long)>(_open.Count);
        foreach (var (partition, part) in _open)
        {
            part.File.Finish();
            renames.Add((Relative(part.File.InProgressPath), Relative(part.File.FinalPath)));
            partitions.Add((partition, part.Created.ToUnixTimeMilliseconds()));
        }
        var manifest = new FileSinkManifest(_appendedThrough, renames, [.. _open.Keys], [.. _held]);
        // From here on the files are closed and recovery owns them: it publishes them if the manifest is written and
        // deletes them otherwise (Dispose after a failure must not delete files a manifest names).
        var files = _open.Values.Select(p => p.File).ToList();
        _open.Clear();
        _held.Clear();
        manifest.Write(_context.StagingDirectory);
        RollStep?.Invoke("manifest");
        foreach (var file in files)
        {
            file.Commit();
            RollStep?.Invoke("renamed");
        }
        Complete(manifest, partitions);
    }

    /// <summary>Test hook: called after each step of a roll (a throwing hook simulates a crash there).</summary>
    internal Action<string>? RollStep { get; set; }

    /// <summary>The second half of a roll (also run by recovery): make the renames durable, note the partitions, drop the staged epochs and the manifest.</summary>
    private void Complete(FileSinkManifest manifest, IEnumerable<(string Partition, long Opened)> partitions)
    {
        foreach (var directory in manifest.Partitions.Select(_layout.DirectoryOf).Distinct(StringComparer.Ordinal))
            LocalFileSystem.Instance.SyncDirectory(directory);
        _partitions.Add(partitions);
        RollStep?.Invoke("partitions");
        foreach (var epoch in manifest.StagedEpochs)
        {
            _staged.Delete(epoch);
            RollStep?.Invoke("staged");
        }
        FileSinkManifest.Delete(_context.StagingDirectory);
    }

    private string Relative(string path) => Path.GetRelativePath(_table.Path, path);

    private string Absolute(string relative) => Path.GetFullPath(Path.Combine(_table.Path, relative));

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _timer?.Dispose();
            // Unpublished files are rebuilt from the staged epochs when the job runs again.
            foreach (var part in _open.Values) part.File.Abort();
            _open.Clear();
        }
    }
}
