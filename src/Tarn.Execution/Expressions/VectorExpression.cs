using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>
/// A compiled expression: a tree of typed vector kernels. Type dispatch happened when it was compiled; evaluation
/// runs one typed loop per node and batch. Instances cache per-batch state (constant vectors, dictionary lookups),
/// so one instance is used by one thread at a time; compile once per pipeline.
/// </summary>
public abstract class VectorExpression
{
    protected VectorExpression(DataType type) => Type = type;

    public DataType Type { get; }

    /// <summary>Input columns this expression (with its children) reads; set by the compiler.</summary>
    public int[] ReferencedColumns { get; internal set; } = [];

    /// <summary>True when evaluation can raise an error (overflow, division by zero, bad cast input), in this node
    /// or below; such expressions are evaluated only on the rows that need them inside AND/CASE/COALESCE.</summary>
    public bool MayFail { get; internal set; }

    /// <summary>Evaluates every row of the batch. The result has <c>batch.RowCount</c> rows and may share storage
    /// with the input or with cached constants: callers must not modify it.</summary>
    public abstract ColumnVector Evaluate(ColumnBatch batch);

    /// <summary>
    /// For BOOLEAN expressions: writes to <paramref name="result"/> the rows among <paramref name="candidates"/>
    /// (ascending) for which the expression is TRUE (NULL counts as not selected) and returns how many.
    /// Rows outside <paramref name="candidates"/> are not evaluated when the expression may fail.
    /// </summary>
    public virtual int Select(ColumnBatch batch, ReadOnlySpan<int> candidates, Span<int> result)
    {
        if (candidates.Length == 0) return 0;
        if (candidates.Length == batch.RowCount || !MayFail)
        {
            var v = (PrimitiveVector<bool>)Evaluate(batch);
            return SelectTrue(v.Values, v.Nulls, candidates, result);
        }
        var sub = BatchSubset.Gather(batch, candidates, ReferencedColumns);
        var sv = (PrimitiveVector<bool>)Evaluate(sub);
        var n = 0;
        var values = sv.Values;
        var nulls = sv.Nulls;
        for (var k = 0; k < candidates.Length; k++)
        {
            result[n] = candidates[k];
            n += values[k] && (nulls is null || nulls[k] == 0) ? 1 : 0;
        }
        return n;
    }

    /// <summary>Rows of <paramref name="candidates"/> whose value is TRUE and not NULL.</summary>
    protected static int SelectTrue(bool[] values, byte[]? nulls, ReadOnlySpan<int> candidates, Span<int> result)
    {
        var n = 0;
        if (nulls is null)
        {
            foreach (var row in candidates)
            {
                result[n] = row;
                n += values[row] ? 1 : 0;
            }
        }
        else
        {
            foreach (var row in candidates)
            {
                result[n] = row;
                n += values[row] && nulls[row] == 0 ? 1 : 0;
            }
        }
        return n;
    }

    /// <summary>Evaluates on a subset of rows only: the result has <c>rows.Length</c> rows, row k for input row <c>rows[k]</c>.</summary>
    public ColumnVector EvaluateOn(ColumnBatch batch, ReadOnlySpan<int> rows)
    {
        if (rows.Length == batch.RowCount) return Evaluate(batch);
        if (ReferencedColumns.Length == 0 && !MayFail) return Evaluate(new ColumnBatch(batch.Columns, rows.Length));
        return Evaluate(BatchSubset.Gather(batch, rows, ReferencedColumns));
    }

    public override string ToString() => GetType().Name;
}
