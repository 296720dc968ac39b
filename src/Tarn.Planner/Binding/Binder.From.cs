using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    private (LogicalPlan Plan, Scope Scope) BindFrom(NodeList<TableReference> from, SourcePosition position)
    {
        if (from.IsEmpty) return (new LogicalValues([[]], []), Scope.Empty);
        var (plan, scope) = BindTableReference(from[0]);
        // Comma-separated items are cross joins; the optimizer turns WHERE conditions into join conditions.
        for (var i = 1; i < from.Count; i++)
        {
            if (from[i] is DerivedTable { Lateral: true } lateral)
            {
                (plan, scope) = BindLateral(plan, scope, lateral, JoinType.Cross, null, []);
                continue;
            }
            LogicalPlan right;
            Scope rightScope;
            try
            {
                (right, rightScope) = BindTableReference(from[i]);
            }
            catch (TarnException ex) when (ex.SqlState == SqlStates.UndefinedColumn)
            {
                (plan, scope) = BindLateralReference(plan, scope, from[i]);
                continue;
            }
            (plan, scope) = Join(plan, scope, right, rightScope, LogicalJoinKind.Cross, null);
        }
        return (plan, scope);
    }

    private (LogicalPlan Plan, Scope Scope) BindTableReference(TableReference reference)
    {
        switch (reference)
        {
            case NamedTable named:
                return BindNamedTable(named);
            case DerivedTable derived:
            {
                if (derived.Lateral) throw Error(SqlStates.FeatureNotSupported, "LATERAL is not supported yet", derived.Position);
                var inner = new Binder(_context) { _outer = _outer }; // a derived table may read the enclosing query's columns too
                inner._ctes.AddRange(_ctes);
                inner.InheritWorkTables(this);
                var plan = inner.BindQuery(derived.Query).Plan;
                return Aliased(plan, derived.Alias, derived.Alias?.Name.Value ?? UnnamedSubqueryName());
            }
            case JoinedTable join:
                return BindJoin(join);
            case FunctionTable function:
                return BindFunctionTable(function);
            case DescribeTable describe:
                return BindDescribeTable(describe);
            default:
                throw Error(SqlStates.FeatureNotSupported, "this FROM item is not supported yet", reference.Position);
        }
    }

    private (LogicalPlan, Scope) BindJoin(JoinedTable join)
    {
        using var chain = EnterChain(join.Position);
        var (left, leftScope) = BindTableReference(join.Left);
        if (join.Right is DerivedTable { Lateral: true } lateral || ImplicitlyLateral(join.Right, out lateral))
            return BindLateral(left, leftScope, lateral, join.Type, join.On, join.Using);
        if (join.Right is NamedTable { SystemTime: { } asOf } temporal && IsTemporalJoinTime(asOf))
            return BindTemporalJoin(left, leftScope, temporal, join);
        var (right, rightScope) = BindTableReference(join.Right);
        if (join.AsOf) return BindAsOfJoin(left, leftScope, right, rightScope, join);
        var kind = join.Type switch
        {
            JoinType.Inner => LogicalJoinKind.Inner,
            JoinType.Left => LogicalJoinKind.Left,
            JoinType.Right => LogicalJoinKind.Right,
            JoinType.Full => LogicalJoinKind.Full,
            JoinType.Semi => LogicalJoinKind.Semi,
            JoinType.Anti => LogicalJoinKind.Anti,
            _ => LogicalJoinKind.Cross,
        };
        var usingNames = join.Natural ? NaturalJoinColumns(leftScope, rightScope, join.Position) : join.Using;
        // SEMI / ANTI joins output the left columns only; the right side's names are visible in ON alone.
        var semiOrAnti = kind is LogicalJoinKind.Semi or LogicalJoinKind.Anti;
        var combined = new Scope([.. leftScope.Columns, .. rightScope.Columns]);
        BoundExpression? condition = null;
        if (join.On is not null && kind is LogicalJoinKind.Inner && ContainsSubquery(join.On))
        {
            // An inner join is a filter over the cross product, where subqueries work as in WHERE.
            var (cross, crossScope) = Join(left, leftScope, right, rightScope, LogicalJoinKind.Cross, null);
            return (BindFilterWithSubqueries(crossScope, null, join.On, "JOIN ... ON")(cross), crossScope);
        }
        if (join.On is not null && ContainsSubquery(join.On))
            return BindJoinWithConditionSubqueries(left, leftScope, right, rightScope, kind, join.On, combined);
        if (join.On is not null) condition = BindPredicate(join.On, combined, "JOIN ... ON");
        else if (!usingNames.IsEmpty)
        {
            var conditions = new List<BoundExpression>();
            var hidden = new HashSet<int>();
            foreach (var name in usingNames)
            {
                var reference = new ColumnRef([name], name.Position);
                var l = leftScope.Resolve(reference);
                var r = rightScope.Resolve(reference);
                conditions.Add(BoundExpressions.Compare(ComparisonOperator.Equal,
                    BoundExpressions.Column(l, leftScope.Columns[l].Type), BoundExpressions.Column(leftScope.Columns.Count + r, rightScope.Columns[r].Type)));
                hidden.Add(leftScope.Columns.Count + r);
            }
            condition = BoundExpressions.And(conditions);
            // USING columns appear once: the right side's copy is hidden from * and from unqualified names.
            combined = new Scope(combined.Columns.Select((c, i) => hidden.Contains(i) ? c with { Hidden = true } : c).ToList());
            var (joined, _) = Join(left, leftScope, right, rightScope, kind, condition);
            return (joined, semiOrAnti ? leftScope : combined);
        }
        else if (join.Natural && kind is not (LogicalJoinKind.Semi or LogicalJoinKind.Anti)) kind = LogicalJoinKind.Cross; // no common column
        var result = Join(left, leftScope, right, rightScope, kind, condition);
        return semiOrAnti ? (result.Item1, leftScope) : result;
    }

    private static (LogicalPlan, Scope) Join(LogicalPlan left, Scope leftScope, LogicalPlan right, Scope rightScope, LogicalJoinKind kind, BoundExpression? condition)
    {
        var columns = LogicalJoin.ColumnsOf(left, right, kind);
        var visible = kind is LogicalJoinKind.Semi or LogicalJoinKind.Anti ? leftScope.Columns : leftScope.Columns.Concat(rightScope.Columns);
        var scopeColumns = visible.Select((c, i) => c with { Type = columns[i].Type }).ToList();
        return (new LogicalJoin(left, right, kind, condition, columns), new Scope(scopeColumns));
    }

    /// <summary>Applies <c>AS t(c1, c2)</c>: renames the relation and optionally its columns.</summary>
    private static (LogicalPlan, Scope) Aliased(LogicalPlan plan, TableAlias? alias, string? relation)
    {
        if (alias is not null && !alias.Columns.IsEmpty)
        {
            if (alias.Columns.Count > plan.Output.Count)
                throw Error(SqlStates.SyntaxError, $"'{alias.Name.Value}' has {plan.Output.Count} columns but {alias.Columns.Count} names were given", alias.Position);
            var renamed = plan.Output.Select((c, i) => i < alias.Columns.Count ? c with { Name = alias.Columns[i].Value } : c).ToList();
            plan = new LogicalProject(plan, plan.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList(), renamed);
        }
        plan = WithUniqueColumnNames(plan, alias?.Columns.Count ?? 0);
        return (plan, Scope.FromOutput(plan.Output, relation));
    }

    private (LogicalPlan Plan, Scope Scope) BindNamedTable(NamedTable named)
    {
        var parts = named.Name.Parts.Select(p => p.Value).ToList();
        var alias = named.Alias?.Name.Value ?? parts[^1];

        if (parts.Count == 1 && FindCte(parts[0]) is { } cte)
        {
            if (named.SystemTime is not null) throw Error(SqlStates.FeatureNotSupported, "FOR SYSTEM_TIME AS OF applies to tables, not WITH queries", named.Position);
            if (_workTables.TryGetValue(cte.Cte, out var workTable)) return Aliased(workTable, named.Alias, alias);
            var inner = CteBinder(cte);
            inner._outer = CteOuter(cte.Depth, out var hops); // a CTE inside a subquery may read the enclosing row
            var plan = ReachFurther(cte.Cte.Recursive && ReadsItself(cte.Cte) ? inner.BindRecursiveCte(cte.Cte) : inner.BindQuery(cte.Cte.Query).Plan, hops);
            if (!cte.Cte.Columns.IsEmpty)
                (plan, _) = Aliased(plan, new TableAlias(cte.Cte.Name, cte.Cte.Columns, cte.Cte.Position), null);
            return Aliased(plan, named.Alias, alias);
        }

        if (parts.Count == 1 && _context.SystemTables is { } system && system.TryGetValue(parts[0].ToLowerInvariant(), out var systemTable)
            && _context.Catalog.FindTable(_context.Resolve(parts, named.Position)) is null)
            return Aliased(systemTable(), named.Alias, alias);

        var path = _context.Resolve(parts, named.Position);
        var catalog = _context.Catalog;
        var temporaryView = _context.TemporaryViews?.GetValueOrDefault(path.ToString());
        var view = temporaryView ?? catalog.FindView(path);
        if (view is not null)
        {
            // A catalog view runs with its owner's rights (the superuser who created it), as in PostgreSQL: SELECT on
            // the view is enough. A session's temporary view is the session's own query: its tables are checked.
            if (temporaryView is null) _context.Authorize?.Invoke(path, Tarn.Catalog.Model.TablePrivileges.Select, named.Name.Position);
            if (named.SystemTime is not null) throw Error(SqlStates.FeatureNotSupported, "FOR SYSTEM_TIME AS OF applies to tables, not views", named.Position);
            if (SqlParser.ParseStatement(view.Query) is not QueryStatement q)
                throw Error(SqlStates.InternalError, $"view '{path}' does not hold a query", named.Position);
            var inner = new Binder(_context with { CurrentCatalog = path.Catalog, CurrentDatabase = path.Database, Authorize = temporaryView is null ? null : _context.Authorize });
            var plan = inner.BindQuery(q.Query).Plan;
            if (view.ColumnNames is { Count: > 0 } names)
                plan = new LogicalProject(plan, plan.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList(),
                    plan.Output.Select((c, i) => i < names.Count ? c with { Name = names[i] } : c).ToList());
            return Aliased(plan, named.Alias, alias);
        }

        var table = catalog.FindTable(path);
        if (table is null)
        {
            if (catalog.FindDatabase(path.Catalog, path.Database) is null)
                throw Error(SqlStates.UndefinedTable, $"table '{path}' does not exist: there is no database '{path.Catalog}.{path.Database}'", named.Name.Position);
            throw Error(SqlStates.UndefinedTable, $"table '{path}' does not exist", named.Name.Position);
        }
        _context.Authorize?.Invoke(path, Tarn.Catalog.Model.TablePrivileges.Select, named.Name.Position);
        var bound = table.IsNative ? BindNativeTable(path, table, named) : BindConnectorTable(path, table, named);
        return Aliased(WithWatermark(bound, table, path), named.Alias, alias);
    }

    /// <summary>A table with a WATERMARK gets its assigner above the table reference (removed again for batch plans).</summary>
    private LogicalPlan WithWatermark(LogicalPlan plan, TableDef table, ObjectPath path)
    {
        if (table.Watermark is not { } watermark) return plan;
        var time = -1;
        for (var i = 0; i < plan.Output.Count; i++)
            if (string.Equals(plan.Output[i].Name, watermark.Column, StringComparison.OrdinalIgnoreCase)) time = i;
        if (time < 0) return plan; // a flattened or renamed column: the declared watermark cannot be placed
        var strategy = BindExpression(SqlParser.ParseExpression(watermark.Expression), Scope.FromOutput(plan.Output, path.Name));
        return new LogicalWatermarkAssigner(plan, time, strategy);
    }

    private (CommonTableExpression Cte, int Depth)? FindCte(string name)
    {
        for (var i = _ctes.Count - 1; i >= 0; i--)
            if (_ctes[i].TryGetValue(name, out var found)) return found;
        return null;
    }

    private LogicalPlan BindNativeTable(ObjectPath path, TableDef table, NamedTable named)
    {
        var storage = _context.PinnedTables?.Invoke(table.TableId) ?? _context.Catalog.Storage.GetTable(table.TableId)
            ?? throw Error(SqlStates.UndefinedTable, $"table '{path}' has no storage", named.Position);
        var version = ScanVersion.Latest;
        if (named.SystemTime is not null) version = BindSystemTime(named.SystemTime);
        foreach (var hint in named.Hints)
        {
            if (!string.Equals(hint.Name, "OPTIONS", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var option in hint.Options)
            {
                switch (option.Key)
                {
                    case "scan.snapshot-id":
                        if (!long.TryParse(option.Value, out var id) || id < 1) throw Error(SqlStates.InvalidParameterValue, $"'scan.snapshot-id' must be a positive integer, got '{option.Value}'", option.Position);
                        version = new ScanVersion.SnapshotVersion(id);
                        break;
                    case "scan.timestamp-millis":
                        if (!long.TryParse(option.Value, out var ms)) throw Error(SqlStates.InvalidParameterValue, $"'scan.timestamp-millis' must be an integer, got '{option.Value}'", option.Position);
                        version = new ScanVersion.TimestampVersion(ms * 1000);
                        break;
                    default:
                        throw Error(SqlStates.InvalidParameterValue, $"unknown table option '{option.Key}' in OPTIONS hint", option.Position);
                }
            }
        }

        var physical = table.Columns.Where(c => c.IsPhysical).ToList();
        LogicalPlan plan = new LogicalScan(path, table, storage, physical.Select(c => c.Id).ToList(),
            physical.Select(c => new OutputColumn(c.Name, c.Type)).ToList(), version, [], named.Alias?.Name.Value ?? path.Name);
        if (physical.Count == table.Columns.Count) return plan;

        // Computed and metadata columns: computed from the stored ones, in declaration order.
        var scope = Scope.FromOutput(plan.Output, path.Name);
        var exprs = new List<BoundExpression>();
        var cols = new List<OutputColumn>();
        foreach (var c in table.Columns)
        {
            BoundExpression e;
            if (c.IsPhysical) e = BoundExpressions.Column(physical.IndexOf(c), c.Type);
            else if (c.ComputedExpression is not null) e = BindExpression(SqlParser.ParseExpression(c.ComputedExpression), scope);
            else e = BoundLiteral.Null(c.Type);
            exprs.Add(e);
            cols.Add(new OutputColumn(c.Name, e.Type));
        }
        return new LogicalProject(plan, exprs, cols);
    }

    /// <summary><c>FOR SYSTEM_TIME AS OF</c>: a timestamp (in the session time zone) or, as a Tarn extension, a snapshot id.</summary>
    private ScanVersion BindSystemTime(Expression e)
    {
        var bound = BindExpression(e, Scope.Empty);
        switch (bound)
        {
            case BoundLiteral { Value: long units } lit when lit.Type.Kind is TypeKind.Timestamp:
            {
                var micros = lit.Type.Precision > 6 ? units / 1000 : units;
                var local = ValueConverter.Epoch.AddTicks(micros * 10);
                var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _context.SessionTimeZone);
                return new ScanVersion.TimestampVersion((utc.Ticks - DateTime.UnixEpoch.Ticks) / 10);
            }
            case BoundLiteral { Value: long units } lit when lit.Type.Kind is TypeKind.TimestampLtz:
                return new ScanVersion.TimestampVersion(lit.Type.Precision > 6 ? units / 1000 : units);
            case BoundLiteral { Value: string text }:
            {
                var type = DataType.Timestamp(6);
                if (!LiteralParser.TryParseTimestamp(text, type, out var units)) break;
                return BindSystemTime(new DateTimeLiteral(DateTimeLiteralKind.Timestamp, text, e.Position));
            }
            case BoundLiteral { Value: int id }:
                return new ScanVersion.SnapshotVersion(id);
            case BoundLiteral { Value: long id } lit when lit.Type.Kind == TypeKind.BigInt:
                return new ScanVersion.SnapshotVersion(id);
        }
        throw Error(SqlStates.FeatureNotSupported, "FOR SYSTEM_TIME AS OF needs a constant TIMESTAMP (or a snapshot id) on a batch query; time-versioned joins come with the streaming runtime", e.Position);
    }
}
