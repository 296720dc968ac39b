namespace Tarn.Storage.Segments;

/// <summary>A segment image in memory (inline log rows, freshly built images, tests).</summary>
public sealed class MemorySegmentSource : ISegmentSource
{
    private readonly ReadOnlyMemory<byte> _bytes;

    public MemorySegmentSource(ReadOnlyMemory<byte> bytes, string name = "<memory>")
    {
        _bytes = bytes;
        Name = name;
    }

    public string Name { get; }
    public long Length => _bytes.Length;

    public void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > _bytes.Length)
            ThrowHelper.Corrupt(Name, $"read of {destination.Length} bytes at {offset} is outside the {_bytes.Length}-byte image");
        _bytes.Span.Slice((int)offset, destination.Length).CopyTo(destination);
    }

    public void Dispose()
    {
    }
}
