using CsCheck;
using Tarn.Storage.Segments;
using Tarn.Storage.Tests.Encodings;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Segments;

public class SegmentRoundTripTests
{
    [Fact]
    [Trait("Spec", "SEG-012")]
    [Trait("Spec", "SEG-013")]
    [Trait("Spec", "SEG-014")]
    [Trait("Spec", "SEG-017")]
    public void Random_segments_read_back_exactly_with_bounding_statistics()
    {
        Gen.Select(Gen.ULong, Gen.Int[0, 2500], Gen.Int[1, 700], Gen.Bool).Sample((seed, rows, groupRows, compress) =>
        {
            var rnd = new Random((int)seed);
            var schema = SegmentTestData.RandomSchema(rnd);
            var source = SegmentTestData.RandomBatch(schema, rows, rnd);
            // Select a random subset in a random order for some appends.
            var selection = Enumerable.Range(0, rows).Where(_ => rnd.Next(8) != 0).OrderBy(_ => rnd.Next(3)).ToArray();
            var expected = source.Gather(selection);
            var builder = new SegmentBuilder(schema, new SegmentWriterOptions { RowGroupRows = groupRows, Compress = compress });
            var done = 0;
            while (done < selection.Length)
            {
                var piece = selection.AsSpan(done, Math.Min(selection.Length - done, rnd.Next(1, 900)));
                if (rnd.Next(2) == 0) builder.Append(source, piece);
                else builder.Append(source.Gather(piece));
                done += piece.Length;
                Assert.Equal(done, builder.RowCount);
            }
            var image = builder.Finish();
            SegmentTestData.ReadAndCompare(image.Bytes, expected);

            using var reader = SegmentReader.Open(new MemorySegmentSource(image.Bytes));
            var footer = reader.Footer;
            Assert.True(footer.Schema.SameAs(schema));
            Assert.Equal(selection.Length, footer.RowCount);
            Assert.Equal((selection.Length + groupRows - 1) / groupRows, footer.RowGroups.Count);
            long first = 0;
            foreach (var g in footer.RowGroups)
            {
                Assert.Equal(first, g.FirstRow);
                Assert.InRange(g.RowCount, 1, groupRows);
                for (var c = 0; c < schema.Count; c++)
                    VectorAssert.StatsBound(expected.Columns[c], g.Chunks[c].Stats, (int)g.FirstRow, g.RowCount);
                first += g.RowCount;
            }
            for (var c = 0; c < schema.Count; c++)
            {
                VectorAssert.StatsBound(expected.Columns[c], footer.ColumnStats(c), 0, selection.Length);
                if (footer.RowGroups.Count == 1) Assert.Same(footer.RowGroups[0].Chunks[c].Stats, footer.ColumnStats(c));
                Assert.Equal(image.Footer.ColumnStats(c).NullCount, footer.ColumnStats(c).NullCount);
            }
        }, iter: 150);
    }

    [Fact]
    [Trait("Spec", "SEG-019")]
    public void Dictionary_string_chunks_come_back_as_dictionary_vectors_and_others_flat()
    {
        var schema = Schema.Of(("status", DataType.String), ("id", DataType.BigInt));
        var status = new BinaryVector(DataType.String, 1000);
        var ids = new PrimitiveVector<long>(DataType.BigInt, 1000);
        for (var i = 0; i < 1000; i++)
        {
            status.Append(i % 3 == 0 ? "open" : "closed");
            ids.Append(i);
        }
        var image = SegmentTestData.Build(schema, new ColumnBatch([status, ids], 1000));
        using var reader = SegmentReader.Open(new MemorySegmentSource(image.Bytes));
        Assert.Equal(ChunkEncoding.Dictionary, reader.Footer.RowGroups[0].Chunks[0].Encoding);
        var d = Assert.IsType<DictionaryVector>(reader.ReadColumn(0, 0));
        Assert.Equal(["closed", "open"], [d.Dictionary.GetString(0), d.Dictionary.GetString(1)]);
        Assert.IsType<PrimitiveVector<long>>(reader.ReadColumn(0, 1));
        Assert.Equal(ChunkEncoding.Delta, reader.Footer.RowGroups[0].Chunks[1].Encoding);
    }

    [Fact]
    [Trait("Spec", "SEG-020")]
    public void An_empty_segment_has_no_row_groups()
    {
        var schema = Schema.Of(("a", DataType.Int));
        var image = new SegmentBuilder(schema).Finish();
        using var reader = SegmentReader.Open(new MemorySegmentSource(image.Bytes));
        Assert.Equal(0, reader.Footer.RowCount);
        Assert.Empty(reader.Footer.RowGroups);
        Assert.Equal(0, reader.Footer.ColumnStats(0).NullCount);
        // header 16 + footer (column count 1, column "a" 8, row count 1, row group count 1, CRC 4) + trailer 24
        Assert.Equal(16 + 15 + 24, image.Bytes.Length);
    }

