namespace Tarn.Storage.Log;

/// <summary>Constants of the commit-log file format (storage-spec/05-log.md). Mirrors the spec's byte tables.</summary>
public static class LogFormat
{
    /// <summary>"TARNLOG" followed by a zero byte.</summary>
    public static ReadOnlySpan<byte> Magic => "TARNLOG\0"u8;
    public const ushort Version = 1;

    // File header: magic(8) version(2) flags(2) reserved(4) databaseId(16) firstSeq(8) crc(4)
    public const int HeaderSize = 44;
    public const int HeaderCrcOffset = 40;

    // Frame header: payloadLength(4) crc(4) seq(8) timestampMicros(8), then the payload.
    public const int FrameHeaderSize = 24;
    public const int MaxPayload = 1 << 30;

    /// <summary>A log file is closed and a new one started once it grows past this size.</summary>
    public const long DefaultRollBytes = 64L << 20;

    public static string FileName(long firstSeq) => $"{firstSeq:D20}.log";

    public static bool TryParseFileName(string path, out long firstSeq)
    {
        var name = Path.GetFileName(path);
        firstSeq = 0;
        return name.Length == 24 && name.EndsWith(".log", StringComparison.Ordinal) && long.TryParse(name.AsSpan(0, 20), out firstSeq);
    }
}
