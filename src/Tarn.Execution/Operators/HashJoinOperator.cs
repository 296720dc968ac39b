using Tarn.Execution.Expressions;
using Tarn.Execution.Joins;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// Equi-join: <c>leftKeys[i] = rightKeys[i]</c> for all i (NULL keys never match), plus an optional
/// <c>residual</c> condition over the concatenated row (left columns, then right columns) that must be TRUE.
/// Builds a hash table on <c>right</c> (read fully on the first <see cref="Next"/>, within
/// <see cref="ExecutionContext.MemoryLimitBytes"/>; 53200 beyond it) and streams <c>left</c> through it batch by batch.
/// Output as described by <see cref="JoinKind"/>; Right/Full emit the unmatched build rows after the probe side ends.
/// </summary>
public sealed class HashJoinOperator : IBatchOperator
{
    private readonly IBatchOperator _left;
    private readonly IBatchOperator _right;
    private readonly VectorExpression[] _leftKeys;
    private readonly VectorExpression[] _rightKeys;
    private readonly JoinHashTable _table;
    private readonly JoinEmitter _emitter;
    private readonly BuildSide _build;
    private readonly ExecutionContext _context;
    private IEnumerator<ColumnBatch>? _output;
    private int[] _keyIds = [];

    public HashJoinOperator(IBatchOperator left, IBatchOperator right, JoinKind kind,
        IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys,
        BoundExpression? residual, ExecutionContext context, BoundExpression? markCondition = null)
    {
        if (leftKeys.Count == 0 || leftKeys.Count != rightKeys.Count)
            throw new ArgumentException("a hash join needs the same positive number of left and right keys");
        _left = left;
        _right = right;
        _context = context;
        var compiler = new ExpressionCompiler(context);
        _leftKeys = new VectorExpression[leftKeys.Count];
        _rightKeys = new VectorExpression[rightKeys.Count];
        var keyTypes = new DataType[leftKeys.Count];
        for (var i = 0; i < keyTypes.Length; i++)
        {
            keyTypes[i] = leftKeys[i].Type;
            if (leftKeys[i].Type.Physical != rightKeys[i].Type.Physical)
                throw new ArgumentException($"join key {i} has different types: {leftKeys[i].Type.ToSql()} and {rightKeys[i].Type.ToSql()}");
            _leftKeys[i] = compiler.Compile(leftKeys[i]);
            _rightKeys[i] = compiler.Compile(rightKeys[i]);
        }
        _table = new JoinHashTable(keyTypes);
        _emitter = new JoinEmitter(kind, left.OutputTypes, right.OutputTypes, residual, context, markCondition);
        _build = new BuildSide(right.OutputTypes, context, "hash join");
    }

    public IReadOnlyList<DataType> OutputTypes => _emitter.OutputTypes;

    public ColumnBatch? Next()
    {
        _output ??= Run().GetEnumerator();
        return _output.MoveNext() ? _output.Current : null;
    }

    private IEnumerable<ColumnBatch> Run()
    {
        Build();
        while (_left.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            var n = batch.RowCount;
            if (n == 0) continue;
            var keys = new ColumnVector[_leftKeys.Length];
            for (var i = 0; i < keys.Length; i++) keys[i] = _leftKeys[i].Evaluate(batch);
            if (_keyIds.Length < n) _keyIds = new int[n];
            _table.Find(keys, n, _keyIds);
            foreach (var output in _emitter.Probe(batch, _keyIds, _table.Heads, _table.NextRows)) yield return output;
        }
        foreach (var output in _emitter.UnmatchedBuild()) yield return output;
    }

    private void Build()
    {
        while (_right.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            var n = batch.RowCount;
            if (n == 0) continue;
            var keys = new ColumnVector[_rightKeys.Length];
            for (var i = 0; i < keys.Length; i++) keys[i] = _rightKeys[i].Evaluate(batch);
            _table.Insert(keys, n, _build.RowCount);
            _build.Append(batch);
            // Spilling (grace hash join) would partition here instead of failing.
            _build.TrackMemory(_table.MemoryBytes);
        }
        _emitter.SetBuild(_build.Columns, _build.RowCount);
    }

    public void Dispose()
    {
        _output?.Dispose();
        _build.Dispose();
        _left.Dispose();
        _right.Dispose();
    }
}
