using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>
/// N-ary AND with three-valued logic. As a value: FALSE if any operand is FALSE, else NULL if any is NULL, else TRUE
/// (all operands evaluated on all rows). As a filter: each operand only sees the rows the previous ones kept.
/// </summary>
public sealed class AndExpression(VectorExpression[] operands, DataType type) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var isFalse = new bool[Math.Max(n, 1)];
        byte[]? anyNull = null;
        foreach (var op in operands)
        {
            var v = (PrimitiveVector<bool>)op.Evaluate(batch);
            var values = v.Values;
            var nulls = v.Nulls;
            if (nulls is null)
            {
                for (var i = 0; i < n; i++) isFalse[i] |= !values[i];
            }
            else
            {
                anyNull ??= new byte[Math.Max(n, 1)];
                for (var i = 0; i < n; i++)
                {
                    isFalse[i] |= !values[i] && nulls[i] == 0;
                    anyNull[i] |= nulls[i];
                }
            }
        }
        var result = new bool[Math.Max(n, 1)];
        byte[]? resultNulls = null;
        for (var i = 0; i < n; i++)
        {
            if (isFalse[i]) continue;
            if (anyNull is not null && anyNull[i] != 0) (resultNulls ??= new byte[Math.Max(n, 1)])[i] = 1;
            else result[i] = true;
        }
        return new PrimitiveVector<bool>(Type, result, n, resultNulls);
    }

    public override int Select(ColumnBatch batch, ReadOnlySpan<int> candidates, Span<int> result)
    {
        var count = operands[0].Select(batch, candidates, result);
        if (operands.Length == 1 || count == 0) return count;
        var scratch = new int[count];
        for (var k = 1; k < operands.Length && count > 0; k++)
        {
            result[..count].CopyTo(scratch);
            count = operands[k].Select(batch, scratch.AsSpan(0, count), result);
        }
        return count;
    }
}

/// <summary>N-ary OR: TRUE if any operand is TRUE, else NULL if any is NULL, else FALSE. As a filter, later operands
/// only see the rows not yet accepted.</summary>
public sealed class OrExpression(VectorExpression[] operands, DataType type) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var isTrue = new bool[Math.Max(n, 1)];
        byte[]? anyNull = null;
        foreach (var op in operands)
        {
            var v = (PrimitiveVector<bool>)op.Evaluate(batch);
            var values = v.Values;
            var nulls = v.Nulls;
            if (nulls is null)
            {
                for (var i = 0; i < n; i++) isTrue[i] |= values[i];
            }
            else
            {
                anyNull ??= new byte[Math.Max(n, 1)];
                for (var i = 0; i < n; i++)
                {
                    isTrue[i] |= values[i] && nulls[i] == 0;
                    anyNull[i] |= nulls[i];
                }
            }
        }
        byte[]? resultNulls = null;
        if (anyNull is not null)
        {
            for (var i = 0; i < n; i++)
                if (!isTrue[i] && anyNull[i] != 0) (resultNulls ??= new byte[Math.Max(n, 1)])[i] = 1;
        }
        return new PrimitiveVector<bool>(Type, isTrue, n, resultNulls);
    }

    public override int Select(ColumnBatch batch, ReadOnlySpan<int> candidates, Span<int> result)
    {
        var accepted = new int[candidates.Length];
        var acceptedCount = 0;
        var remaining = candidates.ToArray();
        var remainingCount = remaining.Length;
        var found = new int[candidates.Length];
        var merged = new int[candidates.Length];
        foreach (var op in operands)
        {
            if (remainingCount == 0) break;
            var f = op.Select(batch, remaining.AsSpan(0, remainingCount), found);
            if (f == 0) continue;
            acceptedCount = Selection.Union(accepted.AsSpan(0, acceptedCount), found.AsSpan(0, f), merged);
            (accepted, merged) = (merged, accepted);
            remainingCount = Selection.Except(remaining.AsSpan(0, remainingCount), found.AsSpan(0, f), remaining);
        }
        accepted.AsSpan(0, acceptedCount).CopyTo(result);
        return acceptedCount;
    }
}

public sealed class NotExpression(VectorExpression operand, DataType type) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var v = (PrimitiveVector<bool>)operand.Evaluate(batch);
        var result = new bool[Math.Max(n, 1)];
        var src = v.Values;
        for (var i = 0; i < n; i++) result[i] = !src[i];
        return new PrimitiveVector<bool>(Type, result, n, NullMask.Copy(v.Nulls, n));
    }
}

/// <summary><c>x IS [NOT] NULL</c>.</summary>
public sealed class IsNullExpression(VectorExpression operand, bool negated, DataType type) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var nulls = operand.Evaluate(batch).Nulls;
        var result = new bool[Math.Max(n, 1)];
        if (nulls is null) { if (negated) result.AsSpan(0, n).Fill(true); }
        else for (var i = 0; i < n; i++) result[i] = (nulls[i] != 0) != negated;
        return new PrimitiveVector<bool>(Type, result, n);
    }

    public override int Select(ColumnBatch batch, ReadOnlySpan<int> candidates, Span<int> result)
    {
        var nulls = operand.Evaluate(batch).Nulls;
        if (nulls is null)
        {
            if (!negated) return 0;
            candidates.CopyTo(result);
            return candidates.Length;
        }
        var n = 0;
        foreach (var i in candidates)
        {
            result[n] = i;
            n += (nulls[i] != 0) != negated ? 1 : 0;
        }
        return n;
    }
}

/// <summary><c>x IS [NOT] TRUE|FALSE</c>: never NULL.</summary>
public sealed class IsTruthExpression(VectorExpression operand, bool value, bool negated, DataType type) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var v = (PrimitiveVector<bool>)operand.Evaluate(batch);
        var src = v.Values;
        var nulls = v.Nulls;
        var result = new bool[Math.Max(n, 1)];
        for (var i = 0; i < n; i++)
        {
            var matches = src[i] == value && (nulls is null || nulls[i] == 0);
            result[i] = matches != negated;
        }
        return new PrimitiveVector<bool>(Type, result, n);
    }
}
