using Tarn.Execution.Vectors;
using Tarn.Vectors;

namespace Tarn.Execution.Sorting;

/// <summary>
/// Compares single rows of two batches by sort keys, in the order <see cref="RowSorter"/> produces: per key NULLs
/// first or last (independent of direction), strings by UTF-8 bytes, -0.0 equal to 0.0, NaN above everything.
/// Used to merge sorted runs, one comparison per merge step, so it may switch on the vector type per call.
/// </summary>
internal sealed class RowComparer(int[] keyColumns, bool[] descending, bool[] nullsFirst)
{
    public int Compare(ColumnBatch a, int i, ColumnBatch b, int j)
    {
        for (var k = 0; k < keyColumns.Length; k++)
        {
            var va = a.Columns[keyColumns[k]];
            var vb = b.Columns[keyColumns[k]];
            var an = va.IsNull(i);
            var bn = vb.IsNull(j);
            if (an || bn)
            {
                if (an && bn) continue;
                return an == nullsFirst[k] ? -1 : 1;
            }
            var c = CompareValues(va, i, vb, j);
            if (c != 0) return descending[k] ? -c : c;
        }
        return 0;
    }

    private static int CompareValues(ColumnVector a, int i, ColumnVector b, int j) => a switch
    {
        PrimitiveVector<bool> x => x.Values[i].CompareTo(((PrimitiveVector<bool>)b).Values[j]),
        PrimitiveVector<sbyte> x => x.Values[i].CompareTo(((PrimitiveVector<sbyte>)b).Values[j]),
        PrimitiveVector<short> x => x.Values[i].CompareTo(((PrimitiveVector<short>)b).Values[j]),
        PrimitiveVector<int> x => x.Values[i].CompareTo(((PrimitiveVector<int>)b).Values[j]),
        PrimitiveVector<long> x => x.Values[i].CompareTo(((PrimitiveVector<long>)b).Values[j]),
        PrimitiveVector<Int128> x => x.Values[i].CompareTo(((PrimitiveVector<Int128>)b).Values[j]),
        PrimitiveVector<float> x => CompareDouble(x.Values[i], ((PrimitiveVector<float>)b).Values[j]),
        PrimitiveVector<double> x => CompareDouble(x.Values[i], ((PrimitiveVector<double>)b).Values[j]),
        _ => new StringView(a).Get(i).SequenceCompareTo(new StringView(b).Get(j)),
    };

    private static int CompareDouble(double x, double y)
    {
        var xn = double.IsNaN(x);
        var yn = double.IsNaN(y);
        if (xn || yn) return xn == yn ? 0 : xn ? 1 : -1;
        return x < y ? -1 : x > y ? 1 : 0; // -0.0 == 0.0
    }
}
