using Tarn.Planner.Binding;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Internal;

/// <summary>
/// Describing a statement without running it (for a wire protocol's Parse/Describe): a query is bound and optimized
/// for its output columns; SHOW, DESCRIBE and EXPLAIN (read-only and cheap) are run for theirs; every other statement
/// returns no rows and is only bound when it is an INSERT (for its placeholders' types). Placeholder types come from
/// the bound plan: a parameter the binder cast to a type, or compared with a typed expression, takes that type.
/// </summary>
internal static partial class StatementRunner
{
    internal static TarnStatementDescription Describe(TarnSession session, string sql, TarnParameters parameters)
    {
        var statements = SqlParser.ParseScript(sql);
        if (statements.Count == 0) return new TarnStatementDescription([], []);
        if (statements.Count != 1)
            throw new TarnException(SqlStates.FeatureNotSupported, $"cannot describe several statements at once at {statements[1].Position}", statements[1].Position);
        var statement = statements[0];
        var count = Math.Max(MaxParameterOrdinal(statement), parameters.Positional?.Count ?? 0);
        var positional = new object?[Math.Max(count, parameters.Positional?.Count ?? 0)];
        for (var i = 0; i < (parameters.Positional?.Count ?? 0); i++) positional[i] = parameters.Positional![i];
        var literals = new List<(BoundLiteral Literal, int Index)>();
        var binder = new Binder(NewBinder(session, new TarnParameters(positional, parameters.Named)).Context with { ParameterLiterals = literals });
        switch (statement)
        {
            case QueryStatement query:
                if (DescribeCached(session, sql, query, parameters, count) is { } cached) return cached;
                var bound = binder.BindQuery(query.Query);
                var types = ParameterTypes(bound.Plan, literals, count);
                var plan = LogicalOptimizer.Optimize(bound.Plan, streaming: IsStreaming(session));
                var columns = plan.Output.Select(c => new TarnColumn(c.Name, c.Type)).ToList();
                if (IsStreaming(session) && session.GetOption("sql-client.execution.result-mode")?.ToLowerInvariant() is "changelog" or "tableau")
                    columns.Insert(0, new TarnColumn("op", DataType.String)); // as RunStreamingQuery answers in changelog result mode
                return new TarnStatementDescription(columns, types);
            case InsertStatement insert when !IsStreaming(session):
                var target = binder.BindInsert(insert);
                var insertTypes = ParameterTypes(target.Source, literals, count);
                InsertValuesParameterTypes(insert, target.Table, insertTypes);
                return new TarnStatementDescription([], insertTypes);
            case ExplainStatement or ShowCatalogsStatement or ShowCurrentCatalogStatement or ShowDatabasesStatement or ShowCurrentDatabaseStatement
                or ShowTablesStatement or ShowViewsStatement or ShowFunctionsStatement or ShowColumnsStatement or ShowCreateStatement
                or DescribeStatement or ShowJobsStatement or ShowSubscriptionsStatement:
                var result = ExecuteAsync(session, statement, new TarnParameters(positional, parameters.Named), CancellationToken.None).GetAwaiter().GetResult();
                return new TarnStatementDescription(result.Columns, new DataType?[count]);
            default:
                return new TarnStatementDescription([], new DataType?[count]);
        }
    }

    /// <summary>The highest <c>$n</c> / <c>?</c> ordinal in the statement (0 when it has none).</summary>
    private static int MaxParameterOrdinal(Statement statement)
    {
        var max = 0;
        var pending = new Stack<Node>();
        pending.Push(statement);
        while (pending.TryPop(out var node)) // subqueries included (AstWalker.Any stops at them)
        {
            if (node is ParameterExpression { Name: null } p && p.Ordinal > max) max = p.Ordinal;
            foreach (var child in AstWalker.Children(node)) pending.Push(child);
        }
        return max;
    }

    /// <summary><c>INSERT INTO t [(columns)] VALUES (..., $n, ...)</c>: a placeholder standing for a whole value takes its column's type.</summary>
    private static void InsertValuesParameterTypes(InsertStatement insert, Catalog.Model.TableDef table, DataType?[] types)
    {
        if (insert.Source.Body is not ValuesBody values) return;
        var targets = new List<DataType?>();
        if (insert.Columns.Count == 0) foreach (var column in table.Columns) targets.Add(column.Type);
        else
            foreach (var name in insert.Columns)
            {
                DataType? type = null;
                foreach (var column in table.Columns)
                    if (string.Equals(column.Name, name.Value, StringComparison.OrdinalIgnoreCase)) { type = column.Type; break; }
                targets.Add(type);
            }
        foreach (var row in values.Rows)
            for (var i = 0; i < row.Values.Count && i < targets.Count; i++)
                if (row.Values[i] is ParameterExpression { Name: null } p && p.Ordinal - 1 < types.Length && targets[i] is { } type)
                    types[p.Ordinal - 1] = type;
    }

    /// <summary>Per placeholder, the type its literal was cast to or compared with in <paramref name="plan"/>, else null.</summary>
    private static DataType?[] ParameterTypes(LogicalPlan plan, List<(BoundLiteral Literal, int Index)> literals, int count)
    {
        var types = new DataType?[count];
        if (literals.Count == 0) return types;
        var slots = new Dictionary<BoundExpression, int>(ReferenceEqualityComparer.Instance);
        foreach (var (literal, index) in literals)
            if (index >= 0 && index < count) slots[literal] = index;
        void Note(BoundExpression operand, DataType type)
        {
            if (slots.TryGetValue(operand, out var index) && types[index] is null && type.Kind != TypeKind.Null) types[index] = type;
        }
        PlanExpressions.Walk(plan, (e, _) =>
        {
            switch (e)
            {
                case BoundCast cast: Note(cast.Operand, cast.Type); break;
                case BoundComparison c: Note(c.Left, c.Right.Type); Note(c.Right, c.Left.Type); break;
                case BoundLike like: Note(like.Pattern, like.Operand.Type); break;
                case BoundInList list: foreach (var v in list.Values) Note(v, list.Operand.Type); break;
            }
        });
        // A parameter used as is (SELECT $1, a VALUES row) keeps the type its value bound as.
        foreach (var (literal, index) in literals)
            if (index >= 0 && index < count && types[index] is null && literal.Type.Kind != TypeKind.Null) types[index] = literal.Type;
        return types;
    }
}
