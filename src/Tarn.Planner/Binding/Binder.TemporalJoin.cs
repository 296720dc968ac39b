using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// Flink's temporal joins, <c>l [LEFT] JOIN t FOR SYSTEM_TIME AS OF l.time AS r ON ...</c>, where the AS OF names a
/// time attribute of the left input instead of a constant (time travel): a processing-time attribute
/// (<c>PROCTIME()</c>) makes a lookup join (<see cref="LogicalLookupJoin"/>), an event-time attribute joining a
/// versioned table (PRIMARY KEY and WATERMARK) an event-time temporal join (<see cref="LogicalTemporalJoin"/>).
/// </summary>
public sealed partial class Binder
{
    /// <summary>True when <paramref name="asOf"/> names a left column or PROCTIME() rather than a constant version.</summary>
    private static bool IsTemporalJoinTime(Expression asOf) =>
        asOf is ColumnRef || asOf is FunctionCall f && string.Equals(f.Name.Parts[^1].Value, "PROCTIME", StringComparison.OrdinalIgnoreCase);

    private (LogicalPlan Plan, Scope Scope) BindTemporalJoin(LogicalPlan left, Scope leftScope, NamedTable named, JoinedTable join)
    {
        var kind = join.Type switch
        {
            JoinType.Inner => LogicalJoinKind.Inner,
            JoinType.Left => LogicalJoinKind.Left,
            _ => throw Error(SqlStates.FeatureNotSupported, "a temporal join (FOR SYSTEM_TIME AS OF a time attribute) must be an INNER or LEFT join", join.Position),
        };
        if (join.On is null)
            throw Error(SqlStates.FeatureNotSupported, "a temporal join (FOR SYSTEM_TIME AS OF a time attribute) needs ON with an equality on the table's key", join.Position);
        var parts = named.Name.Parts.Select(p => p.Value).ToList();
        var path = _context.Resolve(parts, named.Position);
        var isQuery = parts.Count == 1 && FindCte(parts[0]) is not null
            || _context.TemporaryViews?.ContainsKey(path.ToString()) == true || _context.Catalog.FindView(path) is not null;
        if (isQuery)
            throw Error(SqlStates.FeatureNotSupported, $"FOR SYSTEM_TIME AS OF a time attribute needs a table, but '{path}' is a view or WITH query", named.Position);
        var table = _context.Catalog.FindTable(path) ?? throw Error(SqlStates.UndefinedTable, $"table '{path}' does not exist", named.Name.Position);

        var time = BindExpression(named.SystemTime!, leftScope);
        var attribute = time is BoundFunctionCall { Name: "PROCTIME" } ? TimeAttribute.Processing
            : time is BoundColumnRef c ? TraceTimeAttribute(left, c.Index)
            : throw Error(SqlStates.FeatureNotSupported, "FOR SYSTEM_TIME AS OF in a join must name a time attribute of the left input", named.SystemTime!.Position);

        var (right, rightScope) = BindTableReference(named with { SystemTime = null });
        var combined = new Scope([.. leftScope.Columns, .. rightScope.Columns]);
        var condition = BindPredicate(join.On, combined, "JOIN ... ON");
        var columns = LogicalJoin.ColumnsOf(left, right, kind);
        var scope = new Scope(combined.Columns.Select((col, i) => col with { Type = columns[i].Type }).ToList());
        var leftWidth = left.Output.Count;

        if (attribute == TimeAttribute.Processing)
        {
            var cache = LookupCacheOptions.Parse(table.Options, path.Name);
            var (leftKeys, dimKeys, residual) = SplitTemporalKeys(condition, leftWidth, right, table, path.Name, "lookup join", join.On.Position);
            var lookup = new LogicalLookupJoin(left, right, path, table, kind, leftKeys, dimKeys, residual, condition, cache, columns);
            return (lookup, scope);
        }

        // Event time: the right side must be a versioned table, and the left time a timestamp.
        if (time is not BoundColumnRef leftTime || leftTime.Type.Kind is not (TypeKind.Timestamp or TypeKind.TimestampLtz))
            throw Error(SqlStates.FeatureNotSupported, "FOR SYSTEM_TIME AS OF in a join must name a processing-time attribute (PROCTIME()) or a TIMESTAMP column of the left input", named.SystemTime!.Position);
        if (table.PrimaryKey.Count == 0 || table.Watermark is null)
            throw Error(SqlStates.FeatureNotSupported,
                $"'{named.SystemTime}' is not a processing-time attribute (PROCTIME()), and an event-time temporal join needs a versioned table: '{path.Name}' has no "
                + (table.PrimaryKey.Count == 0 ? "PRIMARY KEY" : "WATERMARK"), named.Position);
        var versionTime = IndexOfColumn(right, table.Watermark.Column)
            ?? throw Error(SqlStates.FeatureNotSupported, $"the rowtime column '{table.Watermark.Column}' of '{path.Name}' is not visible in the join", named.Position);
        if (right.Output[versionTime].Type.Kind is not (TypeKind.Timestamp or TypeKind.TimestampLtz))
            throw Error(SqlStates.DatatypeMismatch, $"the rowtime column '{table.Watermark.Column}' of '{path.Name}' must be a TIMESTAMP", named.Position);
        var (keys, versionKeys, rest) = SplitTemporalKeys(condition, leftWidth, right, table, path.Name, "event-time temporal join", join.On.Position);
        return (new LogicalTemporalJoin(left, right, path, kind, leftTime.Index, versionTime, keys, versionKeys, rest, condition, columns), scope);
    }

