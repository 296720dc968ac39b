using CsCheck;
using Tarn.Catalog.Model;
using Tarn.Connectors.DataGen;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.DataGen;

public class DataGenGeneratorTests
{
    private static readonly ColumnDef[] Columns =
    [
        new(0, "id", DataType.BigInt), new(1, "small", DataType.SmallInt), new(2, "price", DataType.Decimal(10, 2)),
        new(3, "name", DataType.String), new(4, "code", DataType.Char(4)), new(5, "ratio", DataType.Double),
        new(6, "flag", DataType.Boolean), new(7, "ts", DataType.Timestamp(3)), new(8, "day", DataType.Date),
        new(9, "blob", DataType.Bytes), new(10, "seq", DataType.Int),
    ];

    private static DataGenTable Table(ulong seed, params (string Key, string Value)[] options)
    {
        var all = new Dictionary<string, string> { ["connector"] = "datagen", ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (k, v) in options) all[k] = v;
        return DataGenTable.From(new TableDef("t", 0, Columns, [], [], null, all, null));
    }

    private static readonly (string, string)[] Spec =
    [
        ("fields.id.min", "-5"), ("fields.id.max", "5"), ("fields.small.null-rate", "0.3"), ("fields.price.min", "1.5"), ("fields.price.max", "9.99"),
        ("fields.name.length", "20"), ("fields.name.var-len", "true"), ("fields.ratio.min", "0"), ("fields.ratio.max", "1"),
        ("fields.ts.max-past", "5 s"), ("fields.blob.length", "3"), ("fields.seq.kind", "sequence"), ("fields.seq.start", "10"), ("fields.seq.end", "1009"),
    ];

    private static List<object?[]> Rows(IEnumerable<ColumnBatch> batches)
    {
        var rows = new List<object?[]>();
        foreach (var b in batches)
            for (var r = 0; r < b.RowCount; r++)
            {
                var row = new object?[b.ColumnCount];
                for (var c = 0; c < row.Length; c++) row[c] = b.Columns[c].GetValue(r) is byte[] bytes ? Convert.ToHexString(bytes) : b.Columns[c].GetValue(r);
                rows.Add(row);
            }
        return rows;
    }

    [Fact]
    public void A_row_is_the_same_however_rows_are_batched_and_whichever_columns_are_read()
    {
        Gen.Select(Gen.ULong[0, 5], Gen.Int[1, 90].Array[1, 12], Gen.Int[0, 10].Array[1, 6]).Sample((seed, sizes, projection) =>
        {
            var table = Table(seed, Spec);
            var all = Enumerable.Range(0, Columns.Length).ToArray();
            var whole = table.Generator(all);
            var expected = Rows([whole.Generate(0, sizes.Sum())]);
            var split = table.Generator(all);
            Assert.True(split.TryRebase(whole.BaseTimeMillis));
            var batches = new List<ColumnBatch>();
            long next = 0;
            foreach (var size in sizes) { batches.Add(split.Generate(next, size)); next += size; }
            Assert.Equal(expected, Rows(batches));

            var projected = table.Generator(projection);
            Assert.True(projected.TryRebase(whole.BaseTimeMillis));
            var got = Rows([projected.Generate(0, sizes.Sum())]);
            Assert.Equal(expected.Select(r => projection.Select(c => r[c]).ToArray()).ToList(), got);
        }, iter: 40);
    }

    [Fact]
    public void Values_respect_the_field_options()
    {
        var table = Table(7, Spec);
        Assert.Equal(1000, table.Limit); // the sequence 10..1009 bounds the table
        var generator = table.Generator(Enumerable.Range(0, Columns.Length).ToArray());
        var rows = Rows([generator.Generate(0, 1000)]);
        var baseTime = DateTimeOffset.FromUnixTimeMilliseconds(generator.BaseTimeMillis).UtcDateTime;
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            Assert.InRange((long)r[0]!, -5, 5);
            Assert.InRange((decimal)r[2]!, 1.5m, 9.99m);
            Assert.InRange(((string)r[3]!).Length, 1, 20);
            Assert.Matches("^[0-9a-f]{4}$", (string)r[4]!);
            Assert.InRange((double)r[5]!, 0, 1);
            var rowTime = baseTime.AddMilliseconds(i / 10.0); // default 10000 rows per second
            Assert.InRange(Convert.ToDateTime(r[7], System.Globalization.CultureInfo.InvariantCulture), rowTime.AddSeconds(-5.001), rowTime.AddMilliseconds(1));
            Assert.Equal(6, ((string)r[9]!).Length); // 3 bytes in hex
            Assert.Equal(10 + i, r[10]);
        }
        var nulls = rows.Count(r => r[1] is null);
        Assert.InRange(nulls, 200, 400); // null-rate 0.3 of 1000 rows
        Assert.DoesNotContain(rows, r => r[0] is null || r[3] is null);
        Assert.True(rows.Select(r => (long)r[0]!).Distinct().Count() == 11, "every value of [-5, 5] appears in 1000 uniform draws");
        Assert.Contains(rows, r => (bool)r[6]!);
        Assert.Contains(rows, r => !(bool)r[6]!);
        Assert.NotEqual(Rows([Table(8, Spec).Generator([0, 3]).Generate(0, 50)]), Rows([Table(7, Spec).Generator([0, 3]).Generate(0, 50)]));
    }

    [Theory]
    [InlineData("fields.nope.min", "1", "42703")]
    [InlineData("fields.id.bogus", "1", "22023")]
    [InlineData("rows-per-sec", "1", "22023")]
    [InlineData("fields.id.kind", "walk", "22023")]
    [InlineData("fields.id.min", "abc", "22023")]
    [InlineData("fields.small.min", "100000", "22023")]
    [InlineData("fields.flag.kind", "sequence", "22023")]
    [InlineData("fields.name.length", "0", "22023")]
    [InlineData("fields.small.null-rate", "1.5", "22023")]
    public void Bad_options_are_rejected_with_the_reason(string key, string value, string sqlState)
    {
        var e = Assert.Throws<TarnException>(() => Table(0, (key, value)));
        Assert.Equal(sqlState, e.SqlState);
    }

    [Fact]
    public void A_sequence_needs_both_ends_and_a_null_rate_needs_a_nullable_column()
    {
        Assert.Contains("fields.seq.end", Assert.Throws<TarnException>(() => Table(0, ("fields.seq.kind", "sequence"), ("fields.seq.start", "1"))).Message, StringComparison.Ordinal);
        var notNull = new TableDef("t", 0, [new ColumnDef(0, "k", DataType.BigInt.WithNullable(false))], [], [], null,
            new Dictionary<string, string> { ["connector"] = "datagen", ["fields.k.null-rate"] = "0.5" }, null);
        Assert.Contains("NOT NULL", Assert.Throws<TarnException>(() => DataGenTable.From(notNull)).Message, StringComparison.Ordinal);
    }
}
