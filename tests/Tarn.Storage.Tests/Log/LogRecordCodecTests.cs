using CsCheck;
using Tarn.Storage.Format;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Storage.Tests.Log;

public class LogRecordCodecTests
{
    private static readonly Gen<PartitionKey> GenPartition =
        Gen.String[0, 8].Null().Array[0, 3].Select(v => v.Length == 0 ? PartitionKey.None : new PartitionKey(v));

    private static readonly Gen<LogOp> GenOp = Gen.OneOf<LogOp>(
        Gen.Long[1, 1000].Select(id => (LogOp)new DropTableOp(id)),
        Gen.Select(Gen.Long[1, 1000], Gen.Int[0, 7], Gen.Long[0, 1 << 40], Gen.Long[1, 100000], Gen.Byte.Array[1, 64],
            (t, b, o, n, img) => (LogOp)new AppendOp(t, b, n, [new InlineAppendPart(img)], o)),
        Gen.Select(Gen.Long[1, 1000], Gen.Long[1, 1 << 30], GenPartition, Gen.Long[1, 1 << 20], Gen.Long[0, 1 << 20],
            (t, seg, p, n, len) => (LogOp)new AppendOp(t, 0, n, [new FileAppendPart(seg, p, n, 0, n - 1, len)], 5)),
        Gen.Select(Gen.Long[1, 1000], Gen.Long[1, 1 << 30], GenPartition, Gen.Long[0, 100],
            (t, seg, p, n) => (LogOp)new ReplaceOp(t, [new SegmentEntry(seg, 1, p, n + 1, 0, n, 2 * n, 4096)], [seg + 1, seg + 2], [new InlineRange(0, n)])),
        Gen.Byte.Array[0, 100].Select(b => (LogOp)new CatalogOp(b)),
        Gen.Select(Gen.Long[1, 1000], Gen.String[1, 20], Gen.Long[0, 1 << 40].Array[1, 4].Null(),
            (t, n, o) => (LogOp)new ConsumerOp(t, n, o)));

    [Fact]
    [Trait("Spec", "LOG-003")]
    public void Payload_round_trips_every_operation()
    {
        GenOp.List[0, 6].Sample(ops =>
        {
            var w = new ByteWriter();
            LogRecordCodec.WritePayload(w, ops);
            var back = LogRecordCodec.ReadPayload(w.WrittenSpan, "test");
            Assert.Equal(Describe(ops), Describe(back));
        });
    }

    [Fact]
    public void Create_table_op_keeps_layout()
    {
        var schema = new Schema([new Column(0, "id", DataType.BigInt.WithNullable(false)), new Column(1, "d", DataType.Decimal(30, 5)), new Column(3, "ts", DataType.Timestamp(9))]);
        var layout = new TableLayout(7, schema, [3], 4, [0], [0]);
        var w = new ByteWriter();
        LogRecordCodec.WritePayload(w, [new CreateTableOp(layout)]);
        var back = (CreateTableOp)LogRecordCodec.ReadPayload(w.WrittenSpan, "t")[0];
        Assert.True(back.Layout.Schema.SameAs(schema));
        Assert.Equal(layout.PartitionColumnIds, back.Layout.PartitionColumnIds);
        Assert.Equal(4, back.Layout.BucketCount);
        Assert.Equal(layout.PrimaryKeyColumnIds, back.Layout.PrimaryKeyColumnIds);
    }

    [Fact]
    [Trait("Spec", "LOG-013")]
    public void Unknown_operation_type_is_refused_as_newer_version()
    {
        var w = new ByteWriter();
        w.WriteVarUInt(1);
        w.WriteByte(99);
        w.WriteBlob([1, 2, 3]);
        var e = Assert.Throws<TarnException>(() => LogRecordCodec.ReadPayload(w.WrittenSpan, "f.log"));
        Assert.Equal(SqlStates.FeatureNotSupported, e.SqlState);
    }

    [Fact]
    public void Truncated_payloads_are_corruption_never_other_exceptions()
    {
        GenOp.List[1, 4].Sample(ops =>
        {
            var w = new ByteWriter();
            LogRecordCodec.WritePayload(w, ops);
            var bytes = w.ToArray();
            for (var len = 0; len < bytes.Length; len++)
            {
                try
                {
                    LogRecordCodec.ReadPayload(bytes.AsSpan(0, len), "t");
                    Assert.Fail("a truncated payload was accepted");
                }
                catch (TarnException e)
                {
                    Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
                }
            }
        }, iter: 50);
    }

    private static string Describe(IEnumerable<LogOp> ops) => string.Join("|", ops.Select(Describe));

    private static string Describe(LogOp op) => op switch
    {
        AppendOp a => $"A{a.TableId},{a.Bucket},{a.BaseOffset},{a.RowCount}:" + string.Join(";", a.Parts.Select(p => p switch
        {
            InlineAppendPart i => "I" + Convert.ToHexString(i.Image.Span),
            FileAppendPart f => $"F{f.SegmentId},{f.Partition},{f.RowCount},{f.MinRelativeOffset},{f.MaxRelativeOffset},{f.FileLength}",
            _ => "?",
        })),
        CatalogOp c => "C" + Convert.ToHexString(c.Image.Span),
        ConsumerOp c => $"K{c.TableId},{c.Name},{(c.Offsets is null ? "null" : string.Join(",", c.Offsets))}",
        ReplaceOp r => $"R{r.TableId}:{string.Join(",", r.Added)}:{string.Join(",", r.RemovedSegmentIds)}:{string.Join(",", r.RemovedInline)}",
        _ => op.ToString(),
    };
}
