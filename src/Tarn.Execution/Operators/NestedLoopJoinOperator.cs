using Tarn.Execution.Joins;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// Join on any <c>condition</c> over the concatenated row (left columns, then right columns), or a cross join when
/// it is null. Materializes <c>right</c> (within <see cref="ExecutionContext.MemoryLimitBytes"/>; 53200 beyond it)
/// and pairs every left row with every right row, evaluating the condition vectorized over chunks of pairs.
/// Output as described by <see cref="JoinKind"/>.
/// </summary>
public sealed class NestedLoopJoinOperator : IBatchOperator
{
    private readonly IBatchOperator _left;
    private readonly IBatchOperator _right;
    private readonly JoinEmitter _emitter;
    private readonly BuildSide _build;
    private readonly ExecutionContext _context;
    private IEnumerator<ColumnBatch>? _output;

    /// <summary>
    /// An uncorrelated scalar subquery (a single join without condition) with a second row is an error even when no
    /// left row asks for it (DuckDB): it must not depend on whether the outer query has rows.
    /// </summary>
    private readonly bool _singleRowBuild;

    public NestedLoopJoinOperator(IBatchOperator left, IBatchOperator right, JoinKind kind, BoundExpression? condition, ExecutionContext context,
        BoundExpression? markCondition = null)
    {
        _left = left;
        _right = right;
        _context = context;
        _emitter = new JoinEmitter(kind, left.OutputTypes, right.OutputTypes, condition, context, markCondition);
        _build = new BuildSide(right.OutputTypes, context, "nested loop join");
        _singleRowBuild = kind == JoinKind.Single && condition is null && context.ScalarSubqueryErrorOnMultipleRows;
    }

    public IReadOnlyList<DataType> OutputTypes => _emitter.OutputTypes;

    public ColumnBatch? Next()
    {
        _output ??= Run().GetEnumerator();
        return _output.MoveNext() ? _output.Current : null;
    }

    private IEnumerable<ColumnBatch> Run()
    {
        while (_right.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            if (batch.RowCount == 0) continue;
            _build.Append(batch);
            _build.TrackMemory(0);
            if (_singleRowBuild && _build.RowCount > 1)
                throw new TarnException(SqlStates.CardinalityViolation, "more than one row returned by a subquery used as an expression");
        }
        _emitter.SetBuild(_build.Columns, _build.RowCount);
        while (_left.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            if (batch.RowCount == 0) continue;
            foreach (var output in _emitter.Probe(batch, null, null, null)) yield return output;
        }
        foreach (var output in _emitter.UnmatchedBuild()) yield return output;
    }

    public void Dispose()
    {
        _output?.Dispose();
        _build.Dispose();
        _left.Dispose();
        _right.Dispose();
    }
}
