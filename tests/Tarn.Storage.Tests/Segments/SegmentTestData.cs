using Tarn.Storage.Segments;
using Tarn.Storage.Tests.Encodings;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Segments;

/// <summary>Random schemas and batches for segment tests, plus helpers to read a whole segment back.</summary>
internal static class SegmentTestData
{
    public static Schema RandomSchema(Random rnd)
    {
        var count = rnd.Next(1, 9);
        var columns = new List<Column>();
        if (rnd.Next(2) == 0) columns.Add(new Column(-1, "$offset", DataType.BigInt.WithNullable(false)));
        for (var i = 0; i < count; i++)
        {
            var type = VectorGen.Types[rnd.Next(VectorGen.Types.Length)];
            if (rnd.Next(4) == 0) type = type.WithNullable(false);
            columns.Add(new Column(i * 3 + 1, $"c{i}_{type.Kind}", type));
        }
        return new Schema(columns);
    }

    /// <summary>A batch for <paramref name="schema"/>; $offset columns hold dense increasing values.</summary>
    public static ColumnBatch RandomBatch(Schema schema, int rows, Random rnd)
    {
        var columns = new ColumnVector[schema.Count];
        for (var c = 0; c < schema.Count; c++)
        {
            if (schema[c].Name == "$offset")
            {
                var offsets = new long[Math.Max(rows, 1)];
                for (var i = 0; i < rows; i++) offsets[i] = 1000 + i;
                columns[c] = new PrimitiveVector<long>(schema[c].Type, offsets, rows);
                continue;
            }
            var v = VectorGen.Build(schema[c].Type, rnd.Next(10), rows, (ulong)rnd.NextInt64());
            if (v is BinaryVector b && rnd.Next(3) == 0) v = ToDictionary(b);
            columns[c] = v;
        }
        return new ColumnBatch(columns, rows);
    }

    /// <summary>The same strings as a dictionary vector (what a scan of a dictionary chunk hands back).</summary>
    public static DictionaryVector ToDictionary(BinaryVector v)
    {
        var dictionary = new BinaryVector(v.Type, 16);
        var index = new Dictionary<string, int>();
        var codes = new int[Math.Max(v.Count, 1)];
        for (var i = 0; i < v.Count; i++)
        {
            if (v.IsNull(i)) continue;
            var key = Convert.ToHexString(v.GetBytes(i));
            if (!index.TryGetValue(key, out var code))
            {
                code = index.Count;
                index.Add(key, code);
                dictionary.Append(v.GetBytes(i));
            }
            codes[i] = code;
        }
        return new DictionaryVector(dictionary, codes, v.Count, v.Nulls);
    }

    public static SegmentImage Build(Schema schema, ColumnBatch batch, SegmentWriterOptions? options = null)
    {
        var builder = new SegmentBuilder(schema, options);
        builder.Append(batch);
        return builder.Finish();
    }

    /// <summary>Reads every chunk and compares it with <paramref name="expected"/>; throws what the reader throws.</summary>
    public static void ReadAndCompare(ReadOnlyMemory<byte> image, ColumnBatch expected, string name = "test.seg")
    {
        using var reader = SegmentReader.Open(new MemorySegmentSource(image, name));
        var footer = reader.Footer;
        Assert.Equal(expected.RowCount, footer.RowCount);
        // Every other row group decodes into the previous row group's vectors, as scans do.
        var previous = new ColumnVector?[footer.Schema.Count];
        for (var g = 0; g < footer.RowGroups.Count; g++)
        {
            var group = footer.RowGroups[g];
            for (var c = 0; c < footer.Schema.Count; c++)
            {
                var column = g % 2 == 1 ? reader.ReadColumn(g, c, previous[c]) : reader.ReadColumn(g, c);
                Assert.Equal(group.RowCount, column.Count);
                VectorAssert.SameValues(expected.Columns[c], column, checked((int)group.FirstRow));
                previous[c] = column;
            }
        }
    }
}
