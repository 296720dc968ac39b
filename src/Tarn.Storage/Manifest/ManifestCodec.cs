using System.Buffers.Binary;
using System.Collections.Immutable;
using Tarn.Checksums;
using Tarn.Storage.Engine;
using Tarn.Storage.Format;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;

namespace Tarn.Storage.Manifest;

/// <summary>Serializes a whole <see cref="StorageState"/> into a manifest file image and back (storage-spec/06-manifest.md).</summary>
public static class ManifestCodec
{
    private const int MaxTables = 1 << 20;
    private const int MaxItems = 1 << 26;

    public static byte[] Encode(StorageState state, Guid databaseId)
    {
        var w = new ByteWriter(4096);
        w.WriteBytes(ManifestFormat.Magic);
        var withJobs = state.Jobs.Count > 0;
        w.WriteUInt16(withJobs ? ManifestFormat.Version : ManifestFormat.VersionWithoutJobs);
        w.WriteUInt16(0);
        w.WriteUInt32(0);
        w.WriteGuid(databaseId);
        w.WriteInt64(state.Seq);

        w.WriteVarUInt((ulong)state.NextTableId);
        w.WriteVarUInt((ulong)state.NextSegmentId);
        w.WriteBlob(state.CatalogImage.Span);
        var tables = state.Tables.Values.OrderBy(t => t.TableId).ToList();
        w.WriteVarUInt((ulong)tables.Count);
        foreach (var t in tables)
        {
            t.Layout.Write(w);
            w.WriteVarUInt((ulong)t.Seq);
            foreach (var o in t.NextOffsets) w.WriteVarUInt((ulong)o);
            w.WriteVarUInt((ulong)t.LastSnapshotId);
            w.WriteVarUInt((ulong)t.Segments.Count);
            foreach (var s in t.Segments) LogRecordCodec.WriteSegmentEntry(w, s);
            w.WriteVarUInt((ulong)t.Inline.Count);
            foreach (var p in t.Inline)
            {
                w.WriteVarUInt((ulong)p.Bucket);
                w.WriteVarUInt((ulong)p.BaseOffset);
                w.WriteVarUInt((ulong)p.RowCount);
                w.WriteVarUInt((ulong)p.Seq);
                w.WriteBlob(p.Image.Span);
            }
            w.WriteVarUInt((ulong)t.Snapshots.Count);
            foreach (var s in t.Snapshots)
            {
                w.WriteVarUInt((ulong)s.SnapshotId);
                w.WriteVarUInt((ulong)s.Seq);
                w.WriteVarInt(s.TimestampMicros);
                foreach (var o in s.EndOffsets) w.WriteVarUInt((ulong)o);
                w.WriteVarUInt((ulong)s.RowsAdded);
            }
            w.WriteVarUInt((ulong)t.Consumers.Count);
            foreach (var (name, offsets) in t.Consumers.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                w.WriteString(name);
                foreach (var o in offsets) w.WriteVarUInt((ulong)o);
            }
        }
        if (withJobs)
        {
            w.WriteVarUInt((ulong)state.Jobs.Count);
            foreach (var (job, progress) in state.Jobs)
            {
                w.WriteString(job);
                w.WriteBlob(progress.Span);
            }
        }
        w.WriteUInt32(Crc32C.Compute(w.WrittenSpan));
        return w.ToArray();
    }

