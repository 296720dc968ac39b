using Tarn.Execution.Expressions;
using Tarn.Execution.Formatting;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

/// <summary>Helpers that compile and evaluate one expression.</summary>
internal static class Eval
{
    /// <summary>Evaluates a column-free expression (without constant folding) and returns the physical value.</summary>
    public static object? Value(BoundExpression e, ExecutionContext? context = null)
    {
        var k = new ExpressionCompiler(context ?? TestData.Context()).Compile(e);
        var v = k.Evaluate(new ColumnBatch([], 1));
        Assert.Equal(1, v.Count);
        return PhysicalValues.Get(v, 0);
    }

    /// <summary>Evaluates and renders as display text (null for NULL).</summary>
    public static string? Display(BoundExpression e, ExecutionContext? context = null)
    {
        var k = new ExpressionCompiler(context ?? TestData.Context()).Compile(e);
        var v = k.Evaluate(new ColumnBatch([], 1));
        return ValueFormatter.Format(v, 0, (context ?? TestData.Context()).SessionTimeZone);
    }

    /// <summary>Evaluates over rows; returns one value per row.</summary>
    public static List<object?> Column(BoundExpression e, IReadOnlyList<DataType> types, IReadOnlyList<object?[]> rows, bool dictionary = false)
    {
        var k = new ExpressionCompiler(TestData.Context()).Compile(e);
        var batch = TestData.Batch(types, rows, dictionary);
        var v = k.Evaluate(batch);
        Assert.Equal(rows.Count, v.Count);
        return [.. Enumerable.Range(0, rows.Count).Select(i => PhysicalValues.Get(v, i))];
    }

    public static string SqlStateOf(Action a)
    {
        var ex = Assert.Throws<TarnException>(a);
        return ex.SqlState;
    }

    public static BoundLiteral Str(string s) => BoundLiteral.Of(s);
    public static BoundLiteral Int(int v) => BoundLiteral.Of(v);
    public static BoundLiteral Long(long v) => BoundLiteral.Of(v);
    public static BoundLiteral Dbl(double v) => BoundLiteral.Of(v);
    public static BoundLiteral Dec(long unscaled, int precision, int scale) => new(unscaled, DataType.Decimal(precision, scale).WithNullable(false));
    public static BoundExpression Call(string name, params BoundExpression[] args) => BoundExpressions.Call(name, args);
    public static BoundExpression Cast(BoundExpression e, DataType t, CastMode mode = CastMode.Explicit) => BoundExpressions.Cast(e, t, mode);
}
