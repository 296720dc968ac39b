using Tarn.Execution.Expressions;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// Keeps the rows for which <c>predicate</c> is TRUE (NULL and FALSE drop the row). AND/OR are evaluated left to
/// right on the rows still undecided. A batch whose rows all pass is forwarded unchanged; otherwise the passing rows
/// are gathered (dictionary columns stay dictionary-encoded).
/// </summary>
public sealed class FilterOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly VectorExpression _predicate;
    private readonly ExecutionContext _context;
    private int[] _selection = [];

    public FilterOperator(IBatchOperator input, BoundExpression predicate, ExecutionContext context)
    {
        if (predicate.Type.Kind is not (TypeKind.Boolean or TypeKind.Null))
            throw new TarnException(SqlStates.DatatypeMismatch, $"argument of WHERE must be BOOLEAN, not {predicate.Type.ToSql()}");
        _input = input;
        _context = context;
        _predicate = new ExpressionCompiler(context).CompileAs(predicate, DataType.Boolean);
    }

    public IReadOnlyList<DataType> OutputTypes => _input.OutputTypes;

    public ColumnBatch? Next()
    {
        while (true)
        {
            _context.ThrowIfCanceled();
            var batch = _input.Next();
            if (batch is null) return null;
            var n = batch.RowCount;
            if (n == 0) continue;
            if (_selection.Length < n) _selection = new int[n];
            var selected = _predicate.Select(batch, Selection.All(n), _selection);
            if (selected == n) return batch;
            if (selected > 0) return batch.Gather(_selection.AsSpan(0, selected));
        }
    }

    public void Dispose() => _input.Dispose();
}
