using System.Buffers;
using Avro;
using Avro.Generic;
using Avro.IO;
using CsCheck;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Formats;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.Formats;

/// <summary>The avro format's encoder and decoder: round trips of random rows, and agreement with Apache.Avro.</summary>
public sealed class AvroFormatTests
{
    private static readonly string[] Names = ["b", "t", "s", "i", "n", "l", "f", "d", "m", "w", "str", "by", "dt", "tm", "ts", "tz"];

    private static readonly DataType[] Types =
    [
        DataType.Boolean, DataType.TinyInt, DataType.SmallInt, DataType.Int, DataType.Int.WithNullable(false), DataType.BigInt,
        DataType.Float, DataType.Double, DataType.Decimal(10, 2), DataType.Decimal(30, 5), DataType.String, DataType.Bytes,
        DataType.Date, DataType.Time(3), DataType.Timestamp(3), DataType.TimestampLtz(6),
    ];

    private static readonly FormatOptions AvroOptions = new("avro", new Dictionary<string, string>(), "test");

    private static Gen<object?> ValueOf(DataType type)
    {
        Gen<object?> gen = type.Kind switch
        {
            TypeKind.Boolean => Gen.Bool.Select(v => (object?)v),
            TypeKind.TinyInt => Gen.SByte.Select(v => (object?)v),
            TypeKind.SmallInt => Gen.Short.Select(v => (object?)v),
            TypeKind.Int => Gen.Int.Select(v => (object?)v),
            TypeKind.BigInt => Gen.Long.Select(v => (object?)v),
            TypeKind.Float => Gen.Float.Select(v => (object?)v),
            TypeKind.Double => Gen.Double.Select(v => (object?)v),
            TypeKind.Decimal when type.Precision <= 18 => Gen.Long[-9_999_999_999, 9_999_999_999].Select(v => (object?)v),
            TypeKind.Decimal => Gen.Select(Gen.Long[-9_999_999_999_999_999, 9_999_999_999_999_999], Gen.ULong[0, 99_999_999_999_999]).Select((hi, lo) => (object?)((Int128)hi * 100_000_000_000_000 + (hi < 0 ? -(Int128)lo : lo))),
            TypeKind.Varchar => Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(v => (object?)v),
            TypeKind.Varbinary => Gen.Byte.Array[0, 20].Select(v => (object?)v),
            TypeKind.Date => Gen.Int[-719_000, 2_000_000].Select(v => (object?)v),
            TypeKind.Time => Gen.Long[0, 86_399_999].Select(v => (object?)(v * 1000)),
            TypeKind.Timestamp => Gen.Long[-62_000_000_000_000, 100_000_000_000_000].Select(v => (object?)(v * 1000)),
            _ => Gen.Long[-60_000_000_000_000_000, 60_000_000_000_000_000].Select(v => (object?)v),
        };
        return type.Nullable ? Gen.Frequency((1, Gen.Const((object?)null)), (4, gen)) : gen;
    }

    private static readonly Gen<object?[]> GenRow = RowGen();

    private static Gen<object?[]> RowGen()
    {
        var gen = Gen.Const(Array.Empty<object?>());
        foreach (var type in Types)
        {
            var value = ValueOf(type);
            gen = gen.SelectMany(values => value.Select(v => (object?[])[.. values, v]));
        }
        return gen;
    }

    private static void Append(ColumnVector v, object? value)
    {
        if (value is null) { v.AppendNull(); return; }
        switch (v)
        {
            case PrimitiveVector<bool> x: x.Append((bool)value); break;
            case PrimitiveVector<sbyte> x: x.Append((sbyte)value); break;
            case PrimitiveVector<short> x: x.Append((short)value); break;
            case PrimitiveVector<int> x: x.Append((int)value); break;
            case PrimitiveVector<long> x: x.Append((long)value); break;
            case PrimitiveVector<float> x: x.Append((float)value); break;
            case PrimitiveVector<double> x: x.Append((double)value); break;
            case PrimitiveVector<Int128> x: x.Append((Int128)value); break;
            case BinaryVector x when value is string s: x.Append(s); break;
            case BinaryVector x: x.Append((byte[])value); break;
        }
    }

    private static ColumnBatch Batch(IReadOnlyList<object?[]> rows)
    {
        var columns = Types.Select(t => ColumnVector.Create(t, rows.Count)).ToArray();
        foreach (var row in rows)
            for (var c = 0; c < columns.Length; c++) Append(columns[c], row[c]);
        return new ColumnBatch(columns, rows.Count);
    }

    private static string Cell(ColumnVector v, int row) => v.IsNull(row) ? "NULL"
        : v is BinaryVector b ? Convert.ToHexString(b.GetBytes(row))
        : Convert.ToString(v.GetValue(row), System.Globalization.CultureInfo.InvariantCulture)!;

