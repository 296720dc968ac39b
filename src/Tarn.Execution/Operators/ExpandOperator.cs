using Tarn.Execution.Expressions;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// Emits each input batch once per projection (the lowering of <c>LogicalExpand</c>, used for grouping sets):
/// projection p of a batch is evaluated when the previous one has been consumed, so one input batch is held at a time.
/// Plain column references pass their vectors through.
/// </summary>
public sealed class ExpandOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly VectorExpression[][] _projections;
    private readonly ExecutionContext _context;
    private ColumnBatch? _current;
    private int _next;

    public ExpandOperator(IBatchOperator input, IReadOnlyList<IReadOnlyList<BoundExpression>> projections, IReadOnlyList<DataType> outputTypes, ExecutionContext context)
    {
        _input = input;
        _context = context;
        var compiler = new ExpressionCompiler(context);
        _projections = [.. projections.Select(p => p.Select(compiler.Compile).ToArray())];
        OutputTypes = outputTypes;
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        while (true)
        {
            _context.ThrowIfCanceled();
            if (_current is null || _next == _projections.Length)
            {
                _current = _input.Next();
                if (_current is null) return null;
                _next = 0;
                if (_current.RowCount == 0 || _projections.Length == 0)
                {
                    _next = _projections.Length;
                    continue;
                }
            }
            var expressions = _projections[_next++];
            var columns = new ColumnVector[expressions.Length];
            for (var i = 0; i < columns.Length; i++) columns[i] = expressions[i].Evaluate(_current);
            return new ColumnBatch(columns, _current.RowCount);
        }
    }

    public void Dispose() => _input.Dispose();
}
