namespace Tarn.Planner.Expressions;

/// <summary>DuckDB's function names for the arithmetic operators: ADD(a, b) is a + b, and so on (numeric operands).</summary>
public static partial class FunctionRegistry
{
    private static void RegisterOperatorFunctions()
    {
        AddOperatorFunction("ADD", ArithmeticOperator.Add);
        AddOperatorFunction("SUBTRACT", ArithmeticOperator.Subtract);
        AddOperatorFunction("MULTIPLY", ArithmeticOperator.Multiply);
    }

    private static void AddOperatorFunction(string name, ArithmeticOperator op) =>
        Add(name, $"{name}(a, b)", a =>
            a is [var x, var y] && Num(x.Type) && Num(y.Type) ? BoundExpressions.Arithmetic(op, x, y) : null);
}
