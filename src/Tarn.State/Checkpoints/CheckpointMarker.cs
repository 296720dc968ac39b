using System.Buffers.Binary;
using System.Text;
using Tarn.Checksums;

namespace Tarn.State.Checkpoints;

/// <summary>One file of a checkpoint as recorded in its marker.</summary>
internal readonly record struct CheckpointFile(string RelativePath, long Length, uint Crc);

/// <summary>
/// Tarn's commit record of a FASTER checkpoint (storage-spec/07-state.md, "Checkpoint marker"). A checkpoint exists
/// for Tarn only once its marker is durable; the marker lists every file FASTER wrote for the checkpoint with its
/// length and CRC-32C, so a torn or damaged checkpoint is detected before FASTER reads it.
/// </summary>
internal sealed class CheckpointMarker
{
    private static ReadOnlySpan<byte> Magic => "TSCK"u8;
    private const ushort FormatVersion = 1;
    private const int HeaderSize = 64;
    private const int MaxFiles = 4096;
    private const int MaxPathBytes = 1024;
    public const int MaxMarkerBytes = 1 << 22;
    private const long FirstRecordAddress = 64;

    public required long Number { get; init; }
    public required Guid Token { get; init; }
    /// <summary>The FASTER version the checkpoint captured; recovery must report the same.</summary>
    public required long FasterVersion { get; init; }
    public required int PageSizeBits { get; init; }
    public required int SegmentSizeBits { get; init; }
    /// <summary>Start of the main log range the checkpoint reads (page-aligned log begin address).</summary>
    public required long LogBeginAddress { get; init; }
    /// <summary>End of the main log range the checkpoint reads: everything below was flushed to the segments.</summary>
    public required long LogEndAddress { get; init; }
    public required IReadOnlyList<CheckpointFile> Files { get; init; }

    /// <summary>Lists and checksums the files FASTER wrote for <paramref name="token"/>.</summary>
    public static List<CheckpointFile> DescribeFiles(StateLayout layout, Guid token)
    {
        var files = new List<CheckpointFile>();
        foreach (var folder in new[] { layout.IndexCheckpointFolder(token), layout.LogCheckpointFolder(token) })
        {
            if (!Directory.Exists(folder))
                ThrowHelper.Internal($"FASTER checkpoint folder '{folder}' is missing after the checkpoint completed");
            var paths = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
            Array.Sort(paths, StringComparer.Ordinal);
            foreach (var path in paths)
            {
                var (length, crc) = Checksum(path);
                files.Add(new CheckpointFile(layout.Relative(path), length, crc));
            }
        }
        return files;
    }

    /// <summary>
    /// Throws <see cref="SqlStates.DataCorrupted"/> naming the first file that is missing or differs, or the first log
    /// segment the checkpoint needs that is missing or too short. (Log segments are shared by checkpoints and keep
    /// changing above the checkpoint's range, so only their presence and length are checked, not their contents;
    /// FASTER itself would silently read a missing segment as zeros.)
    /// </summary>
    public void Verify(StateLayout layout)
    {
        VerifyLogSegments(layout);
        foreach (var file in Files)
        {
            var path = layout.Absolute(file.RelativePath);
            if (!File.Exists(path))
                ThrowHelper.Corrupt(path, $"file of state checkpoint #{Number} is missing");
            var (length, crc) = Checksum(path);
            if (length != file.Length)
                ThrowHelper.Corrupt(path, $"file of state checkpoint #{Number} has {length} bytes, its marker records {file.Length}");
            if (crc != file.Crc)
                ThrowHelper.Corrupt(path, $"file of state checkpoint #{Number} fails its CRC-32C check");
        }
    }

    private void VerifyLogSegments(StateLayout layout)
    {
        // Addresses below 64 hold no records (FASTER's first valid address), so a log that ends there has no file yet.
        if (LogEndAddress <= Math.Max(LogBeginAddress, FirstRecordAddress))
            return;
        var segmentSize = 1L << SegmentSizeBits;
        var last = (LogEndAddress - 1) >> SegmentSizeBits;
        for (var segment = LogBeginAddress >> SegmentSizeBits; segment <= last; segment++)
        {
            var path = layout.LogSegmentPath(segment);
            var needed = segment == last ? LogEndAddress - (segment << SegmentSizeBits) : segmentSize;
            var file = new FileInfo(path);
            if (!file.Exists)
                ThrowHelper.Corrupt(path, $"log segment needed by state checkpoint #{Number} is missing");
            if (file.Length < needed)
                ThrowHelper.Corrupt(path, $"log segment has {file.Length} bytes, state checkpoint #{Number} needs {needed}");
        }
    }

