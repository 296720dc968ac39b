using Microsoft.Win32.SafeHandles;

namespace Tarn.Storage.Segments;

/// <summary>A segment file read with positional reads (pread), so concurrent readers need no locking.</summary>
public sealed class FileSegmentSource : ISegmentSource
{
    private readonly SafeFileHandle _handle;

    public FileSegmentSource(string path)
    {
        Name = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.RandomAccess);
        Length = RandomAccess.GetLength(_handle);
    }

    public string Name { get; }
    public long Length { get; }

    public void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Length)
            ThrowHelper.Corrupt(Name, $"read of {destination.Length} bytes at {offset} is outside the {Length}-byte file");
        var done = 0;
        while (done < destination.Length)
        {
            var n = RandomAccess.Read(_handle, destination[done..], offset + done);
            if (n <= 0) ThrowHelper.Corrupt(Name, $"file ended at {offset + done}, expected {Length} bytes (truncated while open?)");
            done += n;
        }
    }

    public void Dispose() => _handle.Dispose();
}