    [Fact]
    public void A_one_row_image_stays_small()
    {
        var schema = new Schema([
            new Column(-1, "$offset", DataType.BigInt.WithNullable(false)),
            new Column(0, "id", DataType.BigInt), new Column(1, "name", DataType.String), new Column(2, "price", DataType.Double)]);
        var name = new BinaryVector(DataType.String, 1);
        name.Append("widget");
        var batch = new ColumnBatch([
            new PrimitiveVector<long>(schema[0].Type, [0L], 1), new PrimitiveVector<long>(DataType.BigInt, [42L], 1), name,
            new PrimitiveVector<double>(DataType.Double, [9.99], 1)], 1);
        var image = SegmentTestData.Build(schema, batch);
        // 40 bytes of header and trailer, 4 chunks of 12-byte header + ~10 bytes, a footer of ~100 bytes.
        Assert.InRange(image.Bytes.Length, 100, 230);
        SegmentTestData.ReadAndCompare(image.Bytes, batch);
    }

    [Fact]
    [Trait("Spec", "SEG-018")]
    public void Writers_reject_nulls_in_not_null_columns_and_mismatched_vectors()
    {
        var schema = Schema.Of(("a", DataType.Int.WithNullable(false)));
        var builder = new SegmentBuilder(schema);
        var withNull = new PrimitiveVector<int>(schema[0].Type, [1, 2], 2, [0, 1]);
        Assert.Equal(SqlStates.NotNullViolation, Assert.Throws<TarnException>(() => builder.Append(new ColumnBatch([withNull], 2))).SqlState);
        Assert.Equal(SqlStates.NotNullViolation, Assert.Throws<TarnException>(() => builder.Append(new ColumnBatch([withNull], 2), [1])).SqlState);
        builder.Append(new ColumnBatch([withNull], 2), [0]);
        var wrong = new PrimitiveVector<long>(DataType.BigInt, [1L], 1);
        Assert.Equal(SqlStates.DatatypeMismatch, Assert.Throws<TarnException>(() => builder.Append(new ColumnBatch([wrong], 1))).SqlState);
        Assert.Equal(1, builder.Finish().Footer.RowCount);
        Assert.Throws<InvalidOperationException>(() => builder.Finish());
        Assert.Equal(SqlStates.InvalidParameterValue,
            Assert.Throws<TarnException>(() => new SegmentBuilder(schema, new SegmentWriterOptions { RowGroupRows = 0 })).SqlState);
    }

    [Fact]
    [Trait("Spec", "SEG-011")]
    public void Lz4_is_kept_only_where_it_saves_an_eighth()
    {
        var rnd = new Random(9);
        var schema = Schema.Of(("text", DataType.String), ("noise", DataType.BigInt));
        var text = new BinaryVector(DataType.String, 5000);
        var noise = new PrimitiveVector<long>(DataType.BigInt, 5000);
        string[] words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
        for (var i = 0; i < 5000; i++)
        {
            text.Append(string.Join(' ', Enumerable.Range(0, 6).Select(_ => words[rnd.Next(words.Length)])) + i);
            noise.Append(rnd.NextInt64());
        }
        var batch = new ColumnBatch([text, noise], 5000);
        var image = SegmentTestData.Build(schema, batch);
        var chunks = image.Footer.RowGroups[0].Chunks;
        Assert.True(chunks[0].Compressed);
        Assert.False(chunks[1].Compressed);
        var plain = SegmentTestData.Build(schema, batch, new SegmentWriterOptions { Compress = false });
        Assert.True(chunks[0].Length <= plain.Footer.RowGroups[0].Chunks[0].Length * 7 / 8 + SegmentFormat.ChunkHeaderSize);
        SegmentTestData.ReadAndCompare(image.Bytes, batch);
        SegmentTestData.ReadAndCompare(plain.Bytes, batch);
    }

    [Fact]
    public void File_sources_read_concurrently()
    {
        var rnd = new Random(11);
        var schema = Schema.Of(("a", DataType.BigInt), ("b", DataType.String), ("c", DataType.Double));
        var batch = SegmentTestData.RandomBatch(schema, 20_000, rnd);
        var image = SegmentTestData.Build(schema, batch, new SegmentWriterOptions { RowGroupRows = 1000 });
        var path = Path.Combine(Path.GetTempPath(), $"tarn-seg-{Guid.NewGuid():N}.seg");
        File.WriteAllBytes(path, image.Bytes.ToArray());
        try
        {
            using var reader = SegmentReader.Open(new FileSegmentSource(path));
            Assert.Equal(path, reader.Name);
            Parallel.For(0, reader.Footer.RowGroups.Count * 3, i =>
            {
                var g = reader.Footer.RowGroups[i / 3];
                VectorAssert.SameValues(batch.Columns[i % 3], reader.ReadColumn(i / 3, i % 3), (int)g.FirstRow);
            });
        }
        finally
        {
            File.Delete(path);
        }
    }
}
