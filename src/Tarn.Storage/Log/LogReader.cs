using Tarn.Storage.IO;

namespace Tarn.Storage.Log;

/// <summary>Where writing continues after recovery.</summary>
public sealed record LogTail(string? FilePath, long FileFirstSeq, long ValidLength, long LastSeq);

/// <summary>
/// Replays the commit log on open (storage-spec/05-log.md, "Recovery"). A frame that fails its checksum at the
/// very end of the newest file is a torn, unacknowledged write: it is cut off. A bad frame anywhere else, or a
/// gap in the sequence, is corruption and the database refuses to open rather than silently drop commits.
/// </summary>
public static class LogReader
{
    public static LogTail Replay(IFileSystem fs, string directory, Guid databaseId, long afterSeq, Action<LogRecord> apply)
    {
        var files = ListLogFiles(fs, directory);
        long prevSeq = -1;
        LogTail tail = new(null, afterSeq + 1, 0, afterSeq);
        for (var fi = 0; fi < files.Count; fi++)
        {
            var (firstSeq, path) = files[fi];
            var isLast = fi == files.Count - 1;
            byte[] data;
            using (var f = fs.Open(path, writable: false))
            {
                var len = f.Length;
                if (len > int.MaxValue - 64) ThrowHelper.Corrupt(path, "log file is larger than any Tarn writes");
                data = new byte[len];
                if (f.Read(0, data) != len) ThrowHelper.Corrupt(path, "log file shrank while being read");
            }

            var headerProblem = LogFrames.CheckHeader(data, databaseId, firstSeq, path);
            if (headerProblem is not null)
            {
                // The header is synced before any record is written, so a bad header on a file that holds nothing
                // more than a header is a crash during file creation: nothing acknowledged can be in it.
                if (isLast && data.Length <= LogFormat.HeaderSize)
                {
                    fs.DeleteFile(path);
                    fs.SyncDirectory(directory);
                    break;
                }
                ThrowHelper.Corrupt(path, headerProblem);
            }

            if (prevSeq >= 0 && firstSeq != prevSeq + 1) ThrowHelper.Corrupt(path, $"log sequence gap: previous file ends at {prevSeq}, this file starts at {firstSeq}");
            if (prevSeq < 0 && firstSeq > afterSeq + 1) ThrowHelper.Corrupt(path, $"commits {afterSeq + 1} to {firstSeq - 1} are missing from the log");
            prevSeq = firstSeq - 1;

            var pos = LogFormat.HeaderSize;
            while (pos < data.Length)
            {
                var n = LogFrames.TryReadFrame(data.AsSpan(pos), out var seq, out var ts, out var payload);
                if (n < 0 || seq != prevSeq + 1)
                {
                    if (!isLast || HasValidFrameAfter(data, pos + 1, prevSeq))
                        ThrowHelper.Corrupt(path, $"damaged commit record at byte {pos} (after sequence {prevSeq}) followed by valid records");
                    // Torn tail: the write was never acknowledged (acknowledgement follows fsync). Cut it off.
                    using var w = fs.Open(path, writable: true);
                    w.SetLength(pos);
                    w.Sync();
                    data = data.AsSpan(0, pos).ToArray();
                    break;
                }
                if (seq > afterSeq) apply(new LogRecord(seq, ts, LogRecordCodec.ReadPayload(payload, path)));
                prevSeq = seq;
                pos += n;
            }
            tail = new LogTail(path, firstSeq, data.Length, Math.Max(prevSeq, afterSeq));
        }
        return tail;
    }

    private static bool HasValidFrameAfter(byte[] data, int from, long prevSeq)
    {
        for (var p = from; p + LogFormat.FrameHeaderSize <= data.Length; p++)
        {
            if (LogFrames.TryReadFrame(data.AsSpan(p), out var seq, out _, out _) > 0 && seq > prevSeq) return true;
        }
        return false;
    }

    public static List<(long FirstSeq, string Path)> ListLogFiles(IFileSystem fs, string directory)
    {
        var result = new List<(long, string)>();
        foreach (var path in fs.ListFiles(directory, "*.log"))
            if (LogFormat.TryParseFileName(path, out var first)) result.Add((first, path));
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }
}
