using Tarn.Storage.IO;

namespace Tarn.Storage.Tests.Faults;

/// <summary>
/// Wraps the real file system and fails chosen operations: writes and syncs fail with "No space left on device"
/// while <see cref="DiskFull"/> is set (like SQLite's and DuckDB's fault-injecting file systems), so tests can show
/// that a full disk loses nothing acknowledged and that writing resumes once space returns.
/// </summary>
public sealed class FaultInjectingFileSystem(IFileSystem inner) : IFileSystem
{
    private int _disk;

    /// <summary>While true, every write, file creation and sync fails with ENOSPC.</summary>
    public bool DiskFull
    {
        get => Volatile.Read(ref _disk) != 0;
        set => Volatile.Write(ref _disk, value ? 1 : 0);
    }

    public int FailedOperations;

    /// <summary>Successful fsyncs of files (not directories) so far.</summary>
    public int FileSyncs;

    private void Check(string path)
    {
        if (!DiskFull) return;
        Interlocked.Increment(ref FailedOperations);
        throw new IOException($"No space left on device : '{path}'", 28);
    }

    public IStorageFile Open(string path, bool writable) => new File(this, inner.Open(path, writable));

    public IStorageFile Create(string path)
    {
        Check(path);
        return new File(this, inner.Create(path));
    }

    public bool FileExists(string path) => inner.FileExists(path);
    public bool DirectoryExists(string path) => inner.DirectoryExists(path);

    public void CreateDirectory(string path)
    {
        Check(path);
        inner.CreateDirectory(path);
    }

    public void DeleteFile(string path) => inner.DeleteFile(path);
    public void DeleteDirectory(string path, bool recursive) => inner.DeleteDirectory(path, recursive);

    public void Rename(string from, string to)
    {
        Check(to);
        inner.Rename(from, to);
    }

    public void SyncDirectory(string directory) => inner.SyncDirectory(directory);
    public IReadOnlyList<string> ListFiles(string directory, string searchPattern = "*") => inner.ListFiles(directory, searchPattern);
    public IReadOnlyList<string> ListDirectories(string directory) => inner.ListDirectories(directory);

    private sealed class File(FaultInjectingFileSystem fs, IStorageFile file) : IStorageFile
    {
        public string Path => file.Path;
        public long Length => file.Length;
        public int Read(long offset, Span<byte> destination) => file.Read(offset, destination);

        public void Write(long offset, ReadOnlySpan<byte> source)
        {
            if (fs.DiskFull)
            {
                // A full disk often accepts part of a write before failing: leave a torn prefix behind.
                if (source.Length > 1) file.Write(offset, source[..(source.Length / 2)]);
                fs.Check(Path);
            }
            file.Write(offset, source);
        }

        public void Sync()
        {
            fs.Check(Path);
            file.Sync();
            Interlocked.Increment(ref fs.FileSyncs);
        }

        public void SetLength(long length) => file.SetLength(length);
        public void Dispose() => file.Dispose();
    }
}
