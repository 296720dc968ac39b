using System.Text;
using CsCheck;
using Tarn.Storage.Segments;
using Tarn.Storage.Tests.Encodings;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Segments;

/// <summary>ARRAY columns: the value encoding (04-encodings.md §4.10), its order, and segments holding it (03-segment-file.md).</summary>
public class ArrayColumnTests
{
    private static readonly DataType[] ElementTypes =
    [
        DataType.Int, DataType.BigInt, DataType.SmallInt, DataType.TinyInt, DataType.Boolean, DataType.Double, DataType.Float,
        DataType.String, DataType.Bytes, DataType.Decimal(30, 2), DataType.Decimal(10, 2), DataType.Date, DataType.Timestamp(3),
        DataType.Array(DataType.Int), DataType.Array(DataType.Array(DataType.String)),
    ];

    /// <summary>A random element value in physical form (nested arrays encoded), or null.</summary>
    private static object? RandomValue(DataType t, Random rnd, int depth = 0)
    {
        if (rnd.Next(6) == 0) return null;
        return t.Kind switch
        {
            TypeKind.Array => ArrayValues.FromPhysical(RandomElements(t.Element!, rnd, depth + 1), t.Element!),
            TypeKind.Boolean => rnd.Next(2) == 1,
            TypeKind.TinyInt => (sbyte)rnd.Next(-128, 128),
            TypeKind.SmallInt => (short)rnd.Next(-32768, 32768),
            TypeKind.Int or TypeKind.Date => rnd.Next(3) == 0 ? rnd.Next(-3, 3) : rnd.Next(int.MinValue, int.MaxValue),
            TypeKind.BigInt or TypeKind.Timestamp => rnd.Next(3) == 0 ? (long)rnd.Next(-3, 3) : rnd.NextInt64(long.MinValue, long.MaxValue),
            TypeKind.Decimal when t.Precision > 18 => (Int128)rnd.NextInt64() * rnd.Next(-1000, 1000),
            TypeKind.Decimal => rnd.NextInt64(-999_999_999, 999_999_999),
            TypeKind.Float => rnd.Next(8) switch { 0 => float.NaN, 1 => -0.0f, 2 => float.NegativeInfinity, _ => (float)(rnd.NextDouble() * 200 - 100) },
            TypeKind.Double => rnd.Next(8) switch { 0 => double.NaN, 1 => -0.0, 2 => double.PositiveInfinity, _ => rnd.NextDouble() * 200 - 100 },
            TypeKind.Varbinary => RandomBytes(rnd),
            _ => Encoding.UTF8.GetString(RandomBytes(rnd)).Replace('\uFFFD', 'x'),
        };
    }

    private static byte[] RandomBytes(Random rnd)
    {
        var bytes = new byte[rnd.Next(0, 6)];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(rnd.Next(3) == 0 ? rnd.Next(0, 2) : rnd.Next(0, 256)); // many 0x00 (escaped) and 0x01
        return bytes;
    }

    private static object?[] RandomElements(DataType element, Random rnd, int depth = 0)
    {
        var n = depth > 2 ? 0 : rnd.Next(0, 5);
        var values = new object?[n];
        for (var i = 0; i < n; i++) values[i] = RandomValue(element, rnd, depth);
        return values;
    }

    /// <summary>Physical values as the encoding reads them back: -0.0 is +0.0, every NaN the canonical one.</summary>
    private static object? Canonical(object? v) => v switch
    {
        float f when float.IsNaN(f) => float.NaN,
        float f when f == 0 => 0f,
        double d when double.IsNaN(d) => double.NaN,
        double d when d == 0 => 0d,
        _ => v,
    };

    [Fact]
    [Trait("Spec", "ENC-050")]
    public void Encoding_round_trips_every_element_type()
    {
        Gen.Int[0, ElementTypes.Length - 1].Select(Gen.Int).Sample((t, seed) =>
        {
            var element = ElementTypes[t];
            var values = RandomElements(element, new Random(seed));
            var encoded = ArrayValues.FromPhysical(values, element);
            Assert.Equal(values.Length, ArrayValues.Validate(encoded, element));
            var decoded = ArrayValues.ToPhysical(encoded, element);
            Assert.Equal(values.Length, decoded.Length);
            for (var i = 0; i < values.Length; i++)
            {
                var expected = Canonical(values[i]);
                if (expected is byte[] b) Assert.Equal(b, (byte[])decoded[i]!);
                else if (expected is float or double) Assert.Equal(Convert.ToDouble(expected), Convert.ToDouble(decoded[i]));
                else Assert.Equal(expected, decoded[i]);
            }
            // Any strict prefix or extension of an encoding is not an array (it is self-delimiting).
            if (encoded.Length > 1) Assert.Equal(-1, ArrayValues.Validate(encoded.AsSpan(0, encoded.Length - 1), element));
            Assert.Equal(-1, ArrayValues.Validate([.. encoded, 0], element));
        }, iter: 2000);
    }

