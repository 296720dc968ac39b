using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Sql;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>Column defaults in INSERT: omitted columns, the DEFAULT keyword in VALUES, and INSERT ... DEFAULT VALUES.</summary>
public sealed partial class Binder
{
    /// <summary>True for the DEFAULT keyword where a value goes (it parses as an unquoted column reference).</summary>
    public static bool IsDefaultKeyword(Expression e) =>
        e is ColumnRef { Parts: [{ Quoted: false } name] } && string.Equals(name.Value, "DEFAULT", StringComparison.OrdinalIgnoreCase);

    /// <summary>The column's DEFAULT as syntax, or NULL when it has none.</summary>
    public static Expression DefaultSyntax(ColumnDef column, SourcePosition position) =>
        column.DefaultExpression is null ? new NullLiteral(position) : SqlParser.ParseExpression(column.DefaultExpression);

    /// <summary>The column's DEFAULT, bound and converted to the column's type.</summary>
    private BoundExpression BindColumnDefault(ColumnDef column, SourcePosition position)
    {
        var value = BindExpression(DefaultSyntax(column, position), Scope.Empty);
        if (!value.IsConstant) throw Error(SqlStates.FeatureNotSupported, $"the DEFAULT of column '{column.Name}' is not a constant expression", position);
        return Assign(CoerceStringLiteral(value, column.Type, position), column, position);
    }

    /// <summary>VALUES rows checked against the target columns, with each DEFAULT replaced by that column's default.</summary>
    private ValuesBody WithDefaults(ValuesBody values, List<ColumnDef> targets, ObjectPath path)
    {
        var rows = new List<ValuesRow>(values.Rows.Count);
        var changed = false;
        foreach (var row in values.Rows)
        {
            if (row.Values.Count != targets.Count)
                throw Error(SqlStates.SyntaxError, $"INSERT into '{path}' has {targets.Count} target columns but VALUES gives {row.Values.Count}", row.Position);
            var items = new Expression[row.Values.Count];
            for (var c = 0; c < items.Length; c++)
            {
                var v = row.Values[c];
                if (IsDefaultKeyword(v))
                {
                    items[c] = DefaultSyntax(targets[c], v.Position);
                    changed = true;
                }
                else items[c] = v;
            }
            rows.Add(new ValuesRow([.. items], row.Position));
        }
        return changed ? values with { Rows = [.. rows] } : values;
    }
}
