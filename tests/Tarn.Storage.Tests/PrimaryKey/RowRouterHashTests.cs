using System.Text;
using CsCheck;
using Tarn.Checksums;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.PrimaryKey;

/// <summary>
/// Bucket routing hashes strings and plain integers without building their canonical text; the bucket must be exactly
/// the one the canonical-text rule gives (files are found by it), for valid and invalid UTF-8, NULLs and dictionaries.
/// </summary>
public class RowRouterHashTests
{
    private static int Reference(ColumnVector[] columns, int row, int buckets)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var column in columns)
        {
            var text = CanonicalText.Format(column, row);
            if (text is null) crc = Crc32C.Update(crc, [0xFF]);
            else
            {
                crc = Crc32C.Update(crc, Encoding.UTF8.GetBytes(text));
                crc = Crc32C.Update(crc, [0x00]);
            }
        }
        return (int)((~crc) % (uint)buckets);
    }

    [Fact]
    public void Fast_hashing_gives_the_canonical_text_bucket()
    {
        var value = Gen.Select(Gen.Long, Gen.Byte.Array[0, 6], Gen.Int[0, 9]);
        value.Array[1, 40].Sample(values =>
        {
            var n = values.Length;
            var longs = new PrimitiveVector<long>(DataType.BigInt, n);
            var ints = new PrimitiveVector<int>(DataType.Int, n);
            var dates = new PrimitiveVector<int>(DataType.Date, n);
            var strings = new BinaryVector(DataType.String, n);
            foreach (var (l, bytes, nullFlag) in values)
            {
                if (nullFlag == 0) { longs.AppendNull(); ints.AppendNull(); dates.AppendNull(); strings.AppendNull(); continue; }
                longs.Append(l);
                ints.Append((int)l);
                dates.Append((int)(l % 100_000));
                // Mostly valid text, sometimes arbitrary bytes (invalid UTF-8 is hashed through its replacement text).
                if (nullFlag < 4) strings.Append(bytes); else strings.Append("k" + l.ToString(System.Globalization.CultureInfo.InvariantCulture) + "é");
            }
            var codes = Enumerable.Range(0, n).Select(i => (n - 1 - i)).ToArray();
            var dictionary = new DictionaryVector(strings, codes, n, null);
            var schema = new Schema([
                new Column(0, "l", DataType.BigInt), new Column(1, "i", DataType.Int), new Column(2, "d", DataType.Date),
                new Column(3, "s", DataType.String), new Column(4, "x", DataType.String)]);
            ColumnVector[] columns = [longs, ints, dates, strings, dictionary];
            var batch = new ColumnBatch(columns, n);
            foreach (var key in new[] { new[] { 0 }, [1], [2], [3], [4], [3, 0], [2, 1, 4] })
            {
                var layout = new TableLayout(1, schema, [], 7, key, []);
                var buckets = new int[n];
                new RowRouter(layout).RouteBuckets(batch, buckets);
                for (var r = 0; r < n; r++) Assert.Equal(Reference(key.Select(k => columns[k]).ToArray(), r, 7), buckets[r]);
            }
        });
    }
}
