using Tarn.Storage.Segments;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Encodings;

/// <summary>Bit-exact comparison of vectors (NULL flags, then the values of non-NULL rows), and stats checks.</summary>
internal static class VectorAssert
{
    public static void SameValues(ColumnVector expected, ColumnVector actual, int expectedStart = 0)
    {
        for (var i = 0; i < actual.Count; i++)
        {
            var row = expectedStart + i;
            Assert.True(expected.IsNull(row) == actual.IsNull(i), $"NULL flag differs at row {row}");
            if (expected.IsNull(row)) continue;
            var e = Bits(expected, row);
            var a = Bits(actual, i);
            if (!e.SequenceEqual(a)) Assert.Fail($"value differs at row {row}: {Convert.ToHexString(e)} vs {Convert.ToHexString(a)}");
        }
    }

    /// <summary>The raw bytes of a value (so NaN payloads and -0.0 are compared exactly).</summary>
    public static byte[] Bits(ColumnVector v, int row) => v switch
    {
        PrimitiveVector<bool> p => [p.Values[row] ? (byte)1 : (byte)0],
        PrimitiveVector<sbyte> p => [(byte)p.Values[row]],
        PrimitiveVector<short> p => BitConverter.GetBytes(p.Values[row]),
        PrimitiveVector<int> p => BitConverter.GetBytes(p.Values[row]),
        PrimitiveVector<long> p => BitConverter.GetBytes(p.Values[row]),
        PrimitiveVector<Int128> p => [.. BitConverter.GetBytes((ulong)p.Values[row]), .. BitConverter.GetBytes((ulong)(p.Values[row] >> 64))],
        PrimitiveVector<float> p => BitConverter.GetBytes(BitConverter.SingleToInt32Bits(p.Values[row])),
        PrimitiveVector<double> p => BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(p.Values[row])),
        BinaryVector b => b.GetBytes(row).ToArray(),
        DictionaryVector d => d.Dictionary.GetBytes(d.Codes[row]).ToArray(),
        _ => throw new InvalidOperationException(v.GetType().Name),
    };

    /// <summary>Every non-NULL value lies within the bounds; the NULL count is exact.</summary>
    public static void StatsBound(ColumnVector v, ColumnStats stats, int start = 0, int count = -1)
    {
        if (count < 0) count = v.Count;
        long nulls = 0;
        for (var i = start; i < start + count; i++)
        {
            if (v.IsNull(i))
            {
                nulls++;
                continue;
            }
            switch (v)
            {
                case PrimitiveVector<float> f: Float(stats, f.Values[i]); break;
                case PrimitiveVector<double> d: Float(stats, d.Values[i]); break;
                case BinaryVector or DictionaryVector:
                {
                    var b = Bits(v, i);
                    Assert.NotNull(stats.MinBytes);
                    Assert.True(stats.MinBytes.AsSpan().SequenceCompareTo(b) <= 0, "string below the minimum");
                    if (stats.MaxBytes is not null) Assert.True(stats.MaxBytes.AsSpan().SequenceCompareTo(b) >= 0, "string above the maximum");
                    break;
                }
                default:
                {
                    Assert.True(stats.HasMinMax);
                    var x = Integer(v, i);
                    Assert.InRange(x, stats.MinInt, stats.MaxInt);
                    break;
                }
            }
        }
        Assert.Equal(nulls, stats.NullCount);
        Assert.InRange(stats.DistinctEstimate, nulls == count ? 0 : 1, count - nulls);
    }

    private static void Float(ColumnStats stats, double value)
    {
        if (double.IsNaN(value))
        {
            Assert.True(stats.HasNaN);
            Assert.False(stats.HasMinMax);
            return;
        }
        if (stats.HasNaN) return;
        Assert.True(stats.HasMinMax);
        Assert.True(TotalOrder.Compare(stats.MinFloat, value) <= 0, $"{value} below the minimum {stats.MinFloat}");
        Assert.True(TotalOrder.Compare(stats.MaxFloat, value) >= 0, $"{value} above the maximum {stats.MaxFloat}");
    }

    private static Int128 Integer(ColumnVector v, int row) => v switch
    {
        PrimitiveVector<bool> p => p.Values[row] ? 1 : 0,
        PrimitiveVector<sbyte> p => p.Values[row],
        PrimitiveVector<short> p => p.Values[row],
        PrimitiveVector<int> p => p.Values[row],
        PrimitiveVector<long> p => p.Values[row],
        PrimitiveVector<Int128> p => p.Values[row],
        _ => throw new InvalidOperationException(v.GetType().Name),
    };
}
