using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>
/// Searched CASE. Each condition is tested on the rows no earlier arm took, and each result is evaluated only on
/// the rows its condition selected, so an arm's errors (division by zero) cannot fire for rows it does not cover.
/// </summary>
public sealed class CaseExpression(VectorExpression[] conditions, VectorExpression[] results, VectorExpression? elseResult, DataType type)
    : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var remaining = Selection.All(n).ToArray();
        var remainingCount = n;
        var matched = new int[Math.Max(n, 1)];
        var builder = new ScatterBuilder(Type, n);
        for (var w = 0; w < conditions.Length && remainingCount > 0; w++)
        {
            var m = conditions[w].Select(batch, remaining.AsSpan(0, remainingCount), matched);
            if (m == 0) continue;
            var rows = matched.AsSpan(0, m);
            builder.Scatter(results[w].EvaluateOn(batch, rows), rows);
            remainingCount = Selection.Except(remaining.AsSpan(0, remainingCount), rows, remaining);
        }
        if (elseResult is not null && remainingCount > 0)
        {
            var rows = remaining.AsSpan(0, remainingCount);
            builder.Scatter(elseResult.EvaluateOn(batch, rows), rows);
        }
        return builder.Build();
    }
}

/// <summary>COALESCE: operand k is evaluated only on the rows where operands 0..k-1 were all NULL.</summary>
public sealed class CoalesceExpression(VectorExpression[] operands, DataType type) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var first = operands[0].Evaluate(batch);
        if (!NullMask.Any(first.Nulls, n) || operands.Length == 1) return first;
        var builder = new ScatterBuilder(Type, n);
        var rows = Selection.All(n).ToArray();
        var part = first;
        var count = n;
        for (var k = 0; ; k++)
        {
            // keep the non-NULL rows of this part, pass the NULL ones on
            var nulls = part.Nulls;
            var kept = new List<int>(count);
            var keptIndex = new List<int>(count);
            var next = 0;
            for (var j = 0; j < count; j++)
            {
                if (nulls is not null && nulls[j] != 0) rows[next++] = rows[j];
                else { kept.Add(rows[j]); keptIndex.Add(j); }
            }
            if (kept.Count > 0) builder.Scatter(part.Gather(keptIndex.ToArray()), kept.ToArray());
            count = next;
            if (count == 0 || k + 1 >= operands.Length) break;
            part = operands[k + 1].EvaluateOn(batch, rows.AsSpan(0, count));
        }
        return builder.Build();
    }
}

/// <summary><c>x [NOT] IN (constants)</c> for primitive types: TRUE on a match, else NULL if x or a list value is NULL, else FALSE.</summary>
public sealed class PrimitiveInList<T>(VectorExpression operand, T[] values, bool listHasNull, bool negated, DataType type) : VectorExpression(type)
    where T : unmanaged, IEquatable<T>, System.Numerics.INumberBase<T>
{
    private readonly HashSet<T>? _set = values.Length > 8 ? [.. values] : null;

    private bool Contains(T v)
    {
        if (T.IsNaN(v)) return false; // NaN = NaN is false, as for the = operator
        if (_set is not null) return _set.Contains(v);
        foreach (var x in values)
            if (x.Equals(v)) return true;
        return false;
    }

    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var v = operand.Evaluate(batch);
        var src = v is PrimitiveVector<bool> b
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<bool, T>(b.Values.AsSpan())
            : ((PrimitiveVector<T>)v).Values;
        var nulls = NullMask.Copy(v.Nulls, n);
        var result = new bool[Math.Max(n, 1)];
        for (var i = 0; i < n; i++)
        {
            if (nulls is not null && nulls[i] != 0) continue;
            if (Contains(src[i])) result[i] = !negated;
            else if (listHasNull) (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
            else result[i] = negated;
        }
        return new PrimitiveVector<bool>(Type, result, n, nulls);
    }
}

/// <summary>String/bytes concatenation; NULL if either side is NULL.</summary>
public sealed class ConcatExpression(VectorExpression left, VectorExpression right, DataType type) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var a = left.Evaluate(batch);
        var b = right.Evaluate(batch);
        var nulls = NullMask.Or(a.Nulls, b.Nulls, n);
        var x = new StringView(a);
        var y = new StringView(b);
        var result = new BinaryVector(Type, n);
        Span<byte> small = stackalloc byte[256];
        for (var i = 0; i < n; i++)
        {
            if (nulls is not null && nulls[i] != 0) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            var s1 = x.Get(i);
            var s2 = y.Get(i);
            var total = s1.Length + s2.Length;
            var buf = total <= small.Length ? small[..total] : new byte[total];
            s1.CopyTo(buf);
            s2.CopyTo(buf[s1.Length..]);
            result.Append(buf);
        }
        result.SetNulls(nulls);
        return result;
    }
}