    private enum TimeAttribute { None, Processing, Event }

    /// <summary>
    /// Splits ON into the equalities between a left expression and a key column of the right table (its primary key,
    /// all of whose columns must be equated) and the residual rest. Left key expressions get the key columns' types.
    /// </summary>
    private static (List<BoundExpression> LeftKeys, List<int> RightKeys, BoundExpression? Residual) SplitTemporalKeys(
        BoundExpression condition, int leftWidth, LogicalPlan right, TableDef table, string name, string what, SourcePosition position)
    {
        var byColumn = new Dictionary<int, BoundExpression>();
        var residual = new List<BoundExpression>();
        var keyConjuncts = new Dictionary<int, BoundExpression>();
        foreach (var c in ExpressionRewriter.Conjuncts(condition))
        {
            if (c is BoundComparison { Operator: ComparisonOperator.Equal } eq
                && (KeyPair(eq.Left, eq.Right, leftWidth) ?? KeyPair(eq.Right, eq.Left, leftWidth)) is { } pair
                && !byColumn.ContainsKey(pair.Column))
            {
                byColumn[pair.Column] = pair.Left;
                keyConjuncts[pair.Column] = c;
                continue;
            }
            residual.Add(c);
        }
        List<int> keys = [];
        if (table.IsNative || table.PrimaryKey.Count > 0)
        {
            if (table.PrimaryKey.Count == 0)
                throw Error(SqlStates.FeatureNotSupported, $"a {what} needs a table with a PRIMARY KEY to look rows up by, but '{name}' has none", position);
            foreach (var pk in table.PrimaryKey)
            {
                var index = IndexOfColumn(right, pk);
                if (index is null || !byColumn.ContainsKey(index.Value))
                    throw Error(SqlStates.FeatureNotSupported,
                        $"a {what} on '{name}' needs an equality condition on every primary-key column ({string.Join(", ", table.PrimaryKey)}); '{pk}' has none", position);
                keys.Add(index.Value);
            }
        }
        else
        {
            keys.AddRange(byColumn.Keys.Order());
            if (keys.Count == 0) throw Error(SqlStates.FeatureNotSupported, $"a {what} on '{name}' needs an equality condition between a left expression and a column of '{name}'", position);
        }
        // Equalities on columns that are not lookup keys stay in the residual condition.
        foreach (var (column, conjunct) in keyConjuncts)
            if (!keys.Contains(column)) residual.Add(conjunct);
        var leftKeys = new List<BoundExpression>(keys.Count);
        foreach (var k in keys)
        {
            var target = right.Output[k].Type;
            var e = byColumn[k];
            // A probe value of another type is converted to the key's type; one that does not fit cannot match (NULL).
            leftKeys.Add(SameValueType(e.Type, target) ? e : BoundExpressions.Cast(e, target.WithNullable(true), CastMode.Try));
        }
        return (leftKeys, keys, residual.Count == 0 ? null : BoundExpressions.And(residual));
    }