    [Fact]
    public void Encoded_rows_decode_to_the_same_values()
    {
        GenRow.List[1, 20].Sample(rows =>
        {
            var batch = Batch(rows);
            var encoder = new AvroRowEncoder(Names, Types, "test");
            var builders = Types.Select(t => (CsvColumnBuilder?)new CsvColumnBuilder(t, TimeZoneInfo.Utc, rows.Count)).ToArray();
            var decoder = new AvroRowDecoder(AvroOptions, Names, Types, builders);
            for (var r = 0; r < rows.Count; r++)
            {
                var buffer = new ArrayBufferWriter<byte>();
                encoder.Encode(batch, r, buffer);
                Assert.Equal(1, decoder.Prepare(buffer.WrittenSpan, false));
                decoder.AppendRow(buffer.WrittenSpan, 0);
            }
            for (var c = 0; c < Types.Length; c++)
            {
                var decoded = builders[c]!.Finish(1);
                for (var r = 0; r < rows.Count; r++) Assert.Equal(Cell(batch[c], r), Cell(decoded, r));
            }
        });
    }

    [Fact]
    public void Apache_avro_reads_what_the_encoder_writes_with_the_derived_schema()
    {
        GenRow.List[1, 10].Sample(rows =>
        {
            var batch = Batch(rows);
            var encoder = new AvroRowEncoder(Names, Types, "test");
            var schema = (RecordSchema)Avro.Schema.Parse(encoder.SchemaJson);
            var reader = new GenericDatumReader<GenericRecord>(schema, schema);
            for (var r = 0; r < rows.Count; r++)
            {
                var buffer = new ArrayBufferWriter<byte>();
                encoder.Encode(batch, r, buffer);
                var stream = new MemoryStream(buffer.WrittenSpan.ToArray());
                var record = reader.Read(null!, new BinaryDecoder(stream));
                Assert.Equal(stream.Length, stream.Position);
                var row = rows[r];
                Assert.Equal(row[3], record["i"]);
                Assert.Equal(row[4], record["n"]);
                Assert.Equal(row[5], record["l"]);
                Assert.Equal(row[10], record["str"]);
                Assert.Equal(row[13] is long tm ? TimeSpan.FromMilliseconds(tm / 1000) : null, record["tm"]);
                Assert.Equal(row[14] is long ts ? DateTime.UnixEpoch.AddTicks(ts * 10) : null, record["ts"]);
                Assert.Equal(row[8] is long m ? new AvroDecimal(new System.Numerics.BigInteger(m), 2) : null, record["m"]);
            }
        });
    }

    [Fact]
    public void The_derived_schema_is_flinks()
    {
        var encoder = new AvroRowEncoder(["id", "price", "ts"], [DataType.BigInt.WithNullable(false), DataType.Decimal(10, 2), DataType.Timestamp(3)], "test");
        Assert.Equal(
            """{"type":"record","name":"record","namespace":"org.apache.flink.avro.generated","fields":[{"name":"id","type":"long"},{"name":"price","type":["null",{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}],"default":null},{"name":"ts","type":["null",{"type":"long","logicalType":"timestamp-millis"}],"default":null}]}""",
            encoder.SchemaJson);
        Assert.NotNull(Avro.Schema.Parse(encoder.SchemaJson));
    }

    [Fact]
    public void Malformed_messages_are_decode_errors()
    {
        var decoder = new AvroRowDecoder(AvroOptions, ["a", "b"], [DataType.Int, DataType.String], [null, null]);
        Assert.Equal(0, decoder.Prepare([], true)); // a tombstone has no row
        Assert.Throws<RowDecodeException>(() => decoder.Prepare([2, 4], false)); // b missing
        Assert.Throws<RowDecodeException>(() => decoder.Prepare([2, 4, 2, 10, 0x61], false)); // b's length exceeds the message
        Assert.Throws<RowDecodeException>(() => decoder.Prepare([4, 4, 0], false)); // union branch 2
        Assert.Throws<RowDecodeException>(() => decoder.Prepare([2, 4, 0, 7], false)); // a byte after the record
        Assert.Equal(1, decoder.Prepare([2, 4, 0], false));
    }

    [Fact]
    public void Format_options_the_encoder_and_decoder_cannot_honour_are_rejected()
    {
        FormatOptions With(string key, string value) => new("avro", new Dictionary<string, string> { [key] = value }, "t");
        Assert.Equal("0A000", Assert.Throws<TarnException>(() => new AvroRowEncoder(With("encoding", "json"), ["a"], [DataType.Int])).SqlState);
        Assert.Equal("0A000", Assert.Throws<TarnException>(() => new AvroRowDecoder(With("timestamp_mapping.legacy", "false"), ["a"], [DataType.Int], [null])).SqlState);
        Assert.Equal("22023", Assert.Throws<TarnException>(() => new AvroRowEncoder(With("no-such", "x"), ["a"], [DataType.Int])).SqlState);
        Assert.Equal("0A000", Assert.Throws<TarnException>(() => new AvroRowEncoder(AvroOptions, ["a"], [DataType.Array(DataType.Int)])).SqlState);
        Assert.NotNull(new AvroRowEncoder(With("encoding", "binary"), ["a"], [DataType.Int]).SchemaJson);
    }
}
