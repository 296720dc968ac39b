using System.Buffers.Binary;
using Tarn.Checksums;
using Tarn.Storage.Format;

namespace Tarn.Storage.Log;

/// <summary>Builds and checks the bytes of log file headers and record frames.</summary>
public static class LogFrames
{
    public static byte[] BuildHeader(Guid databaseId, long firstSeq)
    {
        var h = new byte[LogFormat.HeaderSize];
        LogFormat.Magic.CopyTo(h);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(8), LogFormat.Version);
        databaseId.TryWriteBytes(h.AsSpan(16));
        BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(32), firstSeq);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(LogFormat.HeaderCrcOffset), Crc32C.Compute(h.AsSpan(0, LogFormat.HeaderCrcOffset)));
        return h;
    }

    /// <summary>Validates a file header; returns null when valid, otherwise why not.</summary>
    public static string? CheckHeader(ReadOnlySpan<byte> h, Guid databaseId, long expectedFirstSeq, string source)
    {
        if (h.Length < LogFormat.HeaderSize) return "file is shorter than its header";
        if (BinaryPrimitives.ReadUInt32LittleEndian(h[LogFormat.HeaderCrcOffset..]) != Crc32C.Compute(h[..LogFormat.HeaderCrcOffset]))
            return "header checksum mismatch";
        if (!h[..8].SequenceEqual(LogFormat.Magic)) return "bad magic";
        var version = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
        if (version > LogFormat.Version)
            throw new TarnException(SqlStates.FeatureNotSupported, $"'{source}' has log format version {version}; this Tarn reads up to version {LogFormat.Version}. Upgrade Tarn to open this database.") { FilePath = source };
        if (new Guid(h.Slice(16, 16)) != databaseId) return "log file belongs to a different database";
        if (BinaryPrimitives.ReadInt64LittleEndian(h[32..]) != expectedFirstSeq) return "first sequence number does not match the file name";
        return null;
    }

    /// <summary>Appends one framed record to <paramref name="w"/>.</summary>
    public static void WriteFrame(ByteWriter w, long seq, long timestampMicros, IReadOnlyList<LogOp> ops)
    {
        var start = w.Length;
        w.WriteUInt32(0); // length, patched below
        w.WriteUInt32(0); // crc, patched below
        w.WriteInt64(seq);
        w.WriteInt64(timestampMicros);
        LogRecordCodec.WritePayload(w, ops);
        var payload = w.Length - start - LogFormat.FrameHeaderSize;
        if (payload > LogFormat.MaxPayload) ThrowHelper.Argument($"a single commit may hold at most {LogFormat.MaxPayload} bytes of inline data; use the appender for bulk loads");
        w.PatchUInt32(start, (uint)payload);
        var frame = w.Slice(start, w.Length - start);
        w.PatchUInt32(start + 4, FrameCrc(frame));
    }

    /// <summary>CRC of a frame: covers the length field and everything after the CRC field.</summary>
    public static uint FrameCrc(ReadOnlySpan<byte> frame) => Crc32C.Compute(frame[..4], frame[8..]);

    /// <summary>
    /// Tries to read a frame at the start of <paramref name="data"/>. Returns the frame length, or -1 if the bytes
    /// there are not a complete, checksum-valid frame.
    /// </summary>
    public static int TryReadFrame(ReadOnlySpan<byte> data, out long seq, out long timestamp, out ReadOnlySpan<byte> payload)
    {
        seq = 0; timestamp = 0; payload = default;
        if (data.Length < LogFormat.FrameHeaderSize) return -1;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length > LogFormat.MaxPayload || length > data.Length - LogFormat.FrameHeaderSize) return -1;
        var frame = data[..(LogFormat.FrameHeaderSize + (int)length)];
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) != FrameCrc(frame)) return -1;
        seq = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        timestamp = BinaryPrimitives.ReadInt64LittleEndian(data[16..]);
        payload = frame[LogFormat.FrameHeaderSize..];
        return frame.Length;
    }
}
