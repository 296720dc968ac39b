using Tarn.Execution.Expressions;
using Tarn.Planner.Expressions;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>Computes the output columns of each change; the change kinds pass through.</summary>
public sealed class StreamProject : IChangeConsumer
{
    private readonly VectorExpression[] _expressions;
    private readonly IChangeConsumer _output;

    public StreamProject(IReadOnlyList<BoundExpression> expressions, ExecutionContext context, IChangeConsumer output)
    {
        var compiler = new ExpressionCompiler(context);
        _expressions = [.. expressions.Select(compiler.Compile)];
        _output = output;
    }

    public void Push(ChangeBatch batch)
    {
        if (batch.RowCount == 0) return;
        var columns = new ColumnVector[_expressions.Length];
        for (var i = 0; i < columns.Length; i++) columns[i] = _expressions[i].Evaluate(batch.Rows);
        _output.Push(batch.WithRows(new ColumnBatch(columns, batch.RowCount)));
    }

    public void Watermark(long watermark) => _output.Watermark(watermark);

    public void Flush() => _output.Flush();

    public void Finish() => _output.Finish();
}
