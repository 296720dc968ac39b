using CsCheck;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Formats;
using Tarn.Execution.Formatting;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.FileSystem;

/// <summary>Rows of every column type, with NULLs, written as json lines or parquet and read back unchanged.</summary>
public class FileFormatRoundTripTests
{
    internal static readonly (string Name, DataType Type)[] Columns =
    [
        ("b", DataType.Boolean), ("ti", DataType.TinyInt), ("si", DataType.SmallInt), ("i", DataType.Int), ("bi", DataType.BigInt),
        ("f", DataType.Float), ("d", DataType.Double), ("dec", DataType.Decimal(9, 2)), ("wide", DataType.Decimal(25, 4)),
        ("s", DataType.String), ("v", DataType.Varchar(12)), ("bin", DataType.Bytes), ("dt", DataType.Date), ("t", DataType.Time(3)),
        ("ts3", DataType.Timestamp(3)), ("ts6", DataType.Timestamp(6)), ("ltz", DataType.TimestampLtz(6)), ("huge", DataType.Decimal(38, 6)),
    ];

    private static readonly string[] Names = [.. Columns.Select(c => c.Name)];
    private static readonly DataType[] Types = [.. Columns.Select(c => c.Type)];
    private const string TextChars = "ab é\"\\\n\t,{}∑'";

