using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>
/// <c>$RAISE_ERROR(sqlstate, message)</c> of any result type: fails as soon as it is evaluated for a row. The binder
/// places it in CASE branches (JSON_VALUE ... ERROR ON EMPTY), which evaluate it only for the rows that reach them.
/// </summary>
public sealed class RaiseErrorFunction(DataType type, string sqlState, string message) : VectorExpression(type)
{
    public static void Register(Dictionary<string, FunctionLibrary.Factory> f) =>
        f["$RAISE_ERROR"] = (c, a, _) => new RaiseErrorFunction(c.Type,
            (a[0] as ConstantExpression)?.Value as string ?? SqlStates.InvalidParameterValue,
            (a[1] as ConstantExpression)?.Value as string ?? "error");

    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        if (batch.RowCount > 0) throw new TarnException(sqlState, message);
        return PhysicalValues.Repeat(Type, null, 0);
    }
}
