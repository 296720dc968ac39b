using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// A bound INSERT: <see cref="Source"/> produces exactly the target table's physical columns, in table order,
/// already converted to their types (assignment casts).
/// </summary>
public sealed record BoundInsert(ObjectPath Path, TableDef Table, LogicalPlan Source, bool Overwrite);

public sealed partial class Binder
{
    public BoundInsert BindInsert(InsertStatement insert)
    {
        var path = _context.Resolve(insert.Table.Parts.Select(p => p.Value).ToList(), insert.Table.Position);
        var table = _context.Catalog.FindTable(path)
            ?? throw Error(SqlStates.UndefinedTable, $"table '{path}' does not exist", insert.Table.Position);
        _context.Authorize?.Invoke(path, TablePrivileges.Insert, insert.Table.Position);
        // Whether a connector table can be written (in batch, or by a job) is the connectors' business: the statement runner asks them.

        var physical = table.Columns.Where(c => c.IsPhysical || IsWritableMetadata(table, c)).ToList();

        // Static partition values: PARTITION (k = v) fixes columns that the source then does not provide.
        var fixedValues = new Dictionary<ColumnDef, BoundExpression>();
        foreach (var pv in insert.Partition)
        {
            var col = table.FindColumn(pv.Column.Value) ?? throw Error(SqlStates.UndefinedColumn, $"column '{pv.Column.Value}' does not exist in '{path}'", pv.Column.Position);
            if (!table.PartitionKeys.Any(k => string.Equals(k, col.Name, StringComparison.OrdinalIgnoreCase)))
                throw Error(SqlStates.InvalidParameterValue, $"'{col.Name}' is not a partition column of '{path}'", pv.Column.Position);
            var value = CoerceStringLiteral(BindExpression(pv.Value, Scope.Empty), col.Type, pv.Value.Position);
            if (!value.IsConstant) throw Error(SqlStates.SyntaxError, "partition values must be constants", pv.Value.Position);
            fixedValues[col] = Assign(value, col, pv.Value.Position);
        }

        // Which target columns the source fills, in source order.
        List<ColumnDef> targets;
        if (!insert.Columns.IsEmpty)
        {
            targets = [];
            foreach (var id in insert.Columns)
            {
                var col = table.FindColumn(id.Value) ?? throw Error(SqlStates.UndefinedColumn, $"column '{id.Value}' does not exist in '{path}'", id.Position);
                if (!col.IsPhysical && !IsWritableMetadata(table, col)) throw Error(SqlStates.InvalidParameterValue, $"column '{col.Name}' is computed and cannot be inserted into", id.Position);
                if (targets.Contains(col)) throw Error(SqlStates.DuplicateColumn, $"column '{col.Name}' is specified more than once", id.Position);
                if (fixedValues.ContainsKey(col)) throw Error(SqlStates.DuplicateColumn, $"column '{col.Name}' is also given in PARTITION", id.Position);
                targets.Add(col);
            }
        }
        else
        {
            targets = physical.Where(c => !fixedValues.ContainsKey(c)).ToList();
        }

        var targetTypes = targets.Select(t => t.Type).ToList();
        LogicalPlan source;
        if (insert.DefaultValues)
        {
            targets = [];
            source = new LogicalValues([[]], []);
        }
        else if (insert.Source is { IsBodyOnly: true, Body: ValuesBody values })
            source = BindValues(WithDefaults(values, targets, path), targetTypes);
        else source = BindQuery(insert.Source).Plan;
        if (source.Output.Count != targets.Count)
            throw Error(SqlStates.SyntaxError, $"INSERT has {targets.Count} target columns but the query produces {source.Output.Count}", insert.Source.Position);

        var exprs = new List<BoundExpression>();
        foreach (var col in physical)
        {
            var i = targets.IndexOf(col);
            BoundExpression e;
            if (i >= 0)
            {
                e = BoundExpressions.Column(i, source.Output[i].Type);
                if (source is LogicalValues) { /* literals were already coerced per row */ }
                e = Assign(e, col, insert.Source.Position);
            }
            else if (fixedValues.TryGetValue(col, out var fixedValue)) e = fixedValue;
            else if (col.DefaultExpression is not null) e = BindColumnDefault(col, insert.Position);
            else
            {
                if (!col.Type.Nullable) throw Error(SqlStates.NotNullViolation, $"column '{col.Name}' is NOT NULL and has no value in this INSERT", insert.Position);
                e = BoundLiteral.Null(col.Type);
            }
            exprs.Add(e);
        }
        var plan = new LogicalProject(source, exprs, physical.Select(c => new OutputColumn(c.Name, c.Type)).ToList());
        return new BoundInsert(path, table, plan, insert.Overwrite);
    }

    private static BoundExpression Assign(BoundExpression value, ColumnDef column, SourcePosition position)
    {
        try
        {
            var target = column.Type;
            if (value.Type.Kind == TypeKind.Null) return BoundLiteral.Null(target);
            var cast = BoundExpressions.Cast(value, target.WithNullable(true), CastMode.Assignment);
            return cast;
        }
        catch (TarnException e)
        {
            throw Error(e.SqlState, $"column '{column.Name}' is {column.Type.ToSql()} but the value is {value.Type.WithNullable(true).ToSql()}", position);
        }
    }
}
