using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>
/// The elements of a vector of arrays laid out flat: one vector of the element type holding every element of every
/// row in order, and per row the range of its elements. Array kernels decode into this form once, run the ordinary
/// vector kernels (casts) over all elements at once, and encode back with <see cref="Encode"/>.
/// </summary>
internal sealed class ArrayElements
{
    private ArrayElements(ColumnVector values, int[] starts, byte[]? rowNulls)
    {
        Values = values;
        Starts = starts;
        RowNulls = rowNulls;
    }

    /// <summary>All elements (NULL elements are NULL rows).</summary>
    public ColumnVector Values { get; }

    /// <summary>Row r's elements are Values[Starts[r] .. Starts[r + 1]).</summary>
    public int[] Starts { get; }

    /// <summary>NULL arrays (they have no elements).</summary>
    public byte[]? RowNulls { get; }

    public static ArrayElements Decode(ColumnVector arrays, int n)
    {
        var element = arrays.Type.Element!;
        var values = ColumnVector.Create(element, Math.Max(n * 2, 1));
        var starts = new int[n + 1];
        var view = new StringView(arrays);
        for (var r = 0; r < n; r++)
        {
            if (!view.IsNull(r))
            {
                var reader = new ArrayValueReader(view.Get(r), element);
                while (reader.MoveNext())
                {
                    if (reader.IsNull) values.AppendNull();
                    else ArrayValues.AppendElement(values, reader.Value);
                }
            }
            starts[r + 1] = values.Count;
        }
        return new ArrayElements(values, starts, NullMask.Copy(arrays.Nulls, n));
    }

    /// <summary>
    /// Arrays of type <paramref name="type"/> whose elements are <paramref name="elements"/> (same layout as this). With
    /// <paramref name="failedToNull"/> (TRY_CAST), an element that is NULL only in <paramref name="elements"/> (its cast
    /// failed) makes the whole array NULL, as DuckDB does.
    /// </summary>
    public BinaryVector Encode(ColumnVector elements, DataType type, int n, bool failedToNull = false)
    {
        var result = new BinaryVector(type, Math.Max(n, 1), Math.Max(elements.Count * 4, 16));
        var writer = new ArrayValueWriter();
        for (var r = 0; r < n; r++)
        {
            if (RowNulls is { } rn && rn[r] != 0) { result.AppendNull(); continue; }
            if (failedToNull && Failed(elements, Starts[r], Starts[r + 1])) { result.AppendNull(); continue; }
            writer.Reset();
            for (var k = Starts[r]; k < Starts[r + 1]; k++) writer.AppendFrom(elements, k);
            result.Append(writer.Finish());
        }
        return result;
    }

    private bool Failed(ColumnVector cast, int from, int to)
    {
        for (var k = from; k < to; k++)
            if (cast.IsNull(k) && !Values.IsNull(k)) return true;
        return false;
    }
}
