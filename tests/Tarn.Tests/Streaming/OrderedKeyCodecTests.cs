using CsCheck;
using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>The order-preserving key encoding that streaming Top-N sorts by: byte order must be SQL order.</summary>
public sealed class OrderedKeyCodecTests
{
    /// <summary>Sort key columns of one row: (nullable bytes, nullable double, nullable long).</summary>
    private static readonly Gen<(byte[]? Text, double? Real, long? Whole)> s_row = Gen.Select(
        Gen.Select(Gen.Int[0, 4], Gen.OneOf((byte)0, (byte)1, (byte)0x61, (byte)0xFF).Array[0, 4]).Select(t => t.Item1 == 0 ? null : t.Item2),
        Gen.Select(Gen.Int[0, 4], Gen.OneOf(Gen.Double, Gen.OneOf(double.NaN, -0.0, 0.0, 1.0, double.PositiveInfinity, double.NegativeInfinity))).Select(t => t.Item1 == 0 ? (double?)null : t.Item2),
        Gen.Select(Gen.Int[0, 4], Gen.OneOf(Gen.Long, Gen.Long[-2, 2])).Select(t => t.Item1 == 0 ? (long?)null : t.Item2));

    private static int CompareReal(double a, double b)
    {
        if (double.IsNaN(a)) return double.IsNaN(b) ? 0 : 1;
        if (double.IsNaN(b)) return -1;
        return a == b ? 0 : a < b ? -1 : 1; // -0.0 == 0.0
    }

    /// <summary>SQL order of one key: NULLs where nullsFirst says regardless of direction, values reversed for DESC.</summary>
    private static int CompareKey<T>(T? x, T? y, Func<T, T, int> compare, bool descending, bool nullsFirst)
    {
        if (x is null) return y is null ? 0 : nullsFirst ? -1 : 1;
        if (y is null) return nullsFirst ? 1 : -1;
        var c = Math.Sign(compare(x, y));
        return descending ? -c : c;
    }

    [Fact]
    public void Byte_order_of_encoded_keys_is_the_sql_order_of_the_keys()
    {
        Gen.Select(s_row.Array[2, 12], Gen.Bool.Array[3], Gen.Bool.Array[3]).Sample((rows, descending, nullsFirst) =>
        {
            var n = rows.Length;
            var text = new BinaryVector(DataType.Varchar(10), n);
            var real = new PrimitiveVector<double>(DataType.Double, n);
            var whole = new PrimitiveVector<long>(DataType.BigInt, n);
            foreach (var (t, r, w) in rows)
            {
                if (t is null) text.AppendNull(); else text.Append(t);
                if (r is null) real.AppendNull(); else real.Append(r.Value);
                if (w is null) whole.AppendNull(); else whole.Append(w.Value);
            }
            var encoded = new byte[n][];
            var writer = new ByteWriter();
            for (var i = 0; i < n; i++)
            {
                writer.Clear();
                OrderedKeyCodec.Write(writer, text, i, descending[0], nullsFirst[0]);
                OrderedKeyCodec.Write(writer, real, i, descending[1], nullsFirst[1]);
                OrderedKeyCodec.Write(writer, whole, i, descending[2], nullsFirst[2]);
                encoded[i] = writer.ToArray();
            }
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var expected = CompareKey(rows[i].Text, rows[j].Text, (a, b) => a.AsSpan().SequenceCompareTo(b), descending[0], nullsFirst[0]);
                    if (expected == 0) expected = CompareKey(rows[i].Real, rows[j].Real, (a, b) => CompareReal(a!.Value, b!.Value), descending[1], nullsFirst[1]);
                    if (expected == 0) expected = CompareKey(rows[i].Whole, rows[j].Whole, (a, b) => a!.Value.CompareTo(b!.Value), descending[2], nullsFirst[2]);
                    Assert.True(expected == Math.Sign(encoded[i].AsSpan().SequenceCompareTo(encoded[j])),
                        $"rows {i} and {j}: expected order {expected} ({rows[i]} vs {rows[j]})");
                }
            }
        }, iter: 2000);
    }
}
