using Tarn.Storage.IO;

namespace Tarn.State.Internal;

/// <summary>
/// The fsync steps that make a checkpoint survive power loss. FASTER writes its data with write-through, but file
/// creations and renames live in directory entries, which only an fsync of the directory makes durable.
/// </summary>
internal static class DurableFiles
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
    public static void FlushDirectory(string directory) => LocalFileSystem.Instance.SyncDirectory(directory);
}