    /// <summary>A batch of <paramref name="rows"/> random rows (about one value in five NULL).</summary>
    internal static ColumnBatch RandomBatch(Random random, int rows)
    {
        var columns = new ColumnVector[Types.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var type = Types[c];
            var vector = ColumnVector.Create(type, Math.Max(rows, 1));
            for (var r = 0; r < rows; r++)
            {
                if (random.Next(5) == 0) { vector.AppendNull(); continue; }
                switch (vector)
                {
                    case PrimitiveVector<bool> v: v.Append(random.Next(2) == 1); break;
                    case PrimitiveVector<sbyte> v: v.Append((sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1)); break;
                    case PrimitiveVector<short> v: v.Append((short)random.Next(short.MinValue, short.MaxValue + 1)); break;
                    case PrimitiveVector<int> v when type.Kind == TypeKind.Date: v.Append(random.Next(-25_000, 80_000)); break;
                    case PrimitiveVector<int> v: v.Append(random.Next(int.MinValue, int.MaxValue)); break;
                    case PrimitiveVector<float> v: v.Append((float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 10)))); break;
                    case PrimitiveVector<double> v: v.Append((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30))); break;
                    case PrimitiveVector<Int128> v when type.Precision == 38: v.Append((Int128)random.NextInt64() * random.NextInt64(long.MinValue, long.MaxValue)); break;
                    case PrimitiveVector<Int128> v: v.Append((Int128)random.NextInt64(long.MinValue, long.MaxValue) * random.Next(1, 1_000_000)); break;
                    case PrimitiveVector<long> v:
                        v.Append(type.Kind switch
                        {
                            TypeKind.Decimal => random.NextInt64(-999_999_999, 1_000_000_000),
                            TypeKind.Time => random.NextInt64(0, 86_400_000L) * 1000,
                            TypeKind.Timestamp when type.Precision == 3 => random.NextInt64(-2_000_000_000_000, 4_000_000_000_000) * 1000,
                            TypeKind.Timestamp or TypeKind.TimestampLtz => random.NextInt64(-2_000_000_000_000_000, 4_000_000_000_000_000),
                            _ => random.NextInt64(long.MinValue, long.MaxValue),
                        });
                        break;
                    case BinaryVector v when type.IsString:
                    {
                        var chars = new char[random.Next(0, 13)];
                        for (var i = 0; i < chars.Length; i++) chars[i] = TextChars[random.Next(TextChars.Length)];
                        v.Append(new string(chars));
                        break;
                    }
                    case BinaryVector v:
                    {
                        var bytes = new byte[random.Next(0, 20)];
                        random.NextBytes(bytes);
                        v.Append(bytes);
                        break;
                    }
                }
            }
            columns[c] = vector;
        }
        return new ColumnBatch(columns, rows);
    }

    internal static List<string?[]> Texts(IEnumerable<ColumnBatch> batches)
    {
        var rows = new List<string?[]>();
        foreach (var batch in batches)
            for (var r = 0; r < batch.RowCount; r++)
                rows.Add([.. batch.Columns.Select(c => ValueFormatter.Format(c, r))]);
        return rows;
    }

    private static List<ColumnBatch> ReadAll(IFileBatchReader reader, int batchSize)
    {
        var batches = new List<ColumnBatch>();
        using (reader)
        {
            while (reader.ReadBatch(batchSize) is { } batch)
            {
                Assert.InRange(batch.RowCount, 1, batchSize);
                batches.Add(batch);
            }
        }
        return batches;
    }

    private static CsvColumnBuilder[] Builders(DataType[] types) => [.. types.Select(t => new CsvColumnBuilder(t, TimeZoneInfo.Utc, 16))];

    private static byte[] WriteJson(IEnumerable<ColumnBatch> batches, params (string Key, string Value)[] options)
    {
        var stream = new MemoryStream();
        var format = new FormatOptions("json", options.ToDictionary(o => o.Key, o => o.Value), "test");
        using (var writer = new TextFileWriter(stream, new JsonRowEncoder(format, Names, Types, TimeZoneInfo.Utc)))
        {
            foreach (var batch in batches) writer.Write(batch);
            writer.Finish();
        }
        return stream.ToArray();
    }

    private static List<ColumnBatch> ReadJson(byte[] bytes, int batchSize, params (string Key, string Value)[] options)
    {
        var builders = Builders(Types);
        var format = new FormatOptions("json", options.ToDictionary(o => o.Key, o => o.Value), "test");
        return ReadAll(new JsonLinesBatchReader(new MemoryStream(bytes), "t.json", format, Names, builders, builders), batchSize);
    }

    internal static byte[] WriteParquet(IEnumerable<ColumnBatch> batches, ParquetFormatOptions options)
    {
        var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, Names, Types, options, "test"))
        {
            foreach (var batch in batches) writer.Write(batch);
            writer.Finish();
        }
        return stream.ToArray();
    }

    [Fact]
    public void Random_rows_of_every_type_round_trip_through_json_lines()
    {
        Gen.Select(Gen.Int, Gen.Int[0, 3], Gen.Int[0, 40], Gen.Int[1, 17], Gen.Bool).Sample((seed, batchCount, rows, batchSize, iso) =>
        {
            var random = new Random(seed);
            var batches = Enumerable.Range(0, batchCount).Select(_ => RandomBatch(random, rows)).ToList();
            (string, string)[] options = iso ? [("timestamp-format.standard", "ISO-8601")] : [];
            var bytes = WriteJson(batches, options);
            Assert.Equal(Texts(batches), Texts(ReadJson(bytes, batchSize, options)));
        });
    }

    [Fact]
    public void Random_rows_of_every_type_round_trip_through_parquet_in_several_row_groups()
    {
        Gen.Select(Gen.Int, Gen.Int[0, 3], Gen.Int[0, 40], Gen.Int[1, 17], Gen.Int[1, 4000]).Sample((seed, batchCount, rows, batchSize, blockSize) =>
        {
            var random = new Random(seed);
            var batches = Enumerable.Range(0, batchCount).Select(_ => RandomBatch(random, rows)).ToList();
            var bytes = WriteParquet(batches, new ParquetFormatOptions(Parquet.CompressionMethod.Snappy, blockSize));
            var read = ReadAll(new ParquetBatchReader(new MemoryStream(bytes), "t.parquet", Names, Types, TimeZoneInfo.Utc), batchSize);
            Assert.Equal(Texts(batches), Texts(read));
        }, iter: 30);
    }

    [Fact]
    public void Parquet_reads_only_the_requested_columns_in_the_requested_order_and_nulls_for_missing_ones()
    {
        var random = new Random(7);
        var batch = RandomBatch(random, 25);
        var bytes = WriteParquet([batch], new ParquetFormatOptions(Parquet.CompressionMethod.None, ParquetFormatOptions.DefaultBlockSize));
        var read = ReadAll(new ParquetBatchReader(new MemoryStream(bytes), "t.parquet", ["S", "bi", "nope"], [DataType.String, DataType.BigInt, DataType.Int], TimeZoneInfo.Utc), 10);
        var expected = Texts([batch]).Select(r => new[] { r[9], r[4], null }).ToList();
        Assert.Equal(expected, Texts(read));
    }

    [Fact]
    public void Json_writes_flink_layout_and_leaves_out_nulls_when_asked()
    {
        var types = new[] { DataType.Int, DataType.String, DataType.Timestamp(3), DataType.TimestampLtz(3), DataType.Bytes, DataType.Decimal(5, 2), DataType.Double };
        var vectors = types.Select(t => ColumnVector.Create(t, 1)).ToArray();
        ((PrimitiveVector<int>)vectors[0]).Append(1);
        vectors[1].AppendNull();
        ((PrimitiveVector<long>)vectors[2]).Append(1_700_000_000_123_000);
        ((PrimitiveVector<long>)vectors[3]).Append(1_700_000_000_123_000);
        ((BinaryVector)vectors[4]).Append([1, 2, 3]);
        ((PrimitiveVector<long>)vectors[5]).Append(-150);
        ((PrimitiveVector<double>)vectors[6]).Append(double.NaN);
        var batch = new ColumnBatch(vectors, 1);
        string Encode(params (string, string)[] options)
        {
            var encoder = new JsonRowEncoder(new FormatOptions("json", options.ToDictionary(o => o.Item1, o => o.Item2), "test"), ["a", "b", "ts", "ltz", "bin", "dec", "x"], types, TimeZoneInfo.Utc);
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            encoder.Encode(batch, 0, output);
            return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
        }
        Assert.Equal("""{"a":1,"b":null,"ts":"2023-11-14 22:13:20.123","ltz":"2023-11-14 22:13:20.123Z","bin":"AQID","dec":-1.50,"x":"NaN"}""", Encode());
        Assert.Equal("""{"a":1,"ts":"2023-11-14T22:13:20.123","ltz":"2023-11-14T22:13:20.123Z","bin":"AQID","dec":-1.50,"x":"NaN"}""",
            Encode(("encode.ignore-null-fields", "true"), ("timestamp-format.standard", "ISO-8601")));
    }
}