    public byte[] Serialize()
    {
        var size = HeaderSize + 4;
        foreach (var file in Files)
            size += 2 + Encoding.UTF8.GetByteCount(file.RelativePath) + 8 + 4;
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], Number);
        Token.TryWriteBytes(span.Slice(16, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], FasterVersion);
        span[40] = (byte)PageSizeBits;
        span[41] = (byte)SegmentSizeBits;
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], Files.Count);
        BinaryPrimitives.WriteInt64LittleEndian(span[48..], LogBeginAddress);
        BinaryPrimitives.WriteInt64LittleEndian(span[56..], LogEndAddress);
        var position = HeaderSize;
        foreach (var file in Files)
        {
            var pathLength = Encoding.UTF8.GetBytes(file.RelativePath, span[(position + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[position..], (ushort)pathLength);
            position += 2 + pathLength;
            BinaryPrimitives.WriteInt64LittleEndian(span[position..], file.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(position + 8)..], file.Crc);
            position += 12;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[position..], Crc32C.Compute(span[..position]));
        return bytes;
    }

    /// <summary>Parses a marker; anything malformed is <see cref="SqlStates.DataCorrupted"/> naming <paramref name="path"/>.</summary>
    public static CheckpointMarker Parse(ReadOnlySpan<byte> data, string path)
    {
        if (data.Length < HeaderSize + 4)
            ThrowHelper.Corrupt(path, $"state checkpoint marker has {data.Length} bytes, fewer than its fixed part");
        var body = data[..^4];
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]))
            ThrowHelper.Corrupt(path, "state checkpoint marker fails its CRC-32C check");
        if (!body[..4].SequenceEqual(Magic))
            ThrowHelper.Corrupt(path, "not a state checkpoint marker (bad magic)");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(body[4..]);
        if (version != FormatVersion)
            ThrowHelper.Corrupt(path, $"state checkpoint marker format version {version} is not supported");
        var number = BinaryPrimitives.ReadInt64LittleEndian(body[8..]);
        var token = new Guid(body.Slice(16, 16), bigEndian: true);
        var fasterVersion = BinaryPrimitives.ReadInt64LittleEndian(body[32..]);
        int pageSizeBits = body[40], segmentSizeBits = body[41];
        if (pageSizeBits is < 12 or > 30 || segmentSizeBits < pageSizeBits || segmentSizeBits > 40)
            ThrowHelper.Corrupt(path, $"state checkpoint marker records impossible page/segment size bits {pageSizeBits}/{segmentSizeBits}");
        var count = BinaryPrimitives.ReadInt32LittleEndian(body[44..]);
        if (count is < 0 or > MaxFiles)
            ThrowHelper.Corrupt(path, $"state checkpoint marker records {count} files");
        var logBegin = BinaryPrimitives.ReadInt64LittleEndian(body[48..]);
        var logEnd = BinaryPrimitives.ReadInt64LittleEndian(body[56..]);
        if (logBegin < 0 || logEnd < 0 || logEnd >> segmentSizeBits > int.MaxValue)
            ThrowHelper.Corrupt(path, $"state checkpoint marker records an impossible log range {logBegin}..{logEnd}");
        var files = new List<CheckpointFile>(count);
        var position = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            if (body.Length - position < 2)
                ThrowHelper.Corrupt(path, "state checkpoint marker ends inside its file list");
            int pathLength = BinaryPrimitives.ReadUInt16LittleEndian(body[position..]);
            position += 2;
            if (pathLength is 0 or > MaxPathBytes || body.Length - position < pathLength + 12)
                ThrowHelper.Corrupt(path, "state checkpoint marker ends inside its file list");
            var relative = Encoding.UTF8.GetString(body.Slice(position, pathLength));
            if (!IsSafeRelativePath(relative))
                ThrowHelper.Corrupt(path, $"state checkpoint marker names a file outside the state directory: '{relative}'");
            position += pathLength;
            var length = BinaryPrimitives.ReadInt64LittleEndian(body[position..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(body[(position + 8)..]);
            if (length < 0)
                ThrowHelper.Corrupt(path, $"state checkpoint marker records a negative file length for '{relative}'");
            position += 12;
            files.Add(new CheckpointFile(relative, length, crc));
        }
        if (position != body.Length)
            ThrowHelper.Corrupt(path, "state checkpoint marker has trailing bytes");
        return new CheckpointMarker
        {
            Number = number,
            Token = token,
            FasterVersion = fasterVersion,
            PageSizeBits = pageSizeBits,
            SegmentSizeBits = segmentSizeBits,
            LogBeginAddress = logBegin,
            LogEndAddress = logEnd,
            Files = files,
        };
    }

    public static CheckpointMarker Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > MaxMarkerBytes)
            ThrowHelper.Corrupt(path, $"state checkpoint marker has {stream.Length} bytes, more than any marker can");
        var data = new byte[stream.Length];
        stream.ReadExactly(data);
        return Parse(data, path);
    }

    private static bool IsSafeRelativePath(string relative) =>
        !Path.IsPathRooted(relative) && relative.StartsWith("checkpoints/", StringComparison.Ordinal) &&
        Array.IndexOf(relative.Split('/'), "..") < 0;

    private static (long Length, uint Crc) Checksum(string path)
    {
        // FASTER may still hold the newest snapshot file open, so share everything.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var crc = 0xFFFFFFFFu;
            long length = 0;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                crc = Crc32C.Update(crc, buffer.AsSpan(0, read));
                length += read;
            }
            return (length, ~crc);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
