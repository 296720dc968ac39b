using Tarn.Storage.IO;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Engine;

/// <summary>Lets the segment reader read through <see cref="IFileSystem"/> (so fault injection covers reads too).</summary>
internal sealed class StorageFileSegmentSource(IStorageFile file) : ISegmentSource
{
    private readonly long _length = file.Length;

    public string Name => file.Path;
    public long Length => _length;

    public void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > _length) ThrowHelper.Corrupt(file.Path, $"read of {destination.Length} bytes at {offset} is outside the file");
        if (file.Read(offset, destination) != destination.Length) ThrowHelper.Corrupt(file.Path, "file ended early");
    }

    public void Dispose() => file.Dispose();
}
