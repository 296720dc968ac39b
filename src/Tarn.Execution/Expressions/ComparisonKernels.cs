using System.Numerics;
using System.Runtime.InteropServices;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>A comparison operator as a type, so kernels are specialized per operator.</summary>
public interface IComparisonKind
{
    static abstract bool Test<T>(T a, T b) where T : IComparisonOperators<T, T, bool>;

    /// <summary>Applies the operator to a three-way comparison result.</summary>
    static abstract bool TestOrder(int order);
}

public readonly struct EqualKind : IComparisonKind
{
    public static bool Test<T>(T a, T b) where T : IComparisonOperators<T, T, bool> => a == b;
    public static bool TestOrder(int order) => order == 0;
}

public readonly struct NotEqualKind : IComparisonKind
{
    public static bool Test<T>(T a, T b) where T : IComparisonOperators<T, T, bool> => a != b;
    public static bool TestOrder(int order) => order != 0;
}

public readonly struct LessKind : IComparisonKind
{
    public static bool Test<T>(T a, T b) where T : IComparisonOperators<T, T, bool> => a < b;
    public static bool TestOrder(int order) => order < 0;
}

public readonly struct LessOrEqualKind : IComparisonKind
{
    public static bool Test<T>(T a, T b) where T : IComparisonOperators<T, T, bool> => a <= b;
    public static bool TestOrder(int order) => order <= 0;
}

public readonly struct GreaterKind : IComparisonKind
{
    public static bool Test<T>(T a, T b) where T : IComparisonOperators<T, T, bool> => a > b;
    public static bool TestOrder(int order) => order > 0;
}

public readonly struct GreaterOrEqualKind : IComparisonKind
{
    public static bool Test<T>(T a, T b) where T : IComparisonOperators<T, T, bool> => a >= b;
    public static bool TestOrder(int order) => order >= 0;
}

/// <summary>
/// Base of binary comparisons: evaluates both sides, lets the subclass compare all rows, then applies NULL rules:
/// NULL when either side is NULL, or — for IS [NOT] DISTINCT FROM (<c>nullSafe</c>) — NULLs compare as values.
/// </summary>
public abstract class ComparisonKernel(VectorExpression left, VectorExpression right, DataType type, bool nullSafe, bool equalWhenBothNull)
    : VectorExpression(type)
{
    protected VectorExpression Left { get; } = left;
    protected VectorExpression Right { get; } = right;

    /// <summary>Writes the comparison of rows [0, n) to <paramref name="result"/> (values at NULL rows are ignored).</summary>
    protected abstract void Compare(ColumnVector a, ColumnVector b, bool[] result, int n);

    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var a = Left.Evaluate(batch);
        var b = Right.Evaluate(batch);
        var result = new bool[Math.Max(n, 1)];
        Compare(a, b, result, n);
        if (!nullSafe) return new PrimitiveVector<bool>(Type, result, n, NullMask.Or(a.Nulls, b.Nulls, n));
        var an = a.Nulls;
        var bn = b.Nulls;
        if (an is not null || bn is not null)
        {
            for (var i = 0; i < n; i++)
            {
                var x = an is not null && an[i] != 0;
                var y = bn is not null && bn[i] != 0;
                if (x || y) result[i] = (x && y) == equalWhenBothNull;
            }
        }
        return new PrimitiveVector<bool>(Type, result, n);
    }
}

/// <summary>Compares two primitive vectors of the same physical type (booleans as bytes).</summary>
public sealed class PrimitiveComparison<T, TKind>(VectorExpression left, VectorExpression right, DataType type, bool nullSafe, bool equalWhenBothNull)
    : ComparisonKernel(left, right, type, nullSafe, equalWhenBothNull)
    where T : unmanaged, IComparisonOperators<T, T, bool> where TKind : struct, IComparisonKind
{
    protected override void Compare(ColumnVector a, ColumnVector b, bool[] result, int n)
    {
        var x = Values(a);
        var y = Values(b);
        for (var i = 0; i < n; i++) result[i] = TKind.Test(x[i], y[i]);
    }

    private static ReadOnlySpan<T> Values(ColumnVector v) => v is PrimitiveVector<bool> b
        ? MemoryMarshal.Cast<bool, T>(b.Values.AsSpan())
        : ((PrimitiveVector<T>)v).Values;
}

/// <summary>Compares a primitive vector with a non-NULL constant; the common WHERE shape, with a direct selection loop.</summary>
public sealed class PrimitiveScalarComparison<T, TKind>(VectorExpression left, T constant, DataType type) : VectorExpression(type)
    where T : unmanaged, IComparisonOperators<T, T, bool> where TKind : struct, IComparisonKind
{
    private static ReadOnlySpan<T> Values(ColumnVector v) => v is PrimitiveVector<bool> b
        ? MemoryMarshal.Cast<bool, T>(b.Values.AsSpan())
        : ((PrimitiveVector<T>)v).Values;

    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var a = left.Evaluate(batch);
        var x = Values(a);
        var c = constant;
        var result = new bool[Math.Max(n, 1)];
        for (var i = 0; i < n; i++) result[i] = TKind.Test(x[i], c);
        return new PrimitiveVector<bool>(Type, result, n, NullMask.Copy(a.Nulls, n));
    }

    public override int Select(ColumnBatch batch, ReadOnlySpan<int> candidates, Span<int> result)
    {
        if (candidates.Length == 0) return 0;
        var a = left.Evaluate(batch);
        var x = Values(a);
        var c = constant;
        var nulls = a.Nulls;
        var n = 0;
        if (candidates.Length == batch.RowCount)
        {
            var count = batch.RowCount;
            if (nulls is null)
            {
                for (var i = 0; i < count; i++)
                {
                    result[n] = i;
                    n += TKind.Test(x[i], c) ? 1 : 0;
                }
            }
            else
            {
                for (var i = 0; i < count; i++)
                {
                    result[n] = i;
                    n += TKind.Test(x[i], c) && nulls[i] == 0 ? 1 : 0;
                }
            }
            return n;
        }
        foreach (var i in candidates)
        {
            result[n] = i;
            n += TKind.Test(x[i], c) && (nulls is null || nulls[i] == 0) ? 1 : 0;
        }
        return n;
    }
}

/// <summary>Compares two string/binary vectors (flat or dictionary) by UTF-8 bytes.</summary>
public sealed class StringComparison<TKind>(VectorExpression left, VectorExpression right, DataType type, bool nullSafe, bool equalWhenBothNull)
    : ComparisonKernel(left, right, type, nullSafe, equalWhenBothNull)
    where TKind : struct, IComparisonKind
{
    protected override void Compare(ColumnVector a, ColumnVector b, bool[] result, int n)
    {
        var x = new StringView(a);
        var y = new StringView(b);
        for (var i = 0; i < n; i++)
        {
            if (x.IsNull(i) || y.IsNull(i)) continue; // a NULL dictionary row has no valid code
            result[i] = TKind.TestOrder(x.Get(i).SequenceCompareTo(y.Get(i)));
        }
    }
}
