using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// A name inside a subquery that no column (local or enclosing) has may name a select-list alias of the enclosing
/// query, as in DuckDB: <c>SELECT a AS x, (SELECT MAX(b) FROM r WHERE r.a != x) FROM l</c>. The alias stands for its
/// expression, bound in the enclosing query and read as a correlated value. Only a fallback: columns always win.
/// Aliases of expressions with subqueries or window functions are not offered.
/// </summary>
public sealed partial class Binder
{
    /// <summary>The SELECT this binder is binding now (its select list offers aliases to its subqueries); null outside one.</summary>
    private IReadOnlyList<SelectItem>? _selectItems;

    /// <summary>Aliases whose expressions are being bound now: an alias does not see itself.</summary>
    private HashSet<string>? _aliasesInProgress;

    /// <summary><paramref name="c"/> as an alias of this binder's select list, bound in its clause's context; null when it is none.</summary>
    private BoundExpression? TryBindSelectAliasForSubquery(ColumnRef c, Scope scope, AggregationState? aggregation)
    {
        if (c.Parts.Count != 1 || _selectItems is not { } items) return null;
        var name = c.Name.Value;
        Expression? found = null;
        foreach (var item in items)
        {
            if (item.Alias is not { } alias || !string.Equals(alias.Value, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (found is not null) return null; // two items with this alias: the name stays unknown
            found = item.Expression;
        }
        if (found is null || ContainsSubquery(found) || AstWalker.Any(found, IsWindowCall)) return null;
        if (aggregation is null && ContainsLocalAggregate(found, scope)) return null;
        _aliasesInProgress ??= new(StringComparer.OrdinalIgnoreCase);
        if (!_aliasesInProgress.Add(name)) return null;
        try
        {
            return BindExpression(found, scope, aggregation);
        }
        finally
        {
            _aliasesInProgress.Remove(name);
        }
    }

    /// <summary>An expression bound in the enclosing query, seen from one level deeper: its columns become outer references.</summary>
    private static BoundExpression OneLevelDeeper(BoundExpression e) => Optimizer.ExpressionRewriter.Rewrite(e, x => x switch
    {
        BoundColumnRef r => new BoundOuterRef(1, r.Index, r.Type),
        BoundOuterRef o => o with { Depth = o.Depth + 1 },
        _ => null,
    });
}