    private static bool SameValueType(DataType a, DataType b) => a.WithNullable(true).Equals(b.WithNullable(true));

    /// <summary><paramref name="rightSide"/> is a right column (maybe under an implicit cast), <paramref name="leftSide"/> reads only left columns.</summary>
    private static (int Column, BoundExpression Left)? KeyPair(BoundExpression leftSide, BoundExpression rightSide, int leftWidth)
    {
        var column = rightSide is BoundCast { Mode: CastMode.Implicit, Operand: BoundColumnRef inner } ? inner : rightSide as BoundColumnRef;
        if (column is null || column.Index < leftWidth) return null;
        var onlyLeft = true;
        leftSide.Walk(x => { if (x is BoundColumnRef r && r.Index >= leftWidth) onlyLeft = false; });
        if (!onlyLeft || leftSide.IsVolatile || ContainsOuterOrSubquery(leftSide)) return null;
        // The comparison may have cast the left side to a common type; look the original value up.
        var probe = leftSide is BoundCast { Mode: CastMode.Implicit } cast ? cast.Operand : leftSide;
        return (column.Index - leftWidth, probe);
    }

    private static bool ContainsOuterOrSubquery(BoundExpression e)
    {
        var found = false;
        e.Walk(x => found |= x is BoundOuterRef);
        return found;
    }

    private static int? IndexOfColumn(LogicalPlan plan, string name)
    {
        for (var i = 0; i < plan.Output.Count; i++)
            if (string.Equals(plan.Output[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        return null;
    }

    /// <summary>
    /// Whether output <paramref name="column"/> of <paramref name="plan"/> is a processing-time attribute (a
    /// PROCTIME() computed column, passed through projections, filters and joins) or an event-time attribute (the
    /// WATERMARK column of a table).
    /// </summary>
    private static TimeAttribute TraceTimeAttribute(LogicalPlan plan, int column)
    {
        while (true)
        {
            switch (plan)
            {
                case LogicalProject p:
                    var e = p.Expressions[column];
                    if (e is BoundFunctionCall { Name: "PROCTIME" }) return TimeAttribute.Processing;
                    if (p.Input is LogicalScan computed && IsRowtime(computed.Table, p.Output[column].Name)) return TimeAttribute.Event;
                    if (e is not BoundColumnRef c) return TimeAttribute.None;
                    (plan, column) = (p.Input, c.Index);
                    continue;
                case LogicalScan s:
                    return IsRowtime(s.Table, s.Output[column].Name) ? TimeAttribute.Event : TimeAttribute.None;
                case LogicalFilter f:
                    plan = f.Input;
                    continue;
                case LogicalJoin { Kind: not (LogicalJoinKind.Mark) } j:
                    var width = j.Left.Output.Count;
                    (plan, column) = column < width ? (j.Left, column) : (j.Right, column - width);
                    continue;
                case LogicalLookupJoin l when column < l.Left.Output.Count:
                    plan = l.Left;
                    continue;
                case LogicalTemporalJoin t when column < t.Left.Output.Count:
                    plan = t.Left;
                    continue;
                default:
                    return TimeAttribute.None;
            }
        }
    }

    private static bool IsRowtime(TableDef table, string column) =>
        table.Watermark is { } w && string.Equals(w.Column, column, StringComparison.OrdinalIgnoreCase);
}
