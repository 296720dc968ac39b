using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tarn.Storage.IO;

namespace Tarn.Server.Kafka.Groups;

/// <summary>One committed position of a group in a partition, as OffsetCommit sent it (metadata round-trips).</summary>
internal sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimeMs);

/// <summary>
/// Durable committed offsets: one file per consumer group under <c>&lt;database&gt;/kafka/groups/</c>, rewritten whole
/// on each commit (temporary file, fsync, rename, directory fsync) and protected by a CRC-32C. Layout:
/// storage-spec/12-kafka-groups.md. A directory of null keeps offsets in memory only.
/// </summary>
internal sealed class OffsetStore(string? directory)
{
    public const uint Magic = 0x4F474B54; // "TKGO" read as a little-endian u32
    public const uint Version = 1;
    private const int HeaderBytes = 12;
    private const int MaxFileBytes = 64 << 20;

    private readonly string? _directory = directory;

    public static OffsetStore ForDatabase(string databasePath) => new(Path.Combine(databasePath, "kafka", "groups"));

    public string? Directory => _directory;

    /// <summary>The file of a group: the first 32 hex digits of SHA-256 of its UTF-8 id (ids may hold any character).</summary>
    public string? PathOf(string groupId) =>
        _directory is null ? null : Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(groupId)))[..32] + ".offsets");

    /// <summary>Every stored group; a file that fails its checks is reported with a null offset map (not read).</summary>
    public List<(string Path, string? GroupId, Dictionary<(string Topic, int Partition), CommittedOffset>? Offsets, TarnException? Error)> LoadAll()
    {
        var result = new List<(string, string?, Dictionary<(string, int), CommittedOffset>?, TarnException?)>();
        if (_directory is null || !System.IO.Directory.Exists(_directory)) return result;
        foreach (var file in LocalFileSystem.Instance.ListFiles(_directory, "*.tmp")) LocalFileSystem.Instance.DeleteFile(file);
        foreach (var file in LocalFileSystem.Instance.ListFiles(_directory, "*.offsets"))
        {
            try
            {
                var info = new FileInfo(file);
                if (info.Length > MaxFileBytes) throw Corrupt(file, "file too large");
                var (group, offsets) = Decode(File.ReadAllBytes(file), file);
                result.Add((file, group, offsets, null));
            }
            catch (TarnException e)
            {
                result.Add((file, null, null, e));
            }
        }
        return result;
    }

    /// <summary>Replaces the group's file with these offsets, durably, before returning.</summary>
    public void Write(string groupId, IReadOnlyDictionary<(string Topic, int Partition), CommittedOffset> offsets)
    {
        var path = PathOf(groupId);
        if (path is null) return;
        var fs = LocalFileSystem.Instance;
        fs.CreateDirectory(_directory!);
        var bytes = Encode(groupId, offsets);
        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var file = fs.Create(tmp))
        {
            file.Write(0, bytes);
            file.Sync();
        }
        fs.Rename(tmp, path);
        fs.SyncDirectory(_directory!);
    }

    /// <summary>Removes the group's file, durably (the directory is fsynced), before returning (KGRP-005).</summary>
    public void Delete(string groupId)
    {
        var path = PathOf(groupId);
        if (path is null || !File.Exists(path)) return;
        LocalFileSystem.Instance.DeleteFile(path);
        LocalFileSystem.Instance.SyncDirectory(_directory!);
    }

    public static byte[] Encode(string groupId, IReadOnlyDictionary<(string Topic, int Partition), CommittedOffset> offsets)
    {
        var byTopic = new SortedDictionary<string, SortedDictionary<int, CommittedOffset>>(StringComparer.Ordinal);
        foreach (var ((topic, partition), committed) in offsets)
        {
            if (!byTopic.TryGetValue(topic, out var parts)) byTopic[topic] = parts = [];
            parts[partition] = committed;
        }
        var body = new List<byte>(64);
        PutString(body, groupId);
        PutVarUInt(body, (ulong)byTopic.Count);
        foreach (var (topic, parts) in byTopic)
        {
            PutString(body, topic);
            PutVarUInt(body, (ulong)parts.Count);
            foreach (var (partition, c) in parts)
            {
                PutVarUInt(body, (ulong)partition);
                PutVarInt(body, c.Offset);
                PutVarInt(body, c.LeaderEpoch);
                body.Add(c.Metadata is null ? (byte)0 : (byte)1);
                if (c.Metadata is not null) PutString(body, c.Metadata);
                PutVarInt(body, c.CommitTimeMs);
            }
        }
        var file = new byte[HeaderBytes + body.Count + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(file, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)body.Count);
        body.CopyTo(file, HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32C.Compute(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    /// <summary>Checks and decodes a file; any damage raises XX001 naming the file, never returns partial offsets.</summary>
    public static (string GroupId, Dictionary<(string Topic, int Partition), CommittedOffset> Offsets) Decode(ReadOnlySpan<byte> file, string path)
    {
        if (file.Length < HeaderBytes + 4) throw Corrupt(path, "file too short");
        if (BinaryPrimitives.ReadUInt32LittleEndian(file) != Magic) throw Corrupt(path, "bad magic");
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(file[^4..]);
        if (Crc32C.Compute(file[..^4]) != stored) throw Corrupt(path, "checksum mismatch");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        if (version != Version)
            throw new TarnException(SqlStates.FeatureNotSupported, $"Kafka group offsets file '{path}' has version {version}; this engine reads version {Version}") { FilePath = path };
        var bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        if (bodyLength != (uint)(file.Length - HeaderBytes - 4)) throw Corrupt(path, "length mismatch");
        var r = new BodyReader(file[HeaderBytes..^4], path);
        var group = r.String();
        var offsets = new Dictionary<(string, int), CommittedOffset>();
        var topics = r.Count();
        for (var t = 0; t < topics; t++)
        {
            var topic = r.String();
            var parts = r.Count();
            for (var p = 0; p < parts; p++)
            {
                var partition = r.VarUInt();
                if (partition > int.MaxValue) throw Corrupt(path, "partition out of range");
                var offset = r.VarInt();
                var epoch = r.VarInt();
                if (epoch is < int.MinValue or > int.MaxValue) throw Corrupt(path, "leader epoch out of range");
                var present = r.Byte();
                if (present > 1) throw Corrupt(path, "bad bool");
                var metadata = present == 1 ? r.String() : null;
                var time = r.VarInt();
                offsets[(topic, (int)partition)] = new CommittedOffset(offset, (int)epoch, metadata, time);
            }
        }
        if (!r.AtEnd) throw Corrupt(path, "trailing bytes");
        return (group, offsets);
    }

    private static TarnException Corrupt(string path, string what) =>
        new(SqlStates.DataCorrupted, $"Kafka group offsets file '{path}' is corrupt: {what}") { FilePath = path };

    private static void PutVarUInt(List<byte> b, ulong v)
    {
        while (v >= 0x80)
        {
            b.Add((byte)(v | 0x80));
            v >>= 7;
        }
        b.Add((byte)v);
    }

    private static void PutVarInt(List<byte> b, long v) => PutVarUInt(b, (ulong)((v << 1) ^ (v >> 63)));

    private static void PutString(List<byte> b, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        PutVarUInt(b, (ulong)bytes.Length);
        b.AddRange(bytes);
    }

    private ref struct BodyReader(ReadOnlySpan<byte> data, string path)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(false, true);
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        public readonly bool AtEnd => _pos == _data.Length;

        public byte Byte()
        {
            if (_pos >= _data.Length) throw Corrupt(path, "truncated");
            return _data[_pos++];
        }

        public ulong VarUInt()
        {
            ulong v = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                var b = Byte();
                v |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw Corrupt(path, "varint too long");
        }

        public long VarInt()
        {
            var v = VarUInt();
            return (long)(v >> 1) ^ -(long)(v & 1);
        }

        /// <summary>A count, bounded by the bytes left (each element takes at least one byte).</summary>
        public int Count()
        {
            var n = VarUInt();
            if (n > (ulong)(_data.Length - _pos)) throw Corrupt(path, "count exceeds the file");
            return (int)n;
        }

        public string String()
        {
            var n = Count();
            var s = _data.Slice(_pos, n);
            _pos += n;
            try
            {
                return StrictUtf8.GetString(s);
            }
            catch (DecoderFallbackException)
            {
                throw Corrupt(path, "invalid UTF-8");
            }
        }
    }
}
