using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Sql;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// A table's <c>WATERMARK FOR column AS expression</c>, bound: <see cref="Column"/> is the rowtime column and
/// <see cref="Expression"/> the watermark strategy, both over the table's columns in declaration order (stored,
/// computed and metadata columns alike: the row a table reference produces before any pruning).
/// </summary>
public sealed record BoundWatermark(int Column, BoundExpression Expression);

public sealed partial class Binder
{
    /// <summary>
    /// The bound watermark of <paramref name="table"/>, or null when it declares none. Batch queries ignore
    /// watermarks; the streaming runtime evaluates <see cref="BoundWatermark.Expression"/> over each source row.
    /// The rowtime column must be a TIMESTAMP(3) or TIMESTAMP_LTZ(3) and the strategy of the same type (Flink's rule).
    /// </summary>
    public BoundWatermark? BindWatermark(TableDef table)
    {
        if (table.Watermark is not { } watermark) return null;
        var scope = new Scope(table.Columns.Select(c => new ScopeColumn(table.Name, c.Name, c.Type)).ToList());
        var column = -1;
        for (var i = 0; i < table.Columns.Count; i++)
            if (string.Equals(table.Columns[i].Name, watermark.Column, StringComparison.OrdinalIgnoreCase)) column = i;
        if (column < 0)
            throw new TarnException(SqlStates.UndefinedColumn, $"watermark column '{watermark.Column}' of table '{table.Name}' does not exist");
        var timeType = table.Columns[column].Type;
        if (timeType.Kind is not (TypeKind.Timestamp or TypeKind.TimestampLtz))
            throw new TarnException(SqlStates.DatatypeMismatch, $"watermark column '{watermark.Column}' must be a TIMESTAMP or TIMESTAMP_LTZ, but is {timeType}");
        var strategy = BindExpression(SqlParser.ParseExpression(watermark.Expression), scope);
        if (strategy.Type.Kind != timeType.Kind)
            throw new TarnException(SqlStates.DatatypeMismatch, $"the watermark of '{watermark.Column}' must be a {timeType.Kind} expression, but '{watermark.Expression}' is {strategy.Type}");
        return new BoundWatermark(column, strategy);
    }
}
