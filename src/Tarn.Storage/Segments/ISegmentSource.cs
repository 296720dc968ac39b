namespace Tarn.Storage.Segments;

/// <summary>Random-access bytes of a segment: a file or an in-memory image. Reads must be thread-safe.</summary>
public interface ISegmentSource : IDisposable
{
    /// <summary>What errors name: a file path, or a description of an in-memory image.</summary>
    string Name { get; }

    long Length { get; }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; throws when the bytes are not there.</summary>
    void Read(long offset, Span<byte> destination);
}
