using Tarn.Execution.Expressions;
using Tarn.Execution.Lowering;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// The fallback for a correlated subquery that no rule could decorrelate (<see cref="LogicalApply"/>): for each
/// distinct combination of the outer values it reads, the subquery is planned with those values as literals and run
/// to completion; results are cached per combination. Correct for every shape, but costs one execution per distinct
/// outer value, so decorrelation rules handle the common shapes with joins instead.
/// </summary>
public sealed class ApplyOperator : IBatchOperator
{
    private readonly IBatchOperator _left;
    private readonly LogicalApply _apply;
    private readonly Func<BatchPlanner> _planners;
    private readonly ExecutionContext _context;
    private readonly int[] _outerColumns;
    private readonly VectorExpression? _operand;
    private readonly Dictionary<ValueKey, object?> _cache = [];
    /// <summary>The subquery evaluates a volatile expression (NEXTVAL, RAND): run it for every row, never from the cache.</summary>
    private readonly bool _perRow;

    public ApplyOperator(IBatchOperator left, LogicalApply apply, Func<BatchPlanner> planners, ExecutionContext context)
    {
        _left = left;
        _apply = apply;
        _planners = planners;
        _context = context;
        var columns = new SortedSet<int>();
        PlanExpressions.Walk(apply.Right, (e, level) => { if (e is BoundOuterRef o && o.Depth == level + 1) columns.Add(o.Index); });
        _outerColumns = [.. columns];
        _perRow = PlanVolatility.ContainsVolatile(apply.Right);
        if (apply.Kind == ApplyKind.Any) _operand = new ExpressionCompiler(context).Compile(apply.Operand!);
        OutputTypes = apply.Output.Select(c => c.Type).ToList();
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        while (_left.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            var n = batch.RowCount;
            if (n == 0) continue;
            if (_apply.IsLateral)
            {
                if (NextLateral(batch) is { } joined) return joined;
                continue;
            }
            var operand = _operand?.Evaluate(batch);
            var results = new object?[n];
            for (var i = 0; i < n; i++)
            {
                var values = new object?[_outerColumns.Length + 1];
                for (var c = 0; c < _outerColumns.Length; c++) values[c] = PhysicalValues.Get(batch.Columns[_outerColumns[c]], i);
                if (operand is not null) values[^1] = PhysicalValues.Get(operand, i);
                var key = new ValueKey(values);
                if (_perRow || !_cache.TryGetValue(key, out var result))
                {
                    result = Evaluate(values);
                    if (!_perRow) _cache[key] = result;
                }
                results[i] = result;
            }
            if (_apply.Mode == ApplyMode.Mark)
            {
                var column = ColumnVector.Create(_apply.ResultType, n);
                foreach (var r in results) PhysicalValues.Append(column, r);
                return new ColumnBatch([.. batch.Columns, column], n);
            }
            var want = _apply.Mode == ApplyMode.Semi;
            var rows = new List<int>(n);
            for (var i = 0; i < n; i++)
                if (results[i] is bool b && b == want) rows.Add(i);
            if (rows.Count == n) return batch;
            if (rows.Count > 0) return batch.Gather(rows.ToArray());
        }
        return null;
    }

    /// <summary>
    /// LATERAL: each left row repeated once per row of its subquery, with that row's values appended (LEFT JOIN
    /// LATERAL keeps a left row without rows once, with NULLs); null when no row of the batch produced output.
    /// </summary>
    private ColumnBatch? NextLateral(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var leftRows = new List<int>(n);
        var rightRows = new List<object?[]?>(n);
        for (var i = 0; i < n; i++)
        {
            var values = new object?[_outerColumns.Length + 1];
            for (var c = 0; c < _outerColumns.Length; c++) values[c] = PhysicalValues.Get(batch.Columns[_outerColumns[c]], i);
            var key = new ValueKey(values);
            if (_perRow || !_cache.TryGetValue(key, out var result))
            {
                result = Evaluate(values);
                if (!_perRow) _cache[key] = result;
            }
            var rows = (List<object?[]>)result!;
            if (rows.Count == 0 && _apply.Kind == ApplyKind.LateralLeft)
            {
                leftRows.Add(i);
                rightRows.Add(null);
            }
            foreach (var row in rows)
            {
                leftRows.Add(i);
                rightRows.Add(row);
            }
        }
        if (leftRows.Count == 0) return null;
        var left = batch.Gather(leftRows.ToArray());
        var leftWidth = batch.Columns.Length;
        var columns = new List<ColumnVector>(left.Columns);
        for (var c = leftWidth; c < OutputTypes.Count; c++)
        {
            var column = ColumnVector.Create(OutputTypes[c], leftRows.Count);
            foreach (var row in rightRows) PhysicalValues.Append(column, row?[c - leftWidth]);
            columns.Add(column);
        }
        return new ColumnBatch([.. columns], leftRows.Count);
    }

