using System.Buffers;
using System.Text;
using CsCheck;
using Tarn.Connectors.Formats;
using Tarn.Execution.Streaming;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.Formats;

public class ChangelogEncoderTests
{
    private static readonly (string Name, DataType Type)[] Fields =
        [("id", DataType.Int), ("total", DataType.BigInt), ("name", DataType.String), ("flag", DataType.Boolean)];

    private static ChangeBatch Batch(List<(int? Id, long? Total, string? Name, bool? Flag, RowKind Kind)> rows)
    {
        var ids = new PrimitiveVector<int>(DataType.Int, rows.Count + 1);
        var totals = new PrimitiveVector<long>(DataType.BigInt, rows.Count + 1);
        var names = new BinaryVector(DataType.String, rows.Count + 1);
        var flags = new PrimitiveVector<bool>(DataType.Boolean, rows.Count + 1);
        foreach (var (id, total, name, flag, _) in rows)
        {
            if (id is { } i) ids.Append(i); else ids.AppendNull();
            if (total is { } t) totals.Append(t); else totals.AppendNull();
            if (name is { } n) names.Append(n); else names.AppendNull();
            if (flag is { } f) flags.Append(f); else flags.AppendNull();
        }
        return new ChangeBatch(new ColumnBatch([ids, totals, names, flags], rows.Count), rows.Select(r => (sbyte)r.Kind).ToArray());
    }

    private static List<string> Encode(string format, ChangeBatch batch)
    {
        var encoder = RowEncoders.CreateChange(new FormatOptions(format, new Dictionary<string, string>(), "test"),
            Fields.Select(f => f.Name).ToList(), Fields.Select(f => f.Type).ToList(), TimeZoneInfo.Utc);
        var messages = new List<string>();
        var buffer = new ArrayBufferWriter<byte>();
        for (var r = 0; r < batch.RowCount;)
        {
            buffer.ResetWrittenCount();
            r += encoder.Encode(batch, r, buffer, out var isNull);
            Assert.False(isNull);
            messages.Add(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        return messages;
    }

    [Theory]
    [InlineData("debezium-json")]
    [InlineData("canal-json")]
    public void Changes_encoded_then_decoded_are_the_same_changes(string format)
    {
        var text = Gen.String["ab \"\\\t\néß中"].Select(s => s.Length > 20 ? s[..20] : s);
        var row = Gen.Select(Gen.Int.Nullable(), Gen.Long.Nullable(), text.Null(), Gen.Bool.Nullable());
        // a changelog: inserts, deletes, and updates as -U immediately followed by its +U
        var change = Gen.Select(Gen.Int[0, 2], row, row).Select(c => c.Item1 switch
        {
            0 => new[] { (c.Item2, RowKind.Insert) },
            1 => [(c.Item2, RowKind.UpdateBefore), (c.Item3, RowKind.UpdateAfter)],
            _ => [(c.Item2, RowKind.Delete)],
        });
        change.List[0, 20].Sample(changes =>
        {
            var rows = changes.SelectMany(c => c).Select(c => (c.Item1.Item1, c.Item1.Item2, c.Item1.Item3, c.Item1.Item4, c.Item2)).ToList();
            var messages = Encode(format, Batch(rows));
            Assert.Equal(changes.Count, messages.Count); // an update is one message
            var kit = new FormatTestKit(format, Fields);
            foreach (var message in messages) kit.Decode(message);
            Assert.Equal(rows.Select(r => r.Item5).ToList(), kit.Kinds);
            Assert.Equal(rows.Select(r => new object?[] { r.Item1, r.Item2, r.Item3, r.Item4 }).ToList(), kit.Rows());
        });
    }

    [Fact]
    public void Lone_update_halves_are_written_as_a_delete_and_an_insert()
    {
        var batch = Batch([(1, 2, "a", true, RowKind.UpdateAfter), (1, 2, "a", true, RowKind.UpdateBefore)]);
        Assert.Equal(["""{"before":null,"after":{"id":1,"total":2,"name":"a","flag":true},"op":"c"}""", """{"before":{"id":1,"total":2,"name":"a","flag":true},"after":null,"op":"d"}"""],
            Encode("debezium-json", batch));
        Assert.Equal(["""{"data":[{"id":1,"total":2,"name":"a","flag":true}],"old":null,"type":"INSERT"}""", """{"data":[{"id":1,"total":2,"name":"a","flag":true}],"old":null,"type":"DELETE"}"""],
            Encode("canal-json", batch));
    }

    [Fact]
    public void Raw_writes_the_column_and_a_null_message_for_null()
    {
        var encoder = RowEncoders.CreateChange(new FormatOptions("raw", new Dictionary<string, string>(), "test"), ["line"], [DataType.String], TimeZoneInfo.Utc);
        var lines = new BinaryVector(DataType.String, 2);
        lines.Append("héllo, \"world\"");
        lines.AppendNull();
        var batch = new ChangeBatch(new ColumnBatch([lines], 2));
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Equal(1, encoder.Encode(batch, 0, buffer, out var isNull));
        Assert.False(isNull);
        var kit = new FormatTestKit("raw", [("line", DataType.String)]);
        kit.Decode(Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal([["héllo, \"world\""]], kit.Rows());
        encoder.Encode(batch, 1, buffer, out isNull);
        Assert.True(isNull);
        Assert.Equal("0A000", Assert.Throws<TarnException>(() => RowEncoders.CreateChange(new FormatOptions("raw", new Dictionary<string, string>(), "test"), ["n"], [DataType.Int], TimeZoneInfo.Utc)).SqlState);
        Assert.Equal("0A000", Assert.Throws<TarnException>(() => RowEncoders.CreateChange(new FormatOptions("protobuf", new Dictionary<string, string>(), "test"), ["n"], [DataType.Int], TimeZoneInfo.Utc)).SqlState);
    }
}
