using System.Runtime.InteropServices;

namespace Tarn.State.Internal;

/// <summary>
/// The fsync steps that make a checkpoint survive power loss. FASTER writes its data with write-through, but file
/// creations and renames live in directory entries, which only an fsync of the directory makes durable.
/// </summary>
internal static partial class DurableFiles
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> so that a crash leaves either the old file
    /// (or none) or the complete new one: write a temporary file, fsync it, rename it over, fsync the directory.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> contents)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Makes the entries of <paramref name="directory"/> (created, renamed, deleted files) durable.</summary>
    public static void FlushDirectory(string directory)
    {
        // Windows has no directory fsync; NTFS journals metadata itself.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
            return;
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
            throw new TarnException(SqlStates.IoError, $"cannot open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()})") { FilePath = directory };
        try
        {
            if (Fsync(fd) != 0)
                throw new TarnException(SqlStates.IoError, $"cannot flush directory '{directory}' (errno {Marshal.GetLastPInvokeError()})") { FilePath = directory };
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