    /// <summary>Decodes and fully validates a manifest image. Throws corruption errors naming <paramref name="source"/>.</summary>
    public static StorageState Decode(ReadOnlySpan<byte> data, Guid databaseId, string source)
    {
        if (data.Length < ManifestFormat.HeaderSize + ManifestFormat.TrailerSize) ThrowHelper.Corrupt(source, "manifest is truncated");
        var body = data[..^ManifestFormat.TrailerSize];
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[^ManifestFormat.TrailerSize..]) != Crc32C.Compute(body))
            ThrowHelper.Corrupt(source, "manifest checksum mismatch");
        var r = new ByteReader(body, source);
        if (!r.ReadBytes(8).SequenceEqual(ManifestFormat.Magic)) ThrowHelper.Corrupt(source, "bad manifest magic");
        var version = r.ReadUInt16();
        if (version > ManifestFormat.Version)
            throw new TarnException(SqlStates.FeatureNotSupported, $"'{source}' has manifest version {version}; this Tarn reads up to version {ManifestFormat.Version}") { FilePath = source };
        if (r.ReadUInt16() != 0 || r.ReadUInt32() != 0) ThrowHelper.Corrupt(source, "reserved manifest header bytes are not zero");
        if (r.ReadGuid() != databaseId) ThrowHelper.Corrupt(source, "manifest belongs to a different database");
        var seq = r.ReadInt64();

        var nextTableId = (long)r.ReadVarUInt();
        var nextSegmentId = (long)r.ReadVarUInt();
        var catalog = r.ReadBlob().ToArray();
        var tableCount = r.ReadCount(MaxTables);
        var tables = ImmutableDictionary.CreateBuilder<long, TableVersion>();
        for (var ti = 0; ti < tableCount; ti++)
        {
            var layout = TableLayout.Read(ref r);
            var tableSeq = (long)r.ReadVarUInt();
            var next = new long[layout.BucketCount];
            for (var b = 0; b < next.Length; b++) next[b] = (long)r.ReadVarUInt();
            var lastSnapshot = (long)r.ReadVarUInt();
            var segments = ImmutableList.CreateBuilder<SegmentEntry>();
            var segCount = r.ReadCount(MaxItems);
            for (var i = 0; i < segCount; i++) segments.Add(LogRecordCodec.ReadSegmentEntry(ref r));
            var inline = ImmutableList.CreateBuilder<InlinePart>();
            var inlineCount = r.ReadCount(MaxItems);
            for (var i = 0; i < inlineCount; i++)
            {
                var bucket = r.ReadCount(layout.BucketCount - 1);
                var baseOffset = (long)r.ReadVarUInt();
                var rows = (long)r.ReadVarUInt();
                var partSeq = (long)r.ReadVarUInt();
                inline.Add(new InlinePart(bucket, baseOffset, rows, r.ReadBlob().ToArray(), partSeq));
            }
            var snapshots = ImmutableList.CreateBuilder<SnapshotInfo>();
            var snapCount = r.ReadCount(MaxItems);
            for (var i = 0; i < snapCount; i++)
            {
                var id = (long)r.ReadVarUInt();
                var sseq = (long)r.ReadVarUInt();
                var ts = r.ReadVarInt();
                var ends = new long[layout.BucketCount];
                for (var b = 0; b < ends.Length; b++) ends[b] = (long)r.ReadVarUInt();
                snapshots.Add(new SnapshotInfo(id, sseq, ts, ends, (long)r.ReadVarUInt()));
            }
            var consumers = ImmutableDictionary.CreateBuilder<string, ImmutableArray<long>>();
            var consumerCount = r.ReadCount(MaxItems);
            for (var i = 0; i < consumerCount; i++)
            {
                var name = r.ReadString();
                var offsets = new long[layout.BucketCount];
                for (var b = 0; b < offsets.Length; b++) offsets[b] = (long)r.ReadVarUInt();
                consumers[name] = ImmutableArray.Create(offsets);
            }
            tables[layout.TableId] = new TableVersion(layout, ImmutableArray.Create(next), segments.ToImmutable(), inline.ToImmutable(),
                snapshots.ToImmutable(), lastSnapshot, consumers.ToImmutable(), tableSeq);
        }
        var jobs = ImmutableSortedDictionary.CreateBuilder<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        if (version >= 2)
        {
            var jobCount = r.ReadCount(MaxItems);
            for (var i = 0; i < jobCount; i++)
            {
                var job = r.ReadString();
                jobs[job] = r.ReadBlob().ToArray();
            }
        }
        r.ExpectEnd();
        return new StorageState(seq, nextTableId, nextSegmentId, catalog, tables.ToImmutable(), jobs.ToImmutable());
    }
}
