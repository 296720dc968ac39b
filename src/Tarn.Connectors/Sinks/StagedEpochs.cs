using System.Buffers.Binary;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.State;
using Tarn.Checksums;
using Tarn.Storage.Format;
using Tarn.Storage.IO;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Sinks;

/// <summary>
/// A write-ahead area for an exactly-once sink whose target cannot join Tarn's commit (a SQLite file, a Kafka
/// cluster): an epoch's changes are written to <c>epoch-&lt;n&gt;.stage</c> and synced before the job commits the
/// epoch; once the commit is durable the sink applies them to the target together with a marker of the epoch, in
/// one target transaction, and deletes the file. After a crash, files up to the job's committed epoch are applied
/// again unless the target's marker shows they were; later files are deleted (the job replays those epochs).
/// <para>File layout (little-endian): magic <c>TSTG</c>, u32 version 1, i64 epoch, then blocks of [u32 row count,
/// row-count kind bytes, rows through <see cref="RowCodec"/>] as one u32-length-prefixed payload each, then a
/// trailing u32 CRC-32C of everything before it. A file whose checksum fails is corrupt and is reported, never applied.</para>
/// </summary>
public sealed class StagedEpochs
{
    private const uint Magic = 0x47545354; // "TSTG"
    private const uint Version = 1;
    private readonly IFileSystem _fs;
    private readonly string _directory;
    private readonly IReadOnlyList<DataType> _types;

    public StagedEpochs(string directory, IReadOnlyList<DataType> types, IFileSystem? fs = null)
    {
        _fs = fs ?? LocalFileSystem.Instance;
        _directory = directory;
        _types = types;
        _fs.CreateDirectory(directory);
    }

    private string FileOf(long epoch) => Path.Combine(_directory, $"epoch-{epoch:D20}.stage");

    /// <summary>Writes and syncs an epoch's changes (atomically: a torn write leaves no file).</summary>
    public void Stage(long epoch, IReadOnlyList<ChangeBatch> changes)
    {
        var w = new ByteWriter(4096);
        w.WriteUInt32(Magic);
        w.WriteUInt32(Version);
        w.WriteInt64(epoch);
        foreach (var batch in changes)
        {
            if (batch.RowCount == 0) continue;
            var lengthAt = w.Length;
            w.WriteUInt32(0);
            w.WriteInt32(batch.RowCount);
            for (var r = 0; r < batch.RowCount; r++) w.WriteByte((byte)batch.KindOf(r));
            for (var r = 0; r < batch.RowCount; r++) RowCodec.Write(w, batch.Rows, r);
            w.PatchUInt32(lengthAt, (uint)(w.Length - lengthAt - 4));
        }
        w.WriteUInt32(Crc32C.Compute(w.WrittenSpan));
        var final = FileOf(epoch);
        var temporary = final + ".tmp";
        if (_fs.FileExists(temporary)) _fs.DeleteFile(temporary);
        using (var file = _fs.Create(temporary))
        {
            file.Write(0, w.WrittenSpan);
            file.Sync();
        }
        _fs.Rename(temporary, final);
        _fs.SyncDirectory(_directory);
    }

    /// <summary>The staged epochs, oldest first.</summary>
    public IReadOnlyList<long> Epochs()
    {
        var epochs = new List<long>();
        foreach (var path in _fs.ListFiles(_directory, "epoch-*.stage"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (long.TryParse(name.AsSpan("epoch-".Length), out var epoch)) epochs.Add(epoch);
        }
        epochs.Sort();
        return epochs;
    }

    /// <summary>Reads a staged epoch back; throws XX001 when its checksum fails.</summary>
    public IReadOnlyList<ChangeBatch> Read(long epoch)
    {
        var path = FileOf(epoch);
        byte[] data;
        using (var file = _fs.Open(path, writable: false))
        {
            data = new byte[file.Length];
            if (file.Read(0, data) != data.Length) throw Corrupt(path, "is shorter than its length");
        }
        if (data.Length < 20) throw Corrupt(path, "is truncated");
        var body = data.AsSpan(0, data.Length - 4);
        if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4)) != Crc32C.Compute(body))
            throw Corrupt(path, "fails its checksum");
        var reader = new ByteReader(body, path);
        if (reader.ReadUInt32() != Magic || reader.ReadUInt32() != Version || reader.ReadInt64() != epoch)
            throw Corrupt(path, "has a wrong header");
        var batches = new List<ChangeBatch>();
        while (!reader.AtEnd)
        {
            var length = (int)reader.ReadUInt32();
            var block = new ByteReader(reader.ReadBytes(length), path);
            var rows = block.ReadInt32();
            var kinds = block.ReadBytes(rows).ToArray();
            var columns = RowCodec.NewColumns(_types, rows);
            for (var r = 0; r < rows; r++) RowCodec.ReadInto(ref block, columns);
            var insertOnly = Array.TrueForAll(kinds, k => k == 0);
            batches.Add(new ChangeBatch(new ColumnBatch(columns, rows), insertOnly ? null : (sbyte[])(Array)kinds));
        }
        return batches;
    }

    public void Delete(long epoch)
    {
        var path = FileOf(epoch);
        if (_fs.FileExists(path)) _fs.DeleteFile(path);
    }

    private static TarnException Corrupt(string path, string what) =>
        new(SqlStates.DataCorrupted, $"staged sink epoch file '{path}' {what}") { FilePath = path };
}
