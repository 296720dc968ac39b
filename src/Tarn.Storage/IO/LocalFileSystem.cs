using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tarn.Storage.IO;

/// <summary>The real file system: positional I/O through <see cref="RandomAccess"/>, durability through fdatasync and directory fsync.</summary>
public sealed partial class LocalFileSystem : IFileSystem
{
    public static readonly LocalFileSystem Instance = new();

    public IStorageFile Open(string path, bool writable) => Wrap(path, () =>
        new LocalFile(path, File.OpenHandle(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)));

    public IStorageFile Create(string path) => Wrap(path, () =>
        new LocalFile(path, File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete)));

    public bool FileExists(string path) => File.Exists(path);
    public bool DirectoryExists(string path) => Directory.Exists(path);

    public void CreateDirectory(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full)) return;
        var parent = System.IO.Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent)) CreateDirectory(parent);
        Wrap(full, () => Directory.CreateDirectory(full));
        if (parent is not null) SyncDirectory(parent);
    }

    public void DeleteFile(string path) => Wrap(path, () => File.Delete(path));

    public void DeleteDirectory(string path, bool recursive)
    {
        if (Directory.Exists(path)) Wrap(path, () => Directory.Delete(path, recursive));
    }

    public void Rename(string from, string to) => Wrap(to, () => File.Move(from, to, overwrite: true));

    public void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return; // Windows has no directory fsync.
        var fd = Native.Open(directory, Native.O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC);
        if (fd < 0) throw IoError(directory, Marshal.GetLastPInvokeError(), "open directory");
        try
        {
            if (Native.FSync(fd) != 0) throw IoError(directory, Marshal.GetLastPInvokeError(), "fsync directory");
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }

    public IReadOnlyList<string> ListFiles(string directory, string searchPattern = "*") =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, searchPattern) : [];

    public IReadOnlyList<string> ListDirectories(string directory) =>
        Directory.Exists(directory) ? Directory.GetDirectories(directory) : [];

    private static T Wrap<T>(string path, Func<T> action)
    {
        try { return action(); }
        catch (IOException e) when (StorageErrors.IsDiskFull(e)) { throw StorageErrors.DiskFull(path, e); }
    }

    private static void Wrap(string path, Action action)
    {
        try { action(); }
        catch (IOException e) when (StorageErrors.IsDiskFull(e)) { throw StorageErrors.DiskFull(path, e); }
    }

    internal static TarnException IoError(string path, int errno, string what) =>
        errno == Native.ENOSPC
            ? StorageErrors.DiskFull(path, null)
            : new TarnException(SqlStates.IoError, $"I/O error during {what} of '{path}': errno {errno}") { FilePath = path };

    private sealed class LocalFile(string path, SafeFileHandle handle) : IStorageFile
    {
        public string Path { get; } = path;
        public long Length => RandomAccess.GetLength(handle);

        public int Read(long offset, Span<byte> destination)
        {
            var total = 0;
            while (total < destination.Length)
            {
                var n = RandomAccess.Read(handle, destination[total..], offset + total);
                if (n == 0) break;
                total += n;
            }
            return total;
        }

        public void Write(long offset, ReadOnlySpan<byte> source)
        {
            try { RandomAccess.Write(handle, source, offset); }
            catch (IOException e) when (StorageErrors.IsDiskFull(e)) { throw StorageErrors.DiskFull(Path, e); }
        }

        public void Sync()
        {
            if (OperatingSystem.IsLinux())
            {
                if (Native.FDataSync(handle) != 0) throw IoError(Path, Marshal.GetLastPInvokeError(), "fdatasync");
                return;
            }
            RandomAccess.FlushToDisk(handle);
        }

        public void SetLength(long length)
        {
            try { RandomAccess.SetLength(handle, length); }
            catch (IOException e) when (StorageErrors.IsDiskFull(e)) { throw StorageErrors.DiskFull(Path, e); }
        }

        public void Dispose() => handle.Dispose();
    }

    private static partial class Native
    {
        public const int O_RDONLY = 0;
        public const int ENOSPC = 28;
        public static readonly int O_DIRECTORY = OperatingSystem.IsMacOS() ? 0x100000 : 0x10000;
        public static readonly int O_CLOEXEC = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static partial int FSync(int fd);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        public static partial int Close(int fd);

        [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
        public static partial int FDataSync(SafeFileHandle fd);
    }
}
