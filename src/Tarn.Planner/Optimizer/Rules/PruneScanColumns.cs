using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Optimizer.Rules;

/// <summary>
/// Projection pushdown: every node keeps only the columns something above it reads, so scans decode only the
/// columns a query uses. Column references are renumbered on the way back up.
/// </summary>
public sealed class PruneScanColumns : IOptimizerRule
{
    public string Name => "prune_scan_columns";

    public LogicalPlan Apply(LogicalPlan plan)
    {
        var all = Enumerable.Range(0, plan.Output.Count).ToHashSet();
        return Prune(plan, all).Plan;
    }

    /// <summary>Returns the pruned plan and, for each original output index kept, its new index.</summary>
    private static (LogicalPlan Plan, Dictionary<int, int> Map) Prune(LogicalPlan plan, HashSet<int> required)
    {
        switch (plan)
        {
            case LogicalScan scan:
            {
                var need = new HashSet<int>(required);
                foreach (var f in scan.Filters) need.UnionWith(f.ReferencedColumns());
                var keep = need.Where(i => i < scan.Columns.Count).OrderBy(i => i).ToList();
                var map = keep.Select((old, i) => (old, i)).ToDictionary(p => p.old, p => p.i);
                var pruned = scan with
                {
                    ColumnIds = keep.Select(i => scan.ColumnIds[i]).ToList(),
                    Columns = keep.Select(i => scan.Columns[i]).ToList(),
                    Filters = scan.Filters.Select(f => ExpressionRewriter.RemapColumns(f, c => map[c])).ToList(),
                };
                return (pruned, map);
            }
            case LogicalConnectorScan connector:
            {
                var keep = required.Where(i => i < connector.Columns.Count).OrderBy(i => i).ToList();
                var map = keep.Select((old, i) => (old, i)).ToDictionary(p => p.old, p => p.i);
                return (connector with
                {
                    ColumnIndexes = keep.Select(i => connector.ColumnIndexes[i]).ToList(),
                    Columns = keep.Select(i => connector.Columns[i]).ToList(),
                }, map);
            }
            case LogicalFilter filter:
            {
                var need = new HashSet<int>(required);
                need.UnionWith(filter.Predicate.ReferencedColumns());
                var (input, map) = Prune(filter.Input, need);
                return (new LogicalFilter(input, ExpressionRewriter.RemapColumns(filter.Predicate, c => map[c])), map);
            }
            case LogicalProject project:
            {
                var keep = required.OrderBy(i => i).ToList();
                var need = new HashSet<int>();
                foreach (var i in keep) need.UnionWith(project.Expressions[i].ReferencedColumns());
                var (input, map) = Prune(project.Input, need);
                var exprs = keep.Select(i => ExpressionRewriter.RemapColumns(project.Expressions[i], c => map[c])).ToList();
                var cols = keep.Select(i => project.Columns[i]).ToList();
                var outMap = keep.Select((old, i) => (old, i)).ToDictionary(p => p.old, p => p.i);
                return (new LogicalProject(input, exprs, cols), outMap);
            }
            case LogicalAggregate agg:
            {
                var need = new HashSet<int>();
                foreach (var k in agg.Keys) need.UnionWith(k.ReferencedColumns());
                foreach (var a in agg.Aggregates)
                {
                    if (a.Argument is not null) need.UnionWith(a.Argument.ReferencedColumns());
                    if (a.Filter is not null) need.UnionWith(a.Filter.ReferencedColumns());
                }
                var (input, map) = Prune(agg.Input, need);
                var pruned = agg with
                {
                    Input = input,
                    Keys = agg.Keys.Select(k => ExpressionRewriter.RemapColumns(k, c => map[c])).ToList(),
                    Aggregates = agg.Aggregates.Select(a => ExpressionRewriter.RemapColumns(a, c => map[c])).ToList(),
                };
                return (pruned, Identity(agg.Output.Count));
            }
            case LogicalExpand expand:
            {
                var keep = required.OrderBy(i => i).ToList();
                var need = new HashSet<int>();
                foreach (var projection in expand.Projections)
                    foreach (var i in keep) need.UnionWith(projection[i].ReferencedColumns());
                var (input, map) = Prune(expand.Input, need);
                var projections = expand.Projections
                    .Select(p => (IReadOnlyList<BoundExpression>)keep.Select(i => ExpressionRewriter.RemapColumns(p[i], c => map[c])).ToList()).ToList();
                var outMap = keep.Select((old, i) => (old, i)).ToDictionary(p => p.old, p => p.i);
                return (new LogicalExpand(input, projections, keep.Select(i => expand.Columns[i]).ToList()), outMap);
            }
            case LogicalSort sort:
            {
                var need = new HashSet<int>(required);
                foreach (var k in sort.Keys) need.Add(k.Column);
                var (input, map) = Prune(sort.Input, need);
                return (new LogicalSort(input, sort.Keys.Select(k => k with { Column = map[k.Column] }).ToList()), map);
            }
            case LogicalJoin join:
            {
                var leftCount = join.Left.Output.Count;
                var isMark = join.Kind == LogicalJoinKind.Mark;
                var need = new HashSet<int>(isMark ? required.Where(i => i < leftCount) : required);
                if (join.Condition is not null) need.UnionWith(join.Condition.ReferencedColumns());
                if (join.MarkCondition is not null) need.UnionWith(join.MarkCondition.ReferencedColumns());
                var (left, leftMap) = Prune(join.Left, need.Where(i => i < leftCount).ToHashSet());
                var (right, rightMap) = Prune(join.Right, need.Where(i => i >= leftCount).Select(i => i - leftCount).ToHashSet());
                var map = new Dictionary<int, int>();
                foreach (var (old, now) in leftMap) map[old] = now;
                foreach (var (old, now) in rightMap) map[old + leftCount] = now + left.Output.Count;
                var condition = join.Condition is null ? null : ExpressionRewriter.RemapColumns(join.Condition, c => map[c]);
                var mark = join.MarkCondition is null ? null : ExpressionRewriter.RemapColumns(join.MarkCondition, c => map[c]);
                var pruned = new LogicalJoin(left, right, join.Kind, condition, LogicalJoin.ColumnsOf(left, right, join.Kind)) { MarkCondition = mark };
                if (isMark) return (pruned, new Dictionary<int, int>(leftMap) { [leftCount] = left.Output.Count });
                return (pruned, join.Kind is LogicalJoinKind.Semi or LogicalJoinKind.Anti ? leftMap : map);
            }
            case LogicalLimit limit:
            {
                var (input, map) = Prune(limit.Input, required);
                return (limit with { Input = input }, map);
            }
            case LogicalWindow window:
            {
                var width = window.Input.Output.Count;
                var need = required.Where(i => i < width).ToHashSet();
                foreach (var f in window.Functions) need.UnionWith(f.ReferencedColumns());
                var (input, map) = Prune(window.Input, need);
                var functions = window.Functions.Select(f => f.MapExpressions(e => ExpressionRewriter.RemapColumns(e, c => map[c]))).ToList();
                var outMap = new Dictionary<int, int>(map.Where(p => p.Key < width));
                for (var k = 0; k < functions.Count; k++) outMap[width + k] = input.Output.Count + k;
                var columns = input.Output.Concat(window.Columns.Skip(width)).ToList();
                return (new LogicalWindow(input, functions, columns), outMap);
            }
            case LogicalWindowTvf tvf:
            {
                var width = tvf.Input.Output.Count;
                var need = required.Where(i => i < width).ToHashSet();
                need.Add(tvf.TimeColumn);
                need.UnionWith(tvf.PartitionColumns);
                var (input, map) = Prune(tvf.Input, need);
                var outMap = new Dictionary<int, int>(map);
                for (var k = 0; k < 3; k++) outMap[width + k] = input.Output.Count + k;
                return (tvf with { Input = input, TimeColumn = map[tvf.TimeColumn], PartitionColumns = tvf.PartitionColumns.Select(c => map[c]).ToList() }, outMap);
            }
            case LogicalWatermarkAssigner w:
            {
                var need = new HashSet<int>(required) { w.TimeColumn };
                need.UnionWith(w.Strategy.ReferencedColumns());
                var (input, map) = Prune(w.Input, need);
                return (new LogicalWatermarkAssigner(input, map[w.TimeColumn], ExpressionRewriter.RemapColumns(w.Strategy, c => map[c])), map);
            }
            default:
            {
                // Values, unions and anything new: keep every column, prune below with everything required.
                var inputs = plan.Inputs.Select(i => Prune(i, Enumerable.Range(0, i.Output.Count).ToHashSet()).Plan).ToList();
                return (inputs.Count == 0 ? plan : plan.WithInputs(inputs), Identity(plan.Output.Count));
            }
        }
    }

    private static Dictionary<int, int> Identity(int n) => Enumerable.Range(0, n).ToDictionary(i => i, i => i);
}
