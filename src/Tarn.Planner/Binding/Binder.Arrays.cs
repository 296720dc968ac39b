using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>a || b: string/bytes concatenation, or ARRAY_CONCAT when an operand is an array (DuckDB, PostgreSQL).</summary>
    private static BoundExpression BindConcat(BoundExpression left, BoundExpression right) =>
        left.Type.IsArray || right.Type.IsArray
            ? BoundExpressions.Call(FunctionRegistry.ArrayConcatFunction, left, right)
            : BoundExpressions.Concat(left, right);

    /// <summary>
    /// A list parameter (object[], int[], List&lt;string&gt;, ...) as an ARRAY literal: the element type is the common type
    /// of the elements' parameter types (nested lists give nested arrays; all NULL gives ARRAY&lt;NULL&gt;).
    /// </summary>
    private static BoundLiteral ArrayParameterLiteral(System.Collections.IEnumerable list, SourcePosition position)
    {
        DataType element = DataType.Null;
        foreach (var item in list)
        {
            var itemType = ParameterLiteral(item, position).Type;
            element = TypeRules.CommonType(element, itemType)
                ?? throw new TarnException(SqlStates.DatatypeMismatch, $"the elements of an array parameter have no common type ({element.ToSql()} and {itemType.ToSql()}) at {position}", position);
        }
        element = element.Kind == TypeKind.Char ? DataType.String : element;
        try
        {
            var bytes = ArrayValues.FromClr(list, element.WithNullable(true));
            return new BoundLiteral(bytes, DataType.Array(element).WithNullable(false));
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
        {
            throw new TarnException(SqlStates.InvalidParameterValue, $"array parameter: {ex.Message} at {position}", position);
        }
    }
}
