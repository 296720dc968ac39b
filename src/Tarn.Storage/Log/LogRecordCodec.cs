using Tarn.Storage.Format;
using Tarn.Storage.Tables;

namespace Tarn.Storage.Log;

/// <summary>Encodes and decodes commit-record payloads (storage-spec/05-log.md, "Record payload").</summary>
public static class LogRecordCodec
{
    public const byte OpCreateTable = 1;
    public const byte OpDropTable = 2;
    public const byte OpAlterSchema = 3;
    public const byte OpAppend = 4;
    public const byte OpReplace = 5;
    public const byte OpCatalog = 6;
    public const byte OpConsumer = 7;
    public const byte OpJobProgress = 8;

    private const byte PartInline = 1;
    private const byte PartFile = 2;
    private const int MaxOps = 1 << 20;
    private const int MaxParts = 1 << 20;

    public static void WritePayload(ByteWriter w, IReadOnlyList<LogOp> ops)
    {
        w.WriteVarUInt((ulong)ops.Count);
        var body = new ByteWriter();
        foreach (var op in ops)
        {
            body.Clear();
            var type = WriteOp(body, op);
            w.WriteByte(type);
            w.WriteBlob(body.WrittenSpan);
        }
    }

    private static byte WriteOp(ByteWriter w, LogOp op)
    {
        switch (op)
        {
            case CreateTableOp c:
                c.Layout.Write(w);
                return OpCreateTable;
            case DropTableOp d:
                w.WriteVarUInt((ulong)d.TableId);
                return OpDropTable;
            case AlterSchemaOp a:
                w.WriteVarUInt((ulong)a.TableId);
                SchemaCodec.WriteSchema(w, a.Schema);
                return OpAlterSchema;
            case AppendOp a:
                if (a.BaseOffset < 0) ThrowHelper.Internal("append written before its base offset was assigned");
                w.WriteVarUInt((ulong)a.TableId);
                w.WriteVarUInt((ulong)a.Bucket);
                w.WriteVarUInt((ulong)a.BaseOffset);
                w.WriteVarUInt((ulong)a.RowCount);
                w.WriteVarUInt((ulong)a.Parts.Count);
                foreach (var part in a.Parts)
                {
                    switch (part)
                    {
                        case InlineAppendPart i:
                            w.WriteByte(PartInline);
                            w.WriteBlob(i.Image.Span);
                            break;
                        case FileAppendPart f:
                            w.WriteByte(PartFile);
                            w.WriteVarUInt((ulong)f.SegmentId);
                            WritePartition(w, f.Partition);
                            w.WriteVarUInt((ulong)f.RowCount);
                            w.WriteVarInt(f.MinRelativeOffset);
                            w.WriteVarInt(f.MaxRelativeOffset);
                            w.WriteVarUInt((ulong)f.FileLength);
                            break;
                    }
                }
                return OpAppend;
            case ReplaceOp r:
                w.WriteVarUInt((ulong)r.TableId);
                w.WriteVarUInt((ulong)r.Added.Count);
                foreach (var e in r.Added) WriteSegmentEntry(w, e);
                w.WriteVarUInt((ulong)r.RemovedSegmentIds.Count);
                foreach (var id in r.RemovedSegmentIds) w.WriteVarUInt((ulong)id);
                w.WriteVarUInt((ulong)r.RemovedInline.Count);
                foreach (var i in r.RemovedInline)
                {
                    w.WriteVarUInt((ulong)i.Bucket);
                    w.WriteVarUInt((ulong)i.BaseOffset);
                }
                return OpReplace;
            case CatalogOp c:
                w.WriteBlob(c.Image.Span);
                return OpCatalog;
            case ConsumerOp c:
                w.WriteVarUInt((ulong)c.TableId);
                w.WriteString(c.Name);
                w.WriteBool(c.Offsets is not null);
                if (c.Offsets is not null)
                {
                    w.WriteVarUInt((ulong)c.Offsets.Length);
                    foreach (var o in c.Offsets) w.WriteVarUInt((ulong)o);
                }
                return OpConsumer;
            case JobProgressOp j:
                w.WriteString(j.JobId);
                w.WriteBool(j.Progress is not null);
                if (j.Progress is { } progress) w.WriteBlob(progress.Span);
                return OpJobProgress;
            default:
                ThrowHelper.Internal($"unknown log op {op.GetType().Name}");
                return 0;
        }
    }

    public static List<LogOp> ReadPayload(ReadOnlySpan<byte> payload, string source)
    {
        var r = new ByteReader(payload, source);
        var count = r.ReadCount(MaxOps);
        var ops = new List<LogOp>(count);
        for (var i = 0; i < count; i++)
        {
            var type = r.ReadByte();
            var body = r.ReadBlob();
            var br = new ByteReader(body, source);
            ops.Add(ReadOp(type, ref br));
            br.ExpectEnd();
        }
        r.ExpectEnd();
        return ops;
    }

