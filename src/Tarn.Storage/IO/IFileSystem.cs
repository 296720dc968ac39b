namespace Tarn.Storage.IO;

/// <summary>
/// Every byte Tarn persists goes through this interface, so tests can inject faults (I/O errors, a full disk,
/// lost unsynced writes) exactly where production code does its I/O.
/// </summary>
public interface IFileSystem
{
    /// <summary>Opens an existing file for reading (and writing if <paramref name="writable"/>).</summary>
    IStorageFile Open(string path, bool writable);

    /// <summary>Creates a new file; fails if it exists.</summary>
    IStorageFile Create(string path);

    bool FileExists(string path);
    bool DirectoryExists(string path);

    /// <summary>Creates a directory and any missing parents, making each new entry durable in its parent.</summary>
    void CreateDirectory(string path);

    void DeleteFile(string path);
    void DeleteDirectory(string path, bool recursive);

    /// <summary>Atomically replaces <paramref name="to"/> with <paramref name="from"/> (POSIX rename).</summary>
    void Rename(string from, string to);

    /// <summary>Makes creations, renames and deletions inside <paramref name="directory"/> durable (fsync of the directory).</summary>
    void SyncDirectory(string directory);

    IReadOnlyList<string> ListFiles(string directory, string searchPattern = "*");
    IReadOnlyList<string> ListDirectories(string directory);
}

/// <summary>A file opened through <see cref="IFileSystem"/>. Reads and writes are positional (pread/pwrite) and thread-safe.</summary>
public interface IStorageFile : IDisposable
{
    string Path { get; }
    long Length { get; }

    /// <summary>Reads up to <c>destination.Length</c> bytes at <paramref name="offset"/>; returns the count read (less only at end of file).</summary>
    int Read(long offset, Span<byte> destination);

    void Write(long offset, ReadOnlySpan<byte> source);

    /// <summary>Makes all written bytes durable (fdatasync).</summary>
    void Sync();

    void SetLength(long length);
}
