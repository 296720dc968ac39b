using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>A per-value function; returns false for a NULL result. May throw (checked arithmetic, TarnException).
/// Implemented by structs so the JIT specializes and inlines it into the kernel loop.</summary>
public interface IUnaryOp<TIn, TOut>
{
    bool TryApply(TIn value, out TOut result);
}

public interface IBinaryOp<TLeft, TRight, TOut>
{
    bool TryApply(TLeft left, TRight right, out TOut result);
}

/// <summary>Applies a unary op to a primitive vector. NULL in, NULL out. With <c>nullOnError</c> (TRY_CAST) a row
/// whose op throws becomes NULL; otherwise checked-arithmetic exceptions become SQL errors about the result type.</summary>
public sealed class UnaryMap<TIn, TOut, TOp>(VectorExpression input, DataType type, TOp op, bool nullOnError = false) : VectorExpression(type)
    where TIn : unmanaged where TOut : unmanaged where TOp : struct, IUnaryOp<TIn, TOut>
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var v = (PrimitiveVector<TIn>)input.Evaluate(batch);
        var n = batch.RowCount;
        var dst = new TOut[Math.Max(n, 1)];
        var nulls = NullMask.Copy(v.Nulls, n);
        try
        {
            Run(v.Values, dst, ref nulls, n, false);
        }
        catch (Exception e) when (EvalErrors.IsEvaluationError(e))
        {
            if (!nullOnError) ExceptionDispatchInfo.Throw(EvalErrors.Translate(e, Type));
            nulls = NullMask.Copy(v.Nulls, n);
            Run(v.Values, dst, ref nulls, n, true);
        }
        return new PrimitiveVector<TOut>(Type, dst, n, nulls);
    }

    // hot loop: compiled fully optimized at once (with the op inlined) instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(TIn[] src, TOut[] dst, ref byte[]? nulls, int n, bool catchPerRow)
    {
        var o = op;
        if (catchPerRow)
        {
            nulls ??= new byte[Math.Max(n, 1)];
            for (var i = 0; i < n; i++)
            {
                if (nulls[i] != 0) continue;
                try
                {
                    if (!o.TryApply(src[i], out dst[i])) nulls[i] = 1;
                }
                catch (Exception e) when (EvalErrors.IsEvaluationError(e))
                {
                    nulls[i] = 1;
                }
            }
            return;
        }
        if (nulls is null)
        {
            for (var i = 0; i < n; i++)
                if (!o.TryApply(src[i], out dst[i])) (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                if (nulls[i] != 0) continue;
                if (!o.TryApply(src[i], out dst[i])) nulls[i] = 1;
            }
        }
    }
}

/// <summary>Applies a binary op to two primitive vectors (or a vector and a constant on the right). NULL if either side is NULL.</summary>
public sealed class BinaryMap<TLeft, TRight, TOut, TOp> : VectorExpression
    where TLeft : unmanaged where TRight : unmanaged where TOut : unmanaged where TOp : struct, IBinaryOp<TLeft, TRight, TOut>
{
    private readonly VectorExpression _left;
    private readonly VectorExpression _right;
    private readonly TOp _op;
    private readonly bool _nullOnError;
    private readonly bool _rightIsScalar;
    private readonly TRight _scalar;

    public BinaryMap(VectorExpression left, VectorExpression right, DataType type, TOp op, bool nullOnError = false) : base(type)
    {
        _left = left;
        _right = right;
        _op = op;
        _nullOnError = nullOnError;
        if (right is ConstantExpression { Value: TRight s })
        {
            _rightIsScalar = true;
            _scalar = s;
        }
    }

    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var a = (PrimitiveVector<TLeft>)_left.Evaluate(batch);
        var dst = new TOut[Math.Max(n, 1)];
        byte[]? nulls;
        TRight[]? b = null;
        if (_rightIsScalar) nulls = NullMask.Copy(a.Nulls, n);
        else
        {
            var bv = (PrimitiveVector<TRight>)_right.Evaluate(batch);
            b = bv.Values;
            nulls = NullMask.Or(a.Nulls, bv.Nulls, n);
        }
        var baseNulls = nulls;
        try
        {
            Run(a.Values, b, dst, ref nulls, n, false);
        }
        catch (Exception e) when (EvalErrors.IsEvaluationError(e))
        {
            if (!_nullOnError) ExceptionDispatchInfo.Throw(EvalErrors.Translate(e, Type));
            nulls = baseNulls is null ? null : (byte[])baseNulls.Clone();
            Run(a.Values, b, dst, ref nulls, n, true);
        }
        return new PrimitiveVector<TOut>(Type, dst, n, nulls);
    }

    // hot loop: compiled fully optimized at once (with the op inlined) instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(TLeft[] a, TRight[]? b, TOut[] dst, ref byte[]? nulls, int n, bool catchPerRow)
    {
        var o = _op;
        if (catchPerRow)
        {
            nulls ??= new byte[Math.Max(n, 1)];
            for (var i = 0; i < n; i++)
            {
                if (nulls[i] != 0) continue;
                try
                {
                    if (!o.TryApply(a[i], b is null ? _scalar : b[i], out dst[i])) nulls[i] = 1;
                }
                catch (Exception e) when (EvalErrors.IsEvaluationError(e))
                {
                    nulls[i] = 1;
                }
            }
            return;
        }
        if (b is null)
        {
            var s = _scalar;
            if (nulls is null)
            {
                for (var i = 0; i < n; i++)
                    if (!o.TryApply(a[i], s, out dst[i])) (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    if (nulls[i] != 0) continue;
                    if (!o.TryApply(a[i], s, out dst[i])) nulls[i] = 1;
                }
            }
            return;
        }
        if (nulls is null)
        {
            for (var i = 0; i < n; i++)
                if (!o.TryApply(a[i], b[i], out dst[i])) (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                if (nulls[i] != 0) continue;
                if (!o.TryApply(a[i], b[i], out dst[i])) nulls[i] = 1;
            }
        }
    }
}
