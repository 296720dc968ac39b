using Tarn.Execution.Expressions;
using Tarn.Execution.Operators;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Joins;

/// <summary>
/// The probe half shared by the hash and nested-loop joins: given a probe (left) batch and, per probe row, its
/// candidate build rows (a key chain of a <see cref="JoinHashTable"/>, or every build row for a nested loop), it
/// expands candidate pairs in chunks of at most <see cref="ExecutionContext.BatchSize"/>, filters them with the
/// condition (one vectorized evaluation per chunk), and emits output according to the <see cref="JoinKind"/>.
/// The build (right) side is held as flat vectors indexed by build row.
/// </summary>
internal sealed class JoinEmitter
{
    private readonly JoinKind _kind;
    private readonly DataType[] _leftOut;
    private readonly DataType[] _rightOut;
    private readonly VectorExpression? _condition;
    private readonly VectorExpression? _markCondition;
    private bool[] _leftMarkTrue = [];
    private readonly ExecutionContext _context;
    private readonly int _batchSize;
    private ColumnVector[] _build = [];
    private int _buildRows;
    private bool[] _buildMatched = [];

    // per-chunk scratch
    private int[] _pairLeft = [];
    private int[] _pairRight = [];
    private int[] _selected = [];
    private bool[] _leftMatched = [];
    private int[] _rows = [];