    private static LogOp ReadOp(byte type, ref ByteReader r)
    {
        switch (type)
        {
            case OpCreateTable:
                return new CreateTableOp(TableLayout.Read(ref r));
            case OpDropTable:
                return new DropTableOp((long)r.ReadVarUInt());
            case OpAlterSchema:
                return new AlterSchemaOp((long)r.ReadVarUInt(), SchemaCodec.ReadSchema(ref r));
            case OpAppend:
            {
                var table = (long)r.ReadVarUInt();
                var bucket = r.ReadCount(TableLayout.MaxBuckets - 1);
                var baseOffset = ReadNonNegative(ref r);
                var rows = ReadNonNegative(ref r);
                var partCount = r.ReadCount(MaxParts);
                var parts = new AppendPart[partCount];
                for (var p = 0; p < partCount; p++)
                {
                    var kind = r.ReadByte();
                    parts[p] = kind switch
                    {
                        PartInline => new InlineAppendPart(r.ReadBlob().ToArray()),
                        PartFile => new FileAppendPart((long)r.ReadVarUInt(), ReadPartition(ref r), ReadNonNegative(ref r), r.ReadVarInt(), r.ReadVarInt(), ReadNonNegative(ref r)),
                        _ => ThrowHelper.Corrupt<AppendPart>(r.Source, $"unknown append part kind {kind}"),
                    };
                }
                return new AppendOp(table, bucket, rows, parts, baseOffset);
            }
            case OpReplace:
            {
                var table = (long)r.ReadVarUInt();
                var added = new SegmentEntry[r.ReadCount(MaxParts)];
                for (var i = 0; i < added.Length; i++) added[i] = ReadSegmentEntry(ref r);
                var removed = new long[r.ReadCount(MaxParts)];
                for (var i = 0; i < removed.Length; i++) removed[i] = (long)r.ReadVarUInt();
                var inline = new InlineRange[r.ReadCount(MaxParts)];
                for (var i = 0; i < inline.Length; i++) inline[i] = new InlineRange(r.ReadCount(TableLayout.MaxBuckets - 1), ReadNonNegative(ref r));
                return new ReplaceOp(table, added, removed, inline);
            }
            case OpCatalog:
                return new CatalogOp(r.ReadBlob().ToArray());
            case OpConsumer:
            {
                var table = (long)r.ReadVarUInt();
                var name = r.ReadString();
                long[]? offsets = null;
                if (r.ReadBool())
                {
                    offsets = new long[r.ReadCount(TableLayout.MaxBuckets)];
                    for (var i = 0; i < offsets.Length; i++) offsets[i] = ReadNonNegative(ref r);
                }
                return new ConsumerOp(table, name, offsets);
            }
            case OpJobProgress:
            {
                var job = r.ReadString();
                ReadOnlyMemory<byte>? progress = r.ReadBool() ? r.ReadBlob().ToArray() : null;
                return new JobProgressOp(job, progress);
            }
            default:
                throw new TarnException(SqlStates.FeatureNotSupported,
                    $"'{r.Source}' contains a log operation of type {type}, written by a newer version of Tarn") { FilePath = r.Source };
        }
    }

    private static long ReadNonNegative(ref ByteReader r)
    {
        var v = r.ReadVarUInt();
        if (v > long.MaxValue) ThrowHelper.Corrupt(r.Source, "offset or count out of range");
        return (long)v;
    }

    public static void WritePartition(ByteWriter w, PartitionKey key)
    {
        w.WriteVarUInt((ulong)key.Values.Length);
        foreach (var v in key.Values) w.WriteNullableString(v);
    }

    public static PartitionKey ReadPartition(ref ByteReader r)
    {
        var n = r.ReadCount(SchemaCodec.MaxColumns);
        if (n == 0) return PartitionKey.None;
        var values = new string?[n];
        for (var i = 0; i < n; i++) values[i] = r.ReadNullableString();
        return new PartitionKey(values);
    }

    public static void WriteSegmentEntry(ByteWriter w, SegmentEntry e)
    {
        w.WriteVarUInt((ulong)e.SegmentId);
        w.WriteVarUInt((ulong)e.Bucket);
        WritePartition(w, e.Partition);
        w.WriteVarUInt((ulong)e.RowCount);
        w.WriteVarUInt((ulong)e.BaseOffset);
        w.WriteVarUInt((ulong)e.MinOffset);
        w.WriteVarUInt((ulong)e.MaxOffset);
        w.WriteVarUInt((ulong)e.FileLength);
    }

    public static SegmentEntry ReadSegmentEntry(ref ByteReader r) => new(
        (long)r.ReadVarUInt(), r.ReadCount(TableLayout.MaxBuckets - 1), ReadPartition(ref r),
        ReadNonNegative(ref r), ReadNonNegative(ref r), ReadNonNegative(ref r), ReadNonNegative(ref r), ReadNonNegative(ref r));
}
