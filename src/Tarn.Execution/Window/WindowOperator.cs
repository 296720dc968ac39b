using Tarn.Execution.Expressions;
using Tarn.Execution.Sorting;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Window;

/// <summary>
/// Window functions (OVER) in batch mode: materializes the input (within the query memory limit) with every
/// expression the functions read, sorts the row numbers once per distinct (PARTITION BY, ORDER BY), finds partition
/// and peer boundaries, computes each function for all rows, and emits the input rows in their arrival order with
/// one result column per function appended.
/// </summary>
public sealed class WindowOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly IReadOnlyList<WindowFunction> _functions;
    private readonly ExecutionContext _context;
    private readonly int _inputWidth;
    private readonly List<VectorExpression> _computed = [];
    private readonly Dictionary<BoundExpression, int> _stored = [];
    private readonly List<DataType> _storedTypes;
    private readonly RowCollection _rows;
    private ColumnVector[]? _results;
    private int _emitted;

    public WindowOperator(IBatchOperator input, IReadOnlyList<WindowFunction> functions, ExecutionContext context)
    {
        _input = input;
        _functions = functions;
        _context = context;
        _inputWidth = input.OutputTypes.Count;
        _storedTypes = [.. input.OutputTypes];
        var compiler = new ExpressionCompiler(context);
        foreach (var f in functions)
        {
            foreach (var e in f.PartitionBy) Store(e, compiler);
            foreach (var k in f.OrderBy) Store(k.Expression, compiler);
            foreach (var a in f.Arguments) Store(a, compiler);
            if (f.Aggregate?.Argument is { } arg) Store(arg, compiler);
            if (f.Aggregate?.Filter is { } filter) Store(filter, compiler);
        }
        _rows = new RowCollection(_storedTypes, context, "window");
        OutputTypes = [.. input.OutputTypes, .. functions.Select(f => f.Type)];
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    private void Store(BoundExpression e, ExpressionCompiler compiler)
    {
        if (e is BoundColumnRef || _stored.ContainsKey(e)) return;
        _stored[e] = _storedTypes.Count;
        _storedTypes.Add(e.Type);
        _computed.Add(compiler.Compile(e));
    }

    private ColumnVector Column(BoundExpression e) => _rows.Columns[e is BoundColumnRef c ? c.Index : _stored[e]];

    public ColumnBatch? Next()
    {
        if (_results is null)
        {
            Materialize();
            _results = ComputeAll();
        }
        if (_emitted >= _rows.Count) return null;
        var count = Math.Min(_context.BatchSize, _rows.Count - _emitted);
        var columns = new ColumnVector[OutputTypes.Count];
        for (var c = 0; c < _inputWidth; c++) columns[c] = _rows.Columns[c].Slice(_emitted, count);
        for (var f = 0; f < _results.Length; f++) columns[_inputWidth + f] = _results[f].Slice(_emitted, count);
        _emitted += count;
        return new ColumnBatch(columns, count);
    }

    private void Materialize()
    {
        var columns = new ColumnVector[_storedTypes.Count];
        while (_input.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            for (var c = 0; c < _inputWidth; c++) columns[c] = batch.Columns[c];
            for (var k = 0; k < _computed.Count; k++) columns[_inputWidth + k] = _computed[k].Evaluate(batch);
            _rows.Append(columns, batch.RowCount);
        }
    }

    private ColumnVector[] ComputeAll()
    {
        var results = new ColumnVector[_functions.Count];
        var done = new bool[_functions.Count];
        for (var f = 0; f < _functions.Count; f++)
        {
            if (done[f]) continue;
            var parts = Partition(_functions[f]);
            for (var g = f; g < _functions.Count; g++)
            {
                if (done[g] || !_functions[g].SameWindow(_functions[f])) continue;
                _context.ThrowIfCanceled();
                results[g] = Compute(_functions[g], parts);
                done[g] = true;
            }
        }
        return results;
    }

    /// <summary>Sorts by (partition keys, order keys) and finds where partitions and peer groups change.</summary>
    private WindowPartitions Partition(WindowFunction f)
    {
        var n = _rows.Count;
        var keys = new List<ColumnVector>();
        var descending = new List<bool>();
        var nullsFirst = new List<bool>();
        foreach (var p in f.PartitionBy)
        {
            keys.Add(Column(p));
            descending.Add(false);
            nullsFirst.Add(true);
        }
        foreach (var k in f.OrderBy)
        {
            keys.Add(Column(k.Expression));
            descending.Add(k.Descending);
            nullsFirst.Add(k.EffectiveNullsFirst);
        }
        var order = RowSorter.Sort(keys, descending, nullsFirst, n);
        var partitionChanges = new bool[n];
        var peerChanges = new bool[n];
        for (var k = 0; k < f.PartitionBy.Count; k++) AdjacentRows.MarkChanges(keys[k], order, partitionChanges);
        for (var k = f.PartitionBy.Count; k < keys.Count; k++) AdjacentRows.MarkChanges(keys[k], order, peerChanges);
        return new WindowPartitions(order, partitionChanges, peerChanges);
    }

    private ColumnVector Compute(WindowFunction f, WindowPartitions parts)
    {
        switch (f.Kind)
        {
            case WindowFunctionKind.RowNumber or WindowFunctionKind.Rank or WindowFunctionKind.DenseRank
                or WindowFunctionKind.PercentRank or WindowFunctionKind.CumeDist or WindowFunctionKind.Ntile:
                return RankingFunctions.Compute(f.Kind, parts, f.Kind == WindowFunctionKind.Ntile ? Column(f.Arguments[0]) : null, f.Type);
            case WindowFunctionKind.Lag or WindowFunctionKind.Lead:
                return ValueFunctions.Compute(f.Kind, parts, null, null, Column(f.Arguments[0]), Column(f.Arguments[1]),
                    f.Arguments.Count > 2 ? Column(f.Arguments[2]) : null, f.Type);
        }
        var orderKey = f.OrderBy.Count == 1 ? Column(f.OrderBy[0].Expression) : null;
        var (start, end) = WindowFrames.Compute(f.Frame, parts, orderKey, f.OrderBy.Count == 1 && f.OrderBy[0].Descending);
        if (f.Kind == WindowFunctionKind.Aggregate)
        {
            var call = f.Aggregate!;
            return FrameAggregates.Compute(call, parts, start, end,
                call.Argument is null ? null : Column(call.Argument), call.Filter is null ? null : Column(call.Filter));
        }
        return ValueFunctions.Compute(f.Kind, parts, start, end, Column(f.Arguments[0]),
            f.Kind == WindowFunctionKind.NthValue ? Column(f.Arguments[1]) : null, null, f.Type);
    }

    public void Dispose()
    {
        _rows.Dispose();
        _input.Dispose();
    }
}
