using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>
/// Kernels of the ARRAY functions (see <c>FunctionRegistry.Arrays</c>). Arrays are per-value byte encodings
/// (<see cref="ArrayValues"/>), so these loops walk each row's encoding; they never box.
/// </summary>
internal static class ArrayFunctions
{
    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        f[FunctionRegistry.ArrayValueFunction] = (c, a, _) => new ArrayValueFunction(a, c.Type);
        f[FunctionRegistry.ArrayExtractFunction] = (c, a, _) => new ArrayExtractFunction(a, c.Type, single: false);
        f[FunctionRegistry.ArrayConcatFunction] = (c, a, _) => new ArrayConcatFunction(a, c.Type);
        f["ELEMENT"] = (c, a, _) => new ArrayExtractFunction(a, c.Type, single: true);
        f["CARDINALITY"] = (c, a, _) => new CardinalityFunction(a, c.Type);
        f["ARRAY_CONTAINS"] = (c, a, _) => new ArrayContainsFunction(a, c.Type);
    }
}

/// <summary>ARRAY[a, b, ...]: one array per row from the argument values (NULL arguments are NULL elements).</summary>
internal sealed class ArrayValueFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: false)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var result = new BinaryVector(Type, Math.Max(n, 1), Math.Max(n * (2 + args.Length * 9), 16));
        var writer = new ArrayValueWriter();
        for (var r = 0; r < n; r++)
        {
            writer.Reset();
            foreach (var a in args) writer.AppendFrom(a, r);
            result.Append(writer.Finish());
        }
        return result;
    }
}

/// <summary>
/// arr[i] (1-based; a negative index counts from the end as in DuckDB; NULL out of range) and ELEMENT(arr) (the only
/// element, NULL for an empty array, error 21000 for more than one — Flink).
/// </summary>
internal sealed class ArrayExtractFunction(VectorExpression[] args, DataType type, bool single) : FunctionKernel(args, type, liftable: false)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var arrays = args[0];
        var view = new StringView(arrays);
        var element = arrays.Type.Element!;
        long[]? indexes = single ? null : ArgumentReaders.Longs(args[1]);
        var indexNulls = single ? null : args[1].Nulls;
        var result = ColumnVector.Create(Type, Math.Max(n, 1));
        for (var r = 0; r < n; r++)
        {
            if (view.IsNull(r) || (indexNulls is not null && indexNulls[r] != 0)) { result.AppendNull(); continue; }
            var data = view.Get(r);
            long wanted;
            if (single)
            {
                var count = ArrayValues.Count(data, element);
                if (count > 1) throw new TarnException(SqlStates.CardinalityViolation, $"ELEMENT: the array has {count} elements, not one");
                wanted = 1;
            }
            else
            {
                wanted = indexes![r];
                if (wanted < 0) wanted += ArrayValues.Count(data, element) + 1;
            }
            var found = false;
            if (wanted >= 1)
            {
                var reader = new ArrayValueReader(data, element);
                for (long i = 1; reader.MoveNext(); i++)
                {
                    if (i != wanted) continue;
                    if (!reader.IsNull) { ArrayValues.AppendElement(result, reader.Value); found = true; }
                    break;
                }
            }
            if (!found) result.AppendNull();
        }
        return result;
    }
}

/// <summary>ARRAY_CONCAT(a, b, ...): the encodings joined (each without its end marker); NULL if an argument is NULL.</summary>
internal sealed class ArrayConcatFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: false)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var views = new StringView[args.Length];
        for (var i = 0; i < args.Length; i++) views[i] = new StringView(args[i]);
        var result = new BinaryVector(Type, Math.Max(n, 1), Math.Max(n * 16, 16));
        var writer = new ArrayValueWriter();
        var nulls = StrictNulls(args, n);
        for (var r = 0; r < n; r++)
        {
            if (IsNull(nulls, r)) { result.AppendNull(); continue; }
            writer.Reset();
            foreach (var v in views) writer.AppendEncodedElement(v.Get(r)[..^1]);
            result.Append(writer.Finish());
        }
        return result;
    }
}

/// <summary>CARDINALITY(arr): the number of elements.</summary>
internal sealed class CardinalityFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: true)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var view = new StringView(args[0]);
        var element = args[0].Type.Element!;
        var values = new int[Math.Max(n, 1)];
        for (var r = 0; r < n; r++)
            if (!view.IsNull(r)) values[r] = ArrayValues.Count(view.Get(r), element);
        return new PrimitiveVector<int>(Type, values, n, NullMask.Copy(args[0].Nulls, n));
    }
}

/// <summary>ARRAY_CONTAINS(arr, x): whether an element's encoding equals x's (so NULL finds a NULL element).</summary>
internal sealed class ArrayContainsFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: false)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var view = new StringView(args[0]);
        var element = args[0].Type.Element!;
        var needles = args[1];
        var values = new bool[Math.Max(n, 1)];
        var writer = new ArrayValueWriter();
        for (var r = 0; r < n; r++)
        {
            if (view.IsNull(r)) continue;
            writer.Reset();
            writer.AppendFrom(needles, r);
            var needle = writer.Finish()[..^1]; // the element without the array's end marker
            var reader = new ArrayValueReader(view.Get(r), element);
            while (reader.MoveNext())
            {
                if (reader.Encoded.SequenceEqual(needle)) { values[r] = true; break; }
            }
        }
        return new PrimitiveVector<bool>(Type, values, n, NullMask.Copy(args[0].Nulls, n));
    }
}
