using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// Grouping expressions matched by meaning, not spelling (<c>SELECT t.j * 2 ... GROUP BY j * 2</c>), and ORDER BY
/// inside aggregate arguments.
/// </summary>
public sealed partial class AggregationState
{
    /// <summary>
    /// The ORDER BY that the order-sensitive aggregates (STRING_AGG, FIRST, LAST) of this query ask for; the binder sorts
    /// the aggregate's input by it. Null when none asks.
    /// </summary>
    public NodeList<OrderItem>? InputOrder { get; private set; }

    /// <summary>
    /// A reference to the grouping key <paramref name="e"/> computes, when it is spelled differently from the GROUP BY
    /// expression (qualified or not, other whitespace...). Only tried for expressions without aggregates, windows and
    /// subqueries when some key is more than a column.
    /// </summary>
    private BoundExpression? MatchKeyByValue(Binder binder, Expression e)
    {
        if (e is ColumnRef || !HasExpressionKey() || Binder.ContainsSubquery(e)) return null;
        if (AstWalker.Any(e, n => Binder.IsAggregateCall(n) || n is FunctionCall { Over: not null })) return null;
        BoundExpression bound;
        try
        {
            bound = binder.BindExpression(e, Input);
        }
        catch (TarnException)
        {
            return null;
        }
        for (var i = 0; i < Keys.Count; i++)
            if (Keys[i].Equals(bound)) return BoundExpressions.Column(i, KeyType(i));
        return null;
    }

    private Dictionary<string, Expression>? _selectAliases;

    /// <summary>Lets names of select-list aliases stand for their expressions (in HAVING) where no input column has the name; null ends it.</summary>
    public void UseSelectAliases(IReadOnlyList<SelectItem>? items)
    {
        _selectAliases = null;
        if (items is null) return;
        _selectAliases = new(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
            if (item.Alias is { } alias) _selectAliases.TryAdd(alias.Value, item.Expression);
    }

    /// <summary>The binding of an alias <paramref name="c"/> names, when it names no input column.</summary>
    private Func<Binder, BoundExpression>? SelectAlias(ColumnRef c)
    {
        if (_selectAliases is null || c.Parts.Count != 1 || !_selectAliases.TryGetValue(c.Name.Value, out var expression)) return null;
        if (Input.Columns.Any(col => !col.Hidden && string.Equals(col.Name, c.Name.Value, StringComparison.OrdinalIgnoreCase))) return null;
        return binder =>
        {
            var saved = _selectAliases;
            _selectAliases = null; // an alias does not see itself (SELECT x AS x)
            try
            {
                return binder.BindExpression(expression, Input, this);
            }
            finally
            {
                _selectAliases = saved;
            }
        };
    }

    private bool HasExpressionKey()
    {
        foreach (var k in Keys)
            if (k is not BoundColumnRef) return true;
        return false;
    }

    /// <summary>
    /// ORDER BY inside an aggregate's parentheses: ignored where the order cannot change the result (COUNT, SUM, MIN...);
    /// for STRING_AGG, FIRST and LAST it orders the input, and all of them must then ask for the same order.
    /// </summary>
    private void CheckArgumentOrder(FunctionCall f, AggregateKind kind)
    {
        if (f.OrderBy.IsEmpty || kind is not (AggregateKind.ListAgg or AggregateKind.FirstValue or AggregateKind.LastValue or AggregateKind.ArrayAgg)) return;
        if (InputOrder is null) InputOrder = f.OrderBy;
        else if (!InputOrder.Equals(f.OrderBy))
            throw new TarnException(SqlStates.FeatureNotSupported, $"aggregates of one query ordering their input differently are not supported yet at {f.Position}", f.Position);
    }
}

public sealed partial class Binder
{
    /// <summary>Sorts the aggregate's input by the ORDER BY its order-sensitive aggregates ask for (the hash aggregate keeps arrival order).</summary>
    private LogicalPlan SortForOrderedAggregates(LogicalPlan plan, AggregationState aggregation, Scope scope)
    {
        if (aggregation.InputOrder is not { } order) return plan;
        var width = plan.Output.Count;
        var exprs = plan.Output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList();
        var columns = plan.Output.ToList();
        var keys = new List<SortKey>();
        foreach (var item in order)
        {
            var e = BindExpression(item.Expression, scope);
            var index = exprs.IndexOf(e);
            if (index < 0)
            {
                index = exprs.Count;
                exprs.Add(e);
                columns.Add(new OutputColumn("$order" + index, e.Type));
            }
            keys.Add(MakeSortKey(item, index));
        }
        LogicalPlan sorted = new LogicalSort(new LogicalProject(plan, exprs, columns), keys);
        if (exprs.Count == width) return sorted;
        return new LogicalProject(sorted, exprs.Take(width).ToList(), plan.Output.ToList());
    }
}
