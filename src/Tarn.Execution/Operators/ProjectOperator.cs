using Tarn.Execution.Expressions;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>Computes one output column per expression. Plain column references pass their vectors through.</summary>
public sealed class ProjectOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly VectorExpression[] _expressions;
    private readonly ExecutionContext _context;

    public ProjectOperator(IBatchOperator input, IReadOnlyList<BoundExpression> expressions, ExecutionContext context)
    {
        _input = input;
        _context = context;
        var compiler = new ExpressionCompiler(context);
        _expressions = [.. expressions.Select(compiler.Compile)];
        OutputTypes = [.. expressions.Select(e => e.Type)];
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        while (true)
        {
            _context.ThrowIfCanceled();
            var batch = _input.Next();
            if (batch is null) return null;
            if (batch.RowCount == 0) continue;
            var columns = new ColumnVector[_expressions.Length];
            for (var i = 0; i < columns.Length; i++) columns[i] = _expressions[i].Evaluate(batch);
            return new ColumnBatch(columns, batch.RowCount);
        }
    }

    public void Dispose() => _input.Dispose();
}
