using Tarn.Execution.Expressions;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary><c>VALUES (...), (...)</c>: rows of column-free expressions, each cast to its column's type.</summary>
public sealed class ValuesOperator : IBatchOperator
{
    private readonly IReadOnlyList<IReadOnlyList<BoundExpression>> _rows;
    private readonly ExecutionContext _context;
    private int _next;

    public ValuesOperator(IReadOnlyList<IReadOnlyList<BoundExpression>> rows, IReadOnlyList<DataType> types, ExecutionContext context)
    {
        foreach (var row in rows)
        {
            if (row.Count != types.Count)
                throw new TarnException(SqlStates.SyntaxError, "VALUES lists must all be the same length");
        }
        _rows = rows;
        OutputTypes = types;
        _context = context;
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        if (_next >= _rows.Count) return null;
        var count = Math.Min(_rows.Count - _next, _context.BatchSize);
        var columns = new ColumnVector[OutputTypes.Count];
        for (var c = 0; c < columns.Length; c++) columns[c] = ColumnVector.Create(OutputTypes[c], count);
        var compiler = new ExpressionCompiler(_context);
        var single = new ColumnBatch([], 1);
        for (var r = 0; r < count; r++)
        {
            var row = _rows[_next + r];
            for (var c = 0; c < columns.Length; c++)
            {
                var value = compiler.CompileAs(row[c], OutputTypes[c]).Evaluate(single);
                PhysicalValues.Append(columns[c], PhysicalValues.Get(value, 0));
            }
        }
        _next += count;
        return new ColumnBatch(columns, count);
    }

    public void Dispose()
    {
    }
}
