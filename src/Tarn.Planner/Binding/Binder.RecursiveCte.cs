using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// Common table expressions as FROM items: which WITH entries a CTE sees, and WITH RECURSIVE (an anchor UNION [ALL] a
/// recursive term that reads the rows of the previous round through a work table).
/// </summary>
public sealed partial class Binder
{
    /// <summary>The work table each recursive CTE being bound reads in its recursive term (by CTE node, not by name).</summary>
    private Dictionary<CommonTableExpression, LogicalWorkTableScan> _workTables = new(ReferenceEqualityComparer.Instance);

    private static int s_nextWorkTable;

    private void InheritWorkTables(Binder outer)
    {
        if (outer._workTables.Count > 0) _workTables = new(outer._workTables, ReferenceEqualityComparer.Instance);
    }

    /// <summary>
    /// The binder for a CTE's query: it sees the WITH clauses enclosing its own, the entries of its own WITH before it
    /// (SQL standard, PostgreSQL, DuckDB), and itself when recursive.
    /// </summary>
    private Binder CteBinder((CommonTableExpression Cte, int Depth) cte)
    {
        var inner = new Binder(_context);
        inner._ctes.AddRange(_ctes.Take(cte.Depth));
        if (cte.Depth < _ctes.Count)
        {
            var siblings = new Dictionary<string, (CommonTableExpression, int)>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, entry) in _ctes[cte.Depth])
            {
                if (ReferenceEquals(entry.Cte, cte.Cte))
                {
                    if (cte.Cte.Recursive) siblings[name] = entry;
                    break;
                }
                siblings[name] = entry;
            }
            inner._ctes.Add(siblings);
        }
        inner.InheritWorkTables(this);
        return inner;
    }

    /// <summary>True when the CTE's query names the CTE anywhere, subqueries included.</summary>
    private static bool ReadsItself(CommonTableExpression cte)
    {
        var pending = new Stack<Node>();
        pending.Push(cte.Query);
        while (pending.TryPop(out var node))
        {
            if (node is NamedTable { Name.Parts.Count: 1 } t && string.Equals(t.Name.Parts[0].Value, cte.Name.Value, StringComparison.OrdinalIgnoreCase))
                return true;
            foreach (var child in AstWalker.Children(node)) pending.Push(child);
        }
        return false;
    }

    private static bool BodyReadsItself(QueryBody body, CommonTableExpression cte) =>
        ReadsItself(cte with { Query = new Query([], body, [], null, null, body.Position) });

    /// <summary>
    /// anchor UNION [ALL] recursive-term. The column types are the anchor's, widened to what the recursive term
    /// produces (bound again until they agree, at most a few times: a string or decimal that grows each round
    /// would never settle, so strings are unbounded VARCHAR from the start and the last round casts).
    /// </summary>
    private LogicalPlan BindRecursiveCte(CommonTableExpression cte)
    {
        var query = cte.Query;
        if (query.Body is not SetOperationBody { Operator: SetOperator.Union } union)
            throw Error(SqlStates.InvalidRecursion, $"recursive query '{cte.Name.Value}' must have the form non-recursive-term UNION [ALL] recursive-term", query.Position);
        if (!query.OrderBy.IsEmpty || query.Limit is not null || query.Offset is not null)
            throw Error(SqlStates.FeatureNotSupported, $"ORDER BY, LIMIT and OFFSET are not supported in recursive query '{cte.Name.Value}'", query.Position);
        if (BodyReadsItself(union.Left, cte))
            throw Error(SqlStates.InvalidRecursion, $"recursive reference to query '{cte.Name.Value}' must not appear within its non-recursive term", union.Left.Position);

        var anchor = BindQuery(new Query(query.With, union.Left, [], null, null, union.Left.Position)).Plan;
        if (!cte.Columns.IsEmpty && cte.Columns.Count != anchor.Output.Count)
            throw Error(SqlStates.SyntaxError, $"'{cte.Name.Value}' has {anchor.Output.Count} columns but {cte.Columns.Count} names were given", cte.Position);
        var columns = anchor.Output.Select((c, i) => new OutputColumn(cte.Columns.IsEmpty ? c.Name : cte.Columns[i].Value,
            c.Type.IsString ? DataType.String.WithNullable(true) : c.Type.WithNullable(true))).ToList();
        var id = Interlocked.Increment(ref s_nextWorkTable);

        LogicalPlan recursive;
        for (var round = 0; ; round++)
        {
            _workTables[cte] = new LogicalWorkTableScan(id, columns);
            try
            {
                recursive = BindQuery(new Query(query.With, union.Right, [], null, null, union.Right.Position)).Plan;
            }
            finally
            {
                _workTables.Remove(cte);
            }
            if (recursive.Output.Count != columns.Count)
                throw Error(SqlStates.SyntaxError, $"each UNION query must have the same number of columns ({columns.Count} and {recursive.Output.Count})", union.Position);
            var widened = columns.Select((c, i) => c with
            {
                Type = TypeRules.CommonType(c.Type, recursive.Output[i].Type)?.WithNullable(true)
                    ?? throw Error(SqlStates.DatatypeMismatch, $"column {i + 1} of recursive query '{cte.Name.Value}' mixes {c.Type.ToSql()} and {recursive.Output[i].Type.ToSql()}", union.Position),
            }).ToList();
            if (round >= 2 || widened.Select(c => c.Type).SequenceEqual(columns.Select(c => c.Type))) break;
            columns = widened;
        }
        LogicalPlan result = new LogicalRecursiveCte(Conform(anchor, columns), Conform(recursive, columns), union.All, id, columns);
        return cte.UsingKey.IsEmpty ? result : KeyedRecursiveResult(cte, result);
    }

    /// <summary>The plan with its columns cast to <paramref name="columns"/>' types and named as they are.</summary>
    private static LogicalPlan Conform(LogicalPlan plan, IReadOnlyList<OutputColumn> columns) =>
        new LogicalProject(plan, plan.Output.Select((c, i) => FunctionRegistry.Coerce(BoundExpressions.Column(i, c.Type), columns[i].Type)).ToList(), columns);
}