    public JoinEmitter(JoinKind kind, IReadOnlyList<DataType> leftTypes, IReadOnlyList<DataType> rightTypes, BoundExpression? condition, ExecutionContext context,
        BoundExpression? markCondition = null)
    {
        if (condition is not null && condition.Type.Kind is not (TypeKind.Boolean or TypeKind.Null))
            throw new TarnException(SqlStates.DatatypeMismatch, $"argument of JOIN/ON must be BOOLEAN, not {condition.Type.ToSql()}");
        _kind = kind;
        _context = context;
        _batchSize = Math.Max(1, context.BatchSize);
        var leftNullable = kind is JoinKind.Right or JoinKind.Full;
        var rightNullable = kind is JoinKind.Left or JoinKind.Full or JoinKind.Single;
        _leftOut = new DataType[leftTypes.Count];
        for (var i = 0; i < _leftOut.Length; i++) _leftOut[i] = leftNullable ? leftTypes[i].WithNullable(true) : leftTypes[i];
        _rightOut = new DataType[rightTypes.Count];
        for (var i = 0; i < _rightOut.Length; i++) _rightOut[i] = rightNullable ? rightTypes[i].WithNullable(true) : rightTypes[i];
        _condition = condition is null ? null : new ExpressionCompiler(context).CompileAs(condition, DataType.Boolean);
        _markCondition = markCondition is null ? null : new ExpressionCompiler(context).CompileAs(markCondition, DataType.Boolean);
        OutputTypes = kind switch
        {
            JoinKind.Semi or JoinKind.Anti => [.. leftTypes],
            JoinKind.Mark => [.. leftTypes, DataType.Boolean.WithNullable(true)],
            _ => [.. _leftOut, .. _rightOut],
        };
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    /// <summary>
    /// Lets a unique-key inner join emit one batch per probe batch even beyond the batch size (at most the probe
    /// batch's rows): for probes of whole row groups in parallel pipelines, where slicing would only copy.
    /// </summary>
    public bool WholeProbeBatches { get; init; }

    /// <summary>
    /// Per build column, the probe column it equals on joined rows (an integer join key compared column to column, so
    /// equal means identical), or -1. The unique-key inner join shares those columns instead of gathering them.
    /// </summary>
    public int[]? RightKeyCopies { get; init; }

    /// <summary>
    /// Lets the unique-key inner join gather build columns into arrays it reuses for the next probe batch: only for
    /// consumers that are done with a batch before asking for the next (a parallel aggregation's pipeline, which
    /// already decodes every row group into the same arrays), never when batches are queued or kept.
    /// </summary>
    public bool ReuseOutputArrays { get; init; }

    private object?[] _gathered = [];

    private ColumnVector GatherReused(int column, ReadOnlySpan<int> rows)
    {
        if (_gathered.Length != _rightOut.Length) _gathered = new object?[_rightOut.Length];
        var type = _rightOut[column];
        return _build[column] switch
        {
            PrimitiveVector<long> v when v.Nulls is null => GatherInto(v, rows, column, type),
            PrimitiveVector<int> v when v.Nulls is null => GatherInto(v, rows, column, type),
            PrimitiveVector<double> v when v.Nulls is null => GatherInto(v, rows, column, type),
            PrimitiveVector<short> v when v.Nulls is null => GatherInto(v, rows, column, type),
            PrimitiveVector<sbyte> v when v.Nulls is null => GatherInto(v, rows, column, type),
            PrimitiveVector<float> v when v.Nulls is null => GatherInto(v, rows, column, type),
            PrimitiveVector<bool> v when v.Nulls is null => GatherInto(v, rows, column, type),
            PrimitiveVector<Int128> v when v.Nulls is null => GatherInto(v, rows, column, type),
            var v => PhysicalValues.Retype(v.Gather(rows), type),
        };
    }

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private PrimitiveVector<T> GatherInto<T>(PrimitiveVector<T> source, ReadOnlySpan<int> rows, int column, DataType type) where T : unmanaged
    {
        if (_gathered[column] is not T[] buffer || buffer.Length < rows.Length) _gathered[column] = buffer = new T[Math.Max(rows.Length, 1)];
        var values = source.Values;
        for (var i = 0; i < rows.Length; i++) buffer[i] = values[rows[i]];
        return new PrimitiveVector<T>(type, buffer, rows.Length);
    }

    private bool EmitsPairs => _kind is JoinKind.Inner or JoinKind.Left or JoinKind.Right or JoinKind.Full or JoinKind.Single;

    private bool TracksBuild => _kind is JoinKind.Right or JoinKind.Full;

    /// <summary>Sets the materialized build side: <paramref name="columns"/> hold <paramref name="rows"/> rows each.</summary>
    public void SetBuild(ColumnVector[] columns, int rows)
    {
        _build = columns;
        _buildRows = rows;
        if (TracksBuild) _buildMatched = new bool[rows];
    }

    private static int[] Grow(ref int[] buffer, int n)
    {
        if (buffer.Length < n) buffer = new int[n];
        return buffer;
    }

    /// <summary>
    /// Output for one probe batch. <paramref name="keyIds"/> null means every build row is a candidate of every probe
    /// row (nested loop); otherwise row i's candidates are the chain starting at <c>heads[keyIds[i]]</c> (none when -1).
    /// </summary>
    public IEnumerable<ColumnBatch> Probe(ColumnBatch left, int[]? keyIds, int[]? heads, int[]? next, bool uniqueKeys = false)
    {
        var n = left.RowCount;
        if (uniqueKeys && keyIds is not null && _condition is null && _kind == JoinKind.Inner && (n <= _batchSize || WholeProbeBatches))
        {
            // Each probe row meets at most one build row (a foreign key into a key): no pairs to expand, and when every
            // row matches, the probe columns pass through untouched.
            if (UniqueInner(left, keyIds, heads!) is { } joined) yield return joined;
            yield break;
        }
        if (_leftMatched.Length < n) _leftMatched = new bool[n];
        var leftMatched = _leftMatched;
        Array.Clear(leftMatched, 0, n);
        if (_kind == JoinKind.Mark)
        {
            if (_leftMarkTrue.Length < n) _leftMarkTrue = new bool[n];
            Array.Clear(_leftMarkTrue, 0, n);
        }

        if (_condition is null && !EmitsPairs && _markCondition is null)
        {
            // Semi/Anti on keys alone: a row matches when it has any candidate
            for (var i = 0; i < n; i++) leftMatched[i] = keyIds is null ? _buildRows > 0 : keyIds[i] >= 0;
        }
        else
        {
            var cap = _batchSize;
            var pl = Grow(ref _pairLeft, cap);
            var pr = Grow(ref _pairRight, cap);
            var count = 0;
            for (var i = 0; i < n; i++)
            {
                if (keyIds is null)
                {
                    for (var j = 0; j < _buildRows; j++)
                    {
                        pl[count] = i;
                        pr[count++] = j;
                        if (count == cap)
                        {
                            if (Chunk(left, count) is { } b) yield return b;
                            count = 0;
                        }
                    }
                }
                else
                {
                    var g = keyIds[i];
                    if (g < 0) continue;
                    for (var j = heads![g]; j >= 0; j = next![j])
                    {
                        pl[count] = i;
                        pr[count++] = j;
                        if (count == cap)
                        {
                            if (Chunk(left, count) is { } b) yield return b;
                            count = 0;
                        }
                    }
                }
            }
            if (count > 0 && Chunk(left, count) is { } last) yield return last;
        }

        if (_kind is JoinKind.Inner or JoinKind.Right) yield break;
        if (_kind == JoinKind.Mark)
        {
            yield return WithMark(left, n);
            yield break;
        }
        // Left/Full: unmatched rows padded with NULLs; Semi: matched rows; Anti: unmatched rows
        var want = _kind == JoinKind.Semi;
        var rows = Grow(ref _rows, n);
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            if (leftMatched[i] == want) rows[m++] = i;
        }
        if (m == n && n <= _batchSize && !EmitsPairs)
        {
            yield return left;
            yield break;
        }
        for (var start = 0; start < m; start += _batchSize)
        {
            var len = Math.Min(_batchSize, m - start);
            yield return EmitsPairs ? LeftOnly(left, rows.AsSpan(start, len)) : left.Gather(rows.AsSpan(start, len));
        }
    }

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ColumnBatch? UniqueInner(ColumnBatch left, int[] keyIds, int[] heads)
    {
        var n = left.RowCount;
        var rows = Grow(ref _rows, n);
        var right = Grow(ref _pairRight, n);
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            var g = keyIds[i];
            if (g < 0) continue;
            rows[m] = i;
            right[m++] = heads[g];
        }
        if (m == 0) return null;
        var columns = new ColumnVector[_leftOut.Length + _rightOut.Length];
        for (var c = 0; c < _leftOut.Length; c++)
            columns[c] = PhysicalValues.Retype(m == n ? left.Columns[c] : left.Columns[c].Gather(rows.AsSpan(0, m)), _leftOut[c]);
        for (var c = 0; c < _rightOut.Length; c++)
        {
            // a build key column equals its probe key column on every joined row: share it instead of gathering
            columns[_leftOut.Length + c] = RightKeyCopies is { } copies && copies[c] >= 0 && columns[copies[c]].Nulls is null
                ? PhysicalValues.Retype(columns[copies[c]], _rightOut[c])
                : ReuseOutputArrays ? GatherReused(c, right.AsSpan(0, m)) : PhysicalValues.Retype(_build[c].Gather(right.AsSpan(0, m)), _rightOut[c]);
        }
        return new ColumnBatch(columns, m);
    }

    /// <summary>Filters the chunk's pairs by the condition, records matches, and returns the matched pairs when they are output.</summary>
    private ColumnBatch? Chunk(ColumnBatch left, int count)
    {
        _context.ThrowIfCanceled();
        var pl = _pairLeft;
        var pr = _pairRight;
        ColumnBatch? pairs = null;
        var matched = count;
        if (_condition is not null)
        {
            pairs = PairBatch(left, pl.AsSpan(0, count), pr.AsSpan(0, count));
            var selected = Grow(ref _selected, count);
            matched = _condition.Select(pairs, Selection.All(count), selected);
            if (matched < count)
            {
                // compact the matched pairs (selected is ascending, so in-place is safe)
                for (var k = 0; k < matched; k++)
                {
                    pl[k] = pl[selected[k]];
                    pr[k] = pr[selected[k]];
                }
                if (EmitsPairs && matched > 0) pairs = pairs.Gather(selected.AsSpan(0, matched));
            }
        }
        if (matched == 0) return null;
        var leftMatched = _leftMatched;
        if (_kind == JoinKind.Single && !_context.ScalarSubqueryErrorOnMultipleRows)
        {
            matched = KeepFirstMatches(pl, pr, matched, ref pairs);
            if (matched == 0) return null;
        }
        else if (_kind == JoinKind.Single)
        {
            for (var k = 0; k < matched; k++)
            {
                if (leftMatched[pl[k]])
                    throw new TarnException(SqlStates.CardinalityViolation, "more than one row returned by a subquery used as an expression");
                leftMatched[pl[k]] = true;
            }
        }
        if (_kind == JoinKind.Mark) Mark(left, matched);
        for (var k = 0; k < matched; k++) leftMatched[pl[k]] = true;
        if (TracksBuild)
        {
            var buildMatched = _buildMatched;
            for (var k = 0; k < matched; k++) buildMatched[pr[k]] = true;
        }
        if (!EmitsPairs) return null;
        return pairs ?? PairBatch(left, pl.AsSpan(0, matched), pr.AsSpan(0, matched));
    }

    private int[] _kept = [];

    /// <summary>
    /// A single join with <see cref="ExecutionContext.ScalarSubqueryErrorOnMultipleRows"/> off: only the first matched
    /// pair of each left row is kept (the subquery's value is its first row), the others are dropped.
    /// </summary>
    private int KeepFirstMatches(int[] pl, int[] pr, int matched, ref ColumnBatch? pairs)
    {
        var leftMatched = _leftMatched;
        var kept = Grow(ref _kept, matched);
        var count = 0;
        for (var k = 0; k < matched; k++)
        {
            if (leftMatched[pl[k]]) continue;
            leftMatched[pl[k]] = true;
            kept[count++] = k;
        }
        if (count == matched) return matched;
        for (var k = 0; k < count; k++)
        {
            pl[k] = pl[kept[k]];
            pr[k] = pr[kept[k]];
        }
        if (pairs is not null && count > 0) pairs = pairs.Gather(kept.AsSpan(0, count));
        return count;
    }

    /// <summary>Mark joins: records which left rows have a matched pair whose mark condition is TRUE.</summary>
    private void Mark(ColumnBatch left, int matched)
    {
        var pl = _pairLeft;
        var markTrue = _leftMarkTrue;
        if (_markCondition is null)
        {
            for (var k = 0; k < matched; k++) markTrue[pl[k]] = true;
            return;
        }
        var pairs = PairBatch(left, pl.AsSpan(0, matched), _pairRight.AsSpan(0, matched));
        var selected = new int[matched];
        var count = _markCondition.Select(pairs, Selection.All(matched), selected);
        for (var k = 0; k < count; k++) markTrue[pl[selected[k]]] = true;
    }

    /// <summary>The probe batch with the mark column: TRUE, else NULL when some pair matched, else FALSE.</summary>
    private ColumnBatch WithMark(ColumnBatch left, int n)
    {
        var mark = ColumnVector.Create(DataType.Boolean.WithNullable(true), n);
        for (var i = 0; i < n; i++)
        {
            if (_markCondition is null ? _leftMatched[i] : _leftMarkTrue[i]) PhysicalValues.Append(mark, true);
            else if (_leftMatched[i]) mark.AppendNull();
            else PhysicalValues.Append(mark, false);
        }
        var columns = new ColumnVector[left.ColumnCount + 1];
        for (var c = 0; c < left.ColumnCount; c++) columns[c] = left.Columns[c];
        columns[^1] = mark;
        return new ColumnBatch(columns, n);
    }

    private ColumnBatch PairBatch(ColumnBatch left, ReadOnlySpan<int> leftRows, ReadOnlySpan<int> rightRows)
    {
        var columns = new ColumnVector[_leftOut.Length + _rightOut.Length];
        for (var c = 0; c < _leftOut.Length; c++) columns[c] = PhysicalValues.Retype(left.Columns[c].Gather(leftRows), _leftOut[c]);
        for (var c = 0; c < _rightOut.Length; c++) columns[_leftOut.Length + c] = PhysicalValues.Retype(_build[c].Gather(rightRows), _rightOut[c]);
        return new ColumnBatch(columns, leftRows.Length);
    }

    private ColumnBatch LeftOnly(ColumnBatch left, ReadOnlySpan<int> rows)
    {
        var columns = new ColumnVector[_leftOut.Length + _rightOut.Length];
        for (var c = 0; c < _leftOut.Length; c++) columns[c] = PhysicalValues.Retype(left.Columns[c].Gather(rows), _leftOut[c]);
        for (var c = 0; c < _rightOut.Length; c++) columns[_leftOut.Length + c] = PhysicalValues.Repeat(_rightOut[c], null, rows.Length);
        return new ColumnBatch(columns, rows.Length);
    }

    /// <summary>Right/Full: the build rows no probe row matched, padded with NULL left columns (after the probe side ends).</summary>
    public IEnumerable<ColumnBatch> UnmatchedBuild()
    {
        if (!TracksBuild) yield break;
        var rows = new int[Math.Min(_batchSize, Math.Max(_buildRows, 1))];
        var m = 0;
        for (var j = 0; j < _buildRows; j++)
        {
            if (_buildMatched[j]) continue;
            rows[m++] = j;
            if (m == rows.Length)
            {
                yield return RightOnly(rows.AsSpan(0, m));
                m = 0;
            }
        }
        if (m > 0) yield return RightOnly(rows.AsSpan(0, m));
    }

    private ColumnBatch RightOnly(ReadOnlySpan<int> rows)
    {
        var columns = new ColumnVector[_leftOut.Length + _rightOut.Length];
        for (var c = 0; c < _leftOut.Length; c++) columns[c] = PhysicalValues.Repeat(_leftOut[c], null, rows.Length);
        for (var c = 0; c < _rightOut.Length; c++) columns[_leftOut.Length + c] = PhysicalValues.Retype(_build[c].Gather(rows), _rightOut[c]);
        return new ColumnBatch(columns, rows.Length);
    }
}
