using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// DuckDB's WITH RECURSIVE t USING KEY (k, ..., agg(c), ...): the recursion runs as without the clause (each round
    /// reads the rows the previous one produced), and its result keeps one row per key — the last one produced, with
    /// each column named in an aggregate combined over all the key's rows instead. Reading the keyed state itself
    /// during the recursion (DuckDB's recurring.t) is not supported.
    /// </summary>
    private LogicalPlan KeyedRecursiveResult(CommonTableExpression cte, LogicalPlan recursion)
    {
        var output = recursion.Output;
        var keys = new List<int>();
        var aggregated = new Dictionary<int, AggregateKind>();
        foreach (var entry in cte.UsingKey)
        {
            switch (entry)
            {
                case ColumnRef { Parts.Count: 1 } c:
                    keys.Add(UsingKeyColumn(cte, output, c));
                    break;
                case FunctionCall { Arguments: [ColumnRef { Parts.Count: 1 } c], Over: null, Distinct: false, Filter: null } f
                    when FunctionRegistry.TryGetAggregate(string.Join('.', f.Name.Parts.Select(p => p.Value)), false, out var kind):
                    aggregated[UsingKeyColumn(cte, output, c)] = kind;
                    break;
                default:
                    throw Error(SqlStates.SyntaxError, "USING KEY takes column names and aggregates of a column", entry.Position);
            }
        }
        if (keys.Count == 0)
            throw Error(SqlStates.SyntaxError, $"USING KEY of '{cte.Name.Value}' names no key column", cte.Position);

        var aggregates = new List<AggregateCall>();
        var columns = keys.Select(k => output[k]).ToList();
        var position = new int[output.Count];
        for (var i = 0; i < keys.Count; i++) position[keys[i]] = i;
        for (var i = 0; i < output.Count; i++)
        {
            if (keys.Contains(i)) continue;
            var kind = aggregated.TryGetValue(i, out var k) ? k : AggregateKind.LastValue;
            var call = BoundExpressions.Aggregate(kind, BoundExpressions.Column(i, output[i].Type));
            position[i] = keys.Count + aggregates.Count;
            aggregates.Add(call);
            columns.Add(new OutputColumn(output[i].Name, call.Type));
        }
        var aggregate = new LogicalAggregate(recursion, keys.Select(k => (BoundExpression)BoundExpressions.Column(k, output[k].Type)).ToList(), aggregates, columns);
        var ordered = Enumerable.Range(0, output.Count).Select(i => columns[position[i]]).ToList();
        return new LogicalProject(aggregate, Enumerable.Range(0, output.Count).Select(i => (BoundExpression)BoundExpressions.Column(position[i], columns[position[i]].Type)).ToList(), ordered);
    }

    private int UsingKeyColumn(CommonTableExpression cte, IReadOnlyList<OutputColumn> output, ColumnRef column)
    {
        var index = FindOutput(output, column.Name.Value);
        if (index < 0)
            throw Error(SqlStates.UndefinedColumn, $"USING KEY column '{column.Name.Value}' is not a column of '{cte.Name.Value}'", column.Position);
        return index;
    }
}
