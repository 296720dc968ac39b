using System.Buffers.Binary;
using Tarn.Checksums;
using Tarn.Storage.IO;

namespace Tarn.Storage.Format;

/// <summary>
/// The <c>TARN</c> file at the root of a database directory (storage-spec/02-database-header.md): identifies the
/// directory as a Tarn database, records the format versions, and gives the database the id that every log and
/// manifest file must carry. Written once, when the database is created.
/// </summary>
public sealed record DatabaseHeader(ushort WriteVersion, ushort ReadVersion, Guid DatabaseId, long CreatedMicros)
{
    public const string FileName = "TARN";
    public const int Size = 64;
    public const ushort CurrentWriteVersion = 1;
    public const ushort CurrentReadVersion = 1;
    public static ReadOnlySpan<byte> Magic => "TARNDB\0\0"u8;

    // magic(8) writeVersion(2) readVersion(2) reserved(4) databaseId(16) createdMicros(8) reserved(20) crc(4)
    private const int CrcOffset = 60;

    public byte[] Encode()
    {
        var b = new byte[Size];
        Magic.CopyTo(b);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), WriteVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(10), ReadVersion);
        DatabaseId.TryWriteBytes(b.AsSpan(16));
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(32), CreatedMicros);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(CrcOffset), Crc32C.Compute(b.AsSpan(0, CrcOffset)));
        return b;
    }

    public static DatabaseHeader Decode(ReadOnlySpan<byte> b, string source)
    {
        if (b.Length != Size) ThrowHelper.Corrupt(source, $"database header has {b.Length} bytes, expected {Size}");
        if (!b[..8].SequenceEqual(Magic)) throw new TarnException(SqlStates.DataCorrupted, $"'{source}' is not a Tarn database header") { FilePath = source };
        if (BinaryPrimitives.ReadUInt32LittleEndian(b[CrcOffset..]) != Crc32C.Compute(b[..CrcOffset])) ThrowHelper.Corrupt(source, "database header checksum mismatch");
        var header = new DatabaseHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(b[8..]),
            BinaryPrimitives.ReadUInt16LittleEndian(b[10..]),
            new Guid(b.Slice(16, 16)),
            BinaryPrimitives.ReadInt64LittleEndian(b[32..]));
        if (header.ReadVersion > CurrentWriteVersion)
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"database '{Path.GetDirectoryName(source)}' needs Tarn format version {header.ReadVersion} to be read; this Tarn supports version {CurrentWriteVersion}") { FilePath = source };
        return header;
    }

    public static DatabaseHeader ReadOrCreate(IFileSystem fs, string directory, bool create)
    {
        var path = Path.Combine(directory, FileName);
        if (fs.FileExists(path))
        {
            using var f = fs.Open(path, writable: false);
            var len = (int)Math.Min(f.Length, Size + 1);
            var buf = new byte[len];
            f.Read(0, buf);
            return Decode(buf, path);
        }
        if (!create) throw new TarnException(SqlStates.UndefinedObject, $"'{directory}' is not a Tarn database") { FilePath = directory };
        var header = new DatabaseHeader(CurrentWriteVersion, CurrentReadVersion, Guid.NewGuid(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
        var temp = path + ".tmp";
        if (fs.FileExists(temp)) fs.DeleteFile(temp);
        using (var f = fs.Create(temp))
        {
            f.Write(0, header.Encode());
            f.Sync();
        }
        fs.Rename(temp, path);
        fs.SyncDirectory(directory);
        return header;
    }
}
