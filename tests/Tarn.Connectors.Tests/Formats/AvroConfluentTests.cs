using System.Buffers;
using System.Buffers.Binary;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Formats;
using Tarn.Tests.Connectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.Formats;

/// <summary>avro-confluent against a tiny in-process schema registry: the encoder registers, the decoder resolves ids.</summary>
public sealed class AvroConfluentTests : IDisposable
{
    private readonly TestSchemaRegistry _registry = new();

    public void Dispose() => _registry.Dispose();

    private FormatOptions Options(params (string Key, string Value)[] extra)
    {
        var options = new Dictionary<string, string> { ["url"] = _registry.Url };
        foreach (var (k, v) in extra) options[k] = v;
        return new FormatOptions("avro-confluent", options, "test");
    }

    private static readonly string[] Names = ["id", "name"];
    private static readonly DataType[] Types = [DataType.BigInt.WithNullable(false), DataType.String];

    private static ColumnBatch Rows()
    {
        var id = new PrimitiveVector<long>(Types[0], 2);
        var name = new BinaryVector(Types[1], 2);
        id.Append(7);
        name.Append("seven");
        id.Append(8);
        name.AppendNull();
        return new ColumnBatch([id, name], 2);
    }

    [Fact]
    public void The_encoder_registers_the_derived_schema_and_the_decoder_reads_the_records_back()
    {
        var encoder = new AvroConfluentEncoder(Options(), Names, Types, "orders-value");
        var batch = Rows();
        var messages = new List<byte[]>();
        for (var r = 0; r < 2; r++)
        {
            var buffer = new ArrayBufferWriter<byte>();
            encoder.Encode(batch, r, buffer);
            messages.Add(buffer.WrittenSpan.ToArray());
        }
        Assert.Equal(encoder.SchemaJson, _registry.Subjects["orders-value"]);
        var id = _registry.Register("orders-value", encoder.SchemaJson);
        Assert.All(messages, m => Assert.Equal(id, BinaryPrimitives.ReadInt32BigEndian(m.AsSpan(1, 4))));

        var builders = Types.Select(t => (CsvColumnBuilder?)new CsvColumnBuilder(t, TimeZoneInfo.Utc, 2)).ToArray();
        var decoder = new AvroConfluentDecoder(Options(), Names, Types, builders);
        foreach (var m in messages)
        {
            Assert.Equal(1, decoder.Prepare(m, false));
            decoder.AppendRow(m, 0);
        }
        var ids = (PrimitiveVector<long>)builders[0]!.Finish(1);
        var names = builders[1]!.Finish(1);
        Assert.Equal([7L, 8L], ids.Span.ToArray());
        Assert.Equal("seven", names.GetValue(0));
        Assert.True(names.IsNull(1));
    }

    [Fact]
    public void A_subject_option_overrides_the_default_subject()
    {
        var encoder = new AvroConfluentEncoder(Options(("subject", "custom")), Names, Types, "orders-value");
        encoder.Encode(Rows(), 0, new ArrayBufferWriter<byte>());
        Assert.True(_registry.Subjects.ContainsKey("custom"));
        Assert.False(_registry.Subjects.ContainsKey("orders-value"));
    }

    [Fact]
    public void Writer_schemas_that_differ_are_resolved_by_avro_rules()
    {
        // Fields reordered, one added, one removed (the nullable name takes its default), id written as an int.
        var evolved = _registry.Register("x", """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"extra","type":"string"},{"name":"id","type":"int"}]}""");
        var builders = Types.Select(t => (CsvColumnBuilder?)new CsvColumnBuilder(t, TimeZoneInfo.Utc, 2)).ToArray();
        var decoder = new AvroConfluentDecoder(Options(), Names, Types, builders);
        byte[] message = [0, 0, 0, 0, (byte)evolved, 4, (byte)'h', (byte)'i', 84]; // extra "hi", id 42
        Assert.Equal(1, decoder.Prepare(message, false));
        decoder.AppendRow(message, 0);
        Assert.Equal(42L, builders[0]!.Finish(1).GetValue(0));
        Assert.True(builders[1]!.Finish(1).IsNull(0));

        // A writer schema without the NOT NULL id cannot be resolved.
        var noId = _registry.Register("y", """{"type":"record","name":"r","fields":[{"name":"name","type":"string"}]}""");
        var e = Assert.Throws<RowDecodeException>(() => decoder.Prepare([0, 0, 0, 0, (byte)noId, 0], false));
        Assert.Contains("'id'", e.Message, StringComparison.Ordinal);
        Assert.Throws<RowDecodeException>(() => decoder.Prepare([1, 2, 3], false)); // no registry header

        // With ignore-parse-errors both are skipped instead.
        var lenient = new AvroConfluentDecoder(Options(("ignore-parse-errors", "true")), Names, Types, [null, null]);
        Assert.Equal(-1, lenient.Prepare([0, 0, 0, 0, (byte)noId, 0], false));
        Assert.Equal(-1, lenient.Prepare([1, 2, 3], false));
        // A writer whose nullable union lists null second matches field for field (decoded directly).
        var swapped = _registry.Register("z", """{"type":"record","name":"r","fields":[{"name":"id","type":"long"},{"name":"name","type":["string","null"]}]}""");
        Assert.Equal(1, lenient.Prepare([0, 0, 0, 0, (byte)swapped, 2, 2], false)); // id 1, name NULL (branch 1)
    }

    [Fact]
    public void A_missing_url_and_unknown_options_are_rejected()
    {
        Assert.Equal("22023", Assert.Throws<TarnException>(() => new AvroConfluentDecoder(new FormatOptions("avro-confluent", new Dictionary<string, string>(), "t"), Names, Types, [null, null])).SqlState);
        Assert.Equal("22023", Assert.Throws<TarnException>(() => new AvroConfluentDecoder(Options(("schema", "{}")), Names, Types, [null, null])).SqlState);
    }
}