    /// <summary>Runs the subquery for one combination of outer values (and the ANY operand, last).</summary>
    private object? Evaluate(object?[] values)
    {
        var literals = new Dictionary<int, BoundExpression>();
        for (var c = 0; c < _outerColumns.Length; c++)
            literals[_outerColumns[c]] = BoundExpressions.Literal(values[c], _apply.Left.Output[_outerColumns[c]].Type);
        var right = PlanExpressions.Rewrite(_apply.Right, (e, level) =>
            e is BoundOuterRef o && o.Depth == level + 1 ? Retyped(literals[o.Index], o.Type) : null);
        using var planner = _planners();
        using var op = planner.Lower(right);
        switch (_apply.Kind)
        {
            case ApplyKind.Lateral or ApplyKind.LateralLeft:
            {
                var rows = new List<object?[]>();
                while (op.Next() is { } b)
                    for (var i = 0; i < b.RowCount; i++)
                    {
                        var row = new object?[b.Columns.Length];
                        for (var c = 0; c < row.Length; c++) row[c] = PhysicalValues.Get(b.Columns[c], i);
                        rows.Add(row);
                    }
                return rows;
            }
            case ApplyKind.Exists:
                while (op.Next() is { } b)
                    if (b.RowCount > 0) return true;
                return false;
            case ApplyKind.Scalar:
            {
                object? value = null;
                var rows = 0;
                while (op.Next() is { } b)
                {
                    if (b.RowCount == 0) continue;
                    rows += b.RowCount;
                    if (rows > 1 && _context.ScalarSubqueryErrorOnMultipleRows)
                        throw new TarnException(SqlStates.CardinalityViolation, "more than one row returned by a subquery used as an expression");
                    if (rows > b.RowCount) break; // the first row was in an earlier batch
                    value = PhysicalValues.Get(b.Columns[0], 0);
                }
                return value;
            }
            default:
            {
                var operand = BoundExpressions.Literal(values[^1], _apply.Operand!.Type);
                var compare = BoundExpressions.Compare(_apply.Comparison, operand, BoundExpressions.Column(0, _apply.Right.Output[0].Type));
                var test = new ExpressionCompiler(_context).CompileAs(compare, DataType.Boolean);
                var sawNull = false;
                while (op.Next() is { } b)
                {
                    if (b.RowCount == 0) continue;
                    var v = test.Evaluate(b);
                    for (var i = 0; i < b.RowCount; i++)
                    {
                        var x = PhysicalValues.Get(v, i);
                        if (x is true) return true;
                        if (x is null) sawNull = true;
                    }
                }
                return sawNull ? null : false;
            }
        }
    }

    private static BoundExpression Retyped(BoundExpression literal, DataType type) =>
        literal is BoundLiteral { Value: null } ? BoundLiteral.Null(type) : literal;

    public void Dispose() => _left.Dispose();

    /// <summary>A tuple of physical values compared element by element (byte arrays by content).</summary>
    private sealed class ValueKey(object?[] values) : IEquatable<ValueKey>
    {
        private readonly object?[] _values = values;

        public bool Equals(ValueKey? other)
        {
            if (other is null || other._values.Length != _values.Length) return false;
            for (var i = 0; i < _values.Length; i++)
            {
                var a = _values[i];
                var b = other._values[i];
                if (a is byte[] x && b is byte[] y) { if (!x.AsSpan().SequenceEqual(y)) return false; }
                else if (!Equals(a, b)) return false;
            }
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as ValueKey);

        public override int GetHashCode()
        {
            var h = new HashCode();
            foreach (var v in _values) h.Add(v is byte[] bytes ? bytes.Length : v);
            return h.ToHashCode();
        }
    }
}
