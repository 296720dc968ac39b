using Tarn.Storage.Format;
using Tarn.Storage.IO;
using Tarn.Storage.Log;
using Tarn.Storage.Manifest;
using Tarn.Storage.Tables;

namespace Tarn.Storage.Engine;

/// <summary>
/// One open database directory: the commit log with group commit, the manifests, the current
/// <see cref="StorageState"/>, and the background work (flush, compaction, checkpoints, file deletion).
/// Thread-safe. Split by concern into partial files: Commit, Background, Files.
/// </summary>
public sealed partial class StorageEngine : IDisposable
{
    public const string LogDirectoryName = "log";
    public const string ManifestDirectoryName = "manifest";
    public const string DataDirectoryName = "data";
    public const string StateDirectoryName = "state";
    public const string LockFileName = "LOCK";

    private readonly IFileSystem _fs;
    private readonly FileStream _lock;
    private readonly ManifestStore _manifests;
    private readonly LogWriter _log;
    private volatile StorageState _state;
    private long _nextTableId;
    private long _nextSegmentId;
    private long _lastTimestamp;
    private volatile bool _disposed;
    private long _lastManifestSeq;
    private long _previousManifestSeq;
    private long _logBytesSinceManifest;

    private StorageEngine(string directory, StorageOptions options, FileStream lockFile, DatabaseHeader header, StorageState recovered,
        LogTail tail, long manifestSeq, long previousManifestSeq)
    {
        Directory = directory;
        Options = options;
        _fs = options.FileSystem;
        _lock = lockFile;
        Header = header;
        _state = recovered;
        _nextTableId = recovered.NextTableId;
        _nextSegmentId = recovered.NextSegmentId;
        _manifests = new ManifestStore(_fs, ManifestDirectory, header.DatabaseId);
        _log = new LogWriter(_fs, LogDirectory, header.DatabaseId, tail, options.LogRollBytes);
        _lastManifestSeq = manifestSeq;
        _previousManifestSeq = previousManifestSeq;
        foreach (var t in recovered.Tables.Values)
            foreach (var s in t.Snapshots) _lastTimestamp = Math.Max(_lastTimestamp, s.TimestampMicros);
        _committer = new Thread(CommitLoop) { IsBackground = true, Name = "tarn-committer" };
        _committer.Start();
        if (options.BackgroundWork)
        {
            _background = new Thread(BackgroundLoop) { IsBackground = true, Name = "tarn-background" };
            _background.Start();
        }
    }

    public string Directory { get; }
    public StorageOptions Options { get; }
    public DatabaseHeader Header { get; }
    public IFileSystem FileSystem => _fs;

    public string LogDirectory => Path.Combine(Directory, LogDirectoryName);
    public string ManifestDirectory => Path.Combine(Directory, ManifestDirectoryName);
    public string DataDirectory => Path.Combine(Directory, DataDirectoryName);
    public string StateDirectory => Path.Combine(Directory, StateDirectoryName);

    /// <summary>The newest committed state. Readers take it once and use it throughout (snapshot isolation).</summary>
    public StorageState Current => _state;

    public TableVersion? GetTable(long tableId) => _state.Tables.GetValueOrDefault(tableId);

    public long AllocateTableId() => Interlocked.Increment(ref _nextTableId) - 1;
    public long AllocateSegmentId() => Interlocked.Increment(ref _nextSegmentId) - 1;

    /// <summary>Opens (or creates) the database in <paramref name="directory"/>, recovering from the log.</summary>
    public static StorageEngine Open(string directory, StorageOptions? options = null)
    {
        options ??= new StorageOptions();
        var fs = options.FileSystem;
        directory = Path.GetFullPath(directory);
        var exists = fs.DirectoryExists(directory);
        if (!exists)
        {
            if (!options.CreateIfMissing) throw new TarnException(SqlStates.UndefinedObject, $"database '{directory}' does not exist") { FilePath = directory };
            try { fs.CreateDirectory(directory); }
            catch (Exception e) { throw StorageErrors.Wrap(e, directory, "create the database directory"); }
        }
        else if (!fs.FileExists(Path.Combine(directory, DatabaseHeader.FileName)) && fs.ListFiles(directory).Count + fs.ListDirectories(directory).Count > 0
                 && !fs.FileExists(Path.Combine(directory, LockFileName)))
        {
            throw new TarnException(SqlStates.UndefinedObject, $"'{directory}' is not empty and is not a Tarn database") { FilePath = directory };
        }

        var lockFile = AcquireLock(directory);
        try
        {
            var header = DatabaseHeader.ReadOrCreate(fs, directory, options.CreateIfMissing);
            foreach (var sub in new[] { LogDirectoryName, ManifestDirectoryName, DataDirectoryName })
                fs.CreateDirectory(Path.Combine(directory, sub));

            var manifests = new ManifestStore(fs, Path.Combine(directory, ManifestDirectoryName), header.DatabaseId);
            var state = manifests.LoadNewest(out var damagedManifest);
            var manifestList = manifests.List();
            var manifestSeq = state.Seq;
            var previousSeq = manifestList.Count >= 2 ? manifestList[^2].Seq : 0;
            var effects = new StorageState.ApplyEffects();
            var tail = LogReader.Replay(fs, Path.Combine(directory, LogDirectoryName), header.DatabaseId, state.Seq,
                record => state = state.Apply(record, options.SnapshotRetention, effects));
            if (damagedManifest is not null)
            {
                // Recovered from the previous manifest plus the log; drop the damaged one so it is never chosen again.
                fs.DeleteFile(damagedManifest);
                previousSeq = 0;
            }
            var engine = new StorageEngine(directory, options, lockFile, header, state, tail, manifestSeq, previousSeq);
            engine.RemoveOrphanFiles();
            return engine;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    private static FileStream AcquireLock(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second process, or a second open
            // in this process, fails here instead of corrupting the database.
            var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            fs.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
            fs.Write(pid);
            fs.Flush();
            return fs;
        }
        catch (IOException e) when (!StorageErrors.IsDiskFull(e))
        {
            string holder = "";
            try { holder = File.ReadAllText(path).Trim(); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new TarnException(SqlStates.LockNotAvailable,
                $"database '{directory}' is already open for writing by another process{(holder.Length > 0 ? $" (pid {holder})" : "")}", e) { FilePath = directory };
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        StopBackground();
        StopCommitter();
        try
        {
            if (_state.Seq > _lastManifestSeq) _manifests.Write(_state);
        }
        catch (TarnException)
        {
            // The log already holds every commit; a missing manifest only makes the next open replay more.
        }
        DeleteObsoleteFiles(force: true);
        DisposeReaders();
        _log.Dispose();
        _lock.Dispose();
    }

    internal static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