    /// <summary>SQL order of two arrays (PostgreSQL/DuckDB): element by element, a NULL element after every value, a prefix first.</summary>
    private static int ReferenceCompare(double?[] a, double?[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var (x, y) = (a[i], b[i]);
            if (x is null && y is null) continue;
            if (x is null) return 1;
            if (y is null) return -1;
            var c = double.IsNaN(x.Value) ? (double.IsNaN(y.Value) ? 0 : 1) : double.IsNaN(y.Value) ? -1 : x.Value.CompareTo(y.Value);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static readonly Gen<double?[]> SmallArrays = Gen.Int[-3, 3]
        .Select(i => i == 3 ? (double?)null : i == -3 ? double.NaN : i == 2 ? -0.0 : i * 1.5)
        .Array[0, 4];

    [Fact]
    [Trait("Spec", "ENC-051")]
    public void Byte_order_of_encodings_is_the_sql_order_of_arrays()
    {
        Gen.Select(SmallArrays, SmallArrays).Sample((a, b) =>
        {
            var expected = Math.Sign(ReferenceCompare(a, b));
            var ea = ArrayValues.FromPhysical([.. a.Select(x => (object?)x)], DataType.Double);
            var eb = ArrayValues.FromPhysical([.. b.Select(x => (object?)x)], DataType.Double);
            Assert.Equal(expected, Math.Sign(ea.AsSpan().SequenceCompareTo(eb)));
            // The same order holds for BIGINT elements and for strings of the digits (shorter string first).
            var ia = ArrayValues.FromPhysical([.. a.Select(x => x is null || double.IsNaN(x.Value) ? null : (object?)(long)(x.Value * 2))], DataType.BigInt);
            var ib = ArrayValues.FromPhysical([.. b.Select(x => x is null || double.IsNaN(x.Value) ? null : (object?)(long)(x.Value * 2))], DataType.BigInt);
            var ra = a.Select(x => x is null || double.IsNaN(x.Value) ? null : (double?)(long)(x.Value * 2)).ToArray();
            var rb = b.Select(x => x is null || double.IsNaN(x.Value) ? null : (double?)(long)(x.Value * 2)).ToArray();
            Assert.Equal(Math.Sign(ReferenceCompare(ra, rb)), Math.Sign(ia.AsSpan().SequenceCompareTo(ib)));
        }, iter: 5000);
    }

    [Fact]
    [Trait("Spec", "ENC-051")]
    public void Strings_with_zero_bytes_order_like_their_bytes()
    {
        Gen.Select(Gen.Byte[0, 2].Array[0, 4], Gen.Byte[0, 2].Array[0, 4]).Sample((x, y) =>
        {
            var ex = ArrayValues.FromPhysical([x], DataType.Bytes);
            var ey = ArrayValues.FromPhysical([y], DataType.Bytes);
            Assert.Equal(Math.Sign(x.AsSpan().SequenceCompareTo(y)), Math.Sign(ex.AsSpan().SequenceCompareTo(ey)));
        }, iter: 3000);
    }

    private static (Schema Schema, ColumnBatch Batch) ArrayBatch(int rows, int seed)
    {
        var schema = new Schema([
            new Column(-1, "$offset", DataType.BigInt.WithNullable(false)),
            new Column(0, "ints", DataType.Array(DataType.Int)),
            new Column(1, "texts", DataType.Array(DataType.String)),
            new Column(2, "nested", DataType.Array(DataType.Array(DataType.Decimal(30, 2)))),
        ]);
        var rnd = new Random(seed);
        var offsets = new PrimitiveVector<long>(schema[0].Type, rows);
        for (var i = 0; i < rows; i++) offsets.Append(i);
        var columns = new ColumnVector[] { offsets, null!, null!, null! };
        for (var c = 1; c < 4; c++)
        {
            var v = new BinaryVector(schema[c].Type, rows);
            for (var i = 0; i < rows; i++)
            {
                if (rnd.Next(7) == 0) v.AppendNull();
                else v.Append(ArrayValues.FromPhysical(RandomElements(schema[c].Type.Element!, new Random(rnd.Next())), schema[c].Type.Element!));
            }
            columns[c] = c == 2 && seed % 2 == 0 ? SegmentTestData.ToDictionary(v) : v;
        }
        return (schema, new ColumnBatch(columns, rows));
    }

    [Fact]
    [Trait("Spec", "SEG-012")]
    [Trait("Spec", "SEG-021")]
    [Trait("Spec", "ENC-050")]
    public void Segments_with_array_columns_round_trip_and_are_version_2()
    {
        Gen.Int[1, 400].Select(Gen.Int).Sample((rows, seed) =>
        {
            var (schema, batch) = ArrayBatch(rows, seed);
            var image = SegmentTestData.Build(schema, batch, new SegmentWriterOptions { RowGroupRows = 128, Compress = seed % 3 == 0 });
            var bytes = image.Bytes.ToArray();
            Assert.Equal(SegmentFormat.ArrayMajorVersion, BitConverter.ToUInt16(bytes, 4));
            using var reader = SegmentReader.Open(new MemorySegmentSource(bytes, "arrays.seg"));
            Assert.Equal(schema.Columns.Select(c => c.Type), reader.Footer.Schema.Columns.Select(c => c.Type));
            SegmentTestData.ReadAndCompare(bytes, batch);
            for (var g = 0; g < image.Footer.RowGroups.Count; g++)
            {
                var group = image.Footer.RowGroups[g];
                for (var c = 1; c < 4; c++) VectorAssert.StatsBound(batch.Columns[c], group.Chunks[c].Stats, (int)group.FirstRow, group.RowCount);
            }
        }, iter: 60);
    }

    [Fact]
    [Trait("Spec", "SEG-021")]
    public void Segments_without_arrays_stay_version_1_and_a_version_1_footer_may_not_name_an_array()
    {
        var plain = new Schema([new Column(0, "x", DataType.Int)]);
        var x = new PrimitiveVector<int>(DataType.Int, 1);
        x.Append(5);
        var v1 = SegmentTestData.Build(plain, new ColumnBatch([x], 1)).Bytes.ToArray();
        Assert.Equal(SegmentFormat.BaseMajorVersion, BitConverter.ToUInt16(v1, 4));

        var (schema, batch) = ArrayBatch(10, 1);
        var v2 = SegmentTestData.Build(schema, batch).Bytes.ToArray();
        var claimsV1 = SegmentPatcher.WithVersion(v2, 1, 0);
        var e = Assert.Throws<TarnException>(() => SegmentReader.Open(new MemorySegmentSource(claimsV1, "old.seg")));
        Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
        Assert.Contains("unknown type kind 20", e.Message);
    }

    [Fact]
    [Trait("Spec", "ENC-050")]
    [Trait("Spec", "SEG-009")]
    public void A_chunk_with_a_malformed_array_value_is_corrupt_even_with_a_valid_checksum()
    {
        var type = DataType.Array(DataType.Int);
        var schema = new Schema([new Column(0, "a", type)]);
        byte[][] malformed =
        [
            [],                                  // no end marker
            [0x01, 0x80, 0x00, 0x00],            // INT value cut short
            [0x03, 0x00],                        // unknown element marker
            [0x02, 0x00, 0x00],                  // bytes after the end marker
            [0x01, 0x80, 0x00, 0x00, 0x05],      // missing end marker after a value
        ];
        foreach (var bad in malformed)
        {
            var v = new BinaryVector(type, 3);
            v.Append(ArrayValues.FromPhysical([1, null], DataType.Int));
            v.Append(bad);
            var image = SegmentTestData.Build(schema, new ColumnBatch([v], 2)).Bytes.ToArray();
            using var reader = SegmentReader.Open(new MemorySegmentSource(image, "bad.seg"));
            var e = Assert.Throws<TarnException>(() => reader.ReadColumn(0, 0));
            Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
            Assert.Equal("bad.seg", e.FilePath);
        }
    }

    [Fact]
    [Trait("Spec", "SEG-008")]
    public void Every_flipped_byte_of_an_array_segment_is_detected()
    {
        var (schema, batch) = ArrayBatch(40, 3);
        var image = SegmentTestData.Build(schema, batch).Bytes.ToArray();
        for (var offset = 0; offset < image.Length; offset++)
        {
            var copy = (byte[])image.Clone();
            copy[offset] ^= (byte)(1 << (offset % 8));
            try
            {
                SegmentTestData.ReadAndCompare(copy, batch, "flip.seg");
            }
            catch (TarnException e) when (e.SqlState is SqlStates.DataCorrupted or SqlStates.FeatureNotSupported)
            {
                continue;
            }
            Assert.Fail($"a flipped bit at offset {offset} went unnoticed");
        }
    }
}
