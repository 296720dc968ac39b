using Tarn.Execution.Expressions;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>Keeps the changes whose row satisfies the predicate (a -U/-D row is kept exactly when its +I/+U was).</summary>
public sealed class StreamFilter(BoundExpression predicate, ExecutionContext context, IChangeConsumer output) : IChangeConsumer
{
    private readonly VectorExpression _predicate = new ExpressionCompiler(context).CompileAs(predicate, DataType.Boolean);
    private int[] _selection = [];

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        if (_selection.Length < n) _selection = new int[n];
        var selected = _predicate.Select(batch.Rows, Execution.Vectors.Selection.All(n), _selection);
        if (selected == n) output.Push(batch);
        else if (selected > 0) output.Push(batch.Gather(_selection.AsSpan(0, selected)));
    }

    public void Watermark(long watermark) => output.Watermark(watermark);

    public void Flush() => output.Flush();

    public void Finish() => output.Finish();
}
