using System.Text;
using Tarn.Execution.Lowering;
using Tarn.Execution.Scan;
using Tarn.Planner.Binding;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql;
using Tarn.Sql.Ast;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Internal;

/// <summary>
/// Queries through the database's <see cref="PlanCache"/>: a repeated text with parameters of the same types reuses
/// its optimized plan, with the new values substituted for the slots; a primary-key point lookup then runs on the
/// caller's thread (no thread-pool hop for a one-row answer). Statements that are not single queries, use named
/// parameters, or run under a statement timeout or streaming mode take the normal path.
/// </summary>
internal static partial class StatementRunner
{
    /// <summary>
    /// The result of <paramref name="sql"/> through the plan cache, or null when the normal path must run it; then
    /// <paramref name="parsed"/> holds the statements if they were parsed here already.
    /// </summary>
    private static Task<TarnResult>? TryExecuteCached(TarnSession session, string sql, TarnParameters parameters, CancellationToken cancellation,
        out IReadOnlyList<Statement>? parsed)
    {
        parsed = null;
        // Inside a transaction queries read its snapshot and staged rows, which cached plans know nothing of.
        if (parameters.Named is { Count: > 0 } || cancellation.IsCancellationRequested || session.Transaction is not null) return null;
        if (string.Equals(session.GetOption("execution.runtime-mode"), "streaming", StringComparison.OrdinalIgnoreCase) || QueryTimeout(session) > TimeSpan.Zero) return null;
        var values = parameters.Positional ?? [];
        var core = session.Core;
        var key = new PlanKey(sql, session.CurrentCatalog, session.CurrentDatabase, BindingOptions(session), TypeSignature(values));
        var image = core.Catalog.Current;
        var cached = core.Plans.Find(key, image, core.Storage);
        if (cached is null)
        {
            var statements = SqlParser.ParseScript(sql);
            parsed = statements;
            if (statements is not [QueryStatement query]) return null;
            cached = Prepare(session, query, parameters, image);
            core.Plans.Add(key, cached);
        }
        if (cached.Plan is null) return null; // not reusable: the normal path binds with the values
        if (cached.Lookup?.Execute(core.Storage, values) is { } found) return Task.FromResult(new TarnResult(StatementKind.Query, cached.Columns, found));
        var plan = ParameterizedPlans.Substitute(cached.Plan, values);
        if (!cached.RunsInline) return Task.Run(() => RunPlan(session, plan, cached.Columns, cancellation), cancellation);
        try
        {
            return Task.FromResult(RunPlan(session, plan, cached.Columns, cancellation));
        }
        catch (Exception e)
        {
            return Task.FromException<TarnResult>(e);
        }
    }

    /// <summary>Binds and optimizes <paramref name="query"/> once, as a plan with parameter slots when the binder allows it.</summary>
    private static CachedPlan Prepare(TarnSession session, QueryStatement query, TarnParameters parameters, Catalog.Model.CatalogImage image)
    {
        var literals = new List<(BoundLiteral Literal, int Index)>();
        // A system table (tarn_jobs) changes without any commit a cached plan could notice: such a query is never cached.
        var readsSystemTable = false;
        var binding = NewBinder(session, parameters).Context;
        var context = binding with
        {
            ParameterLiterals = literals,
            SystemTables = binding.SystemTables?.ToDictionary(e => e.Key, e => (Func<LogicalValues>)(() => { readsSystemTable = true; return e.Value(); }), StringComparer.Ordinal),
        };
        var bound = new Binder(context).BindQuery(query.Query).Plan;
        if (readsSystemTable) return Uncacheable(image);
        var parameterTypes = ParameterTypes(bound, literals, parameters.Positional?.Count ?? 0);
        var slotted = ParameterizedPlans.TryAbstract(bound, literals);
        if (slotted is null) return Uncacheable(image);
        LogicalPlan optimized;
        try
        {
            optimized = LogicalOptimizer.Optimize(slotted);
        }
        catch (TarnException)
        {
            return Uncacheable(image); // the normal path optimizes the plan with the values and reports what it finds
        }
        var columns = optimized.Output.Select(c => new TarnColumn(c.Name, c.Type)).ToList();
        var tables = new List<TableVersion>();
        CollectTables(optimized, tables);
        var first = ParameterizedPlans.Substitute(optimized, parameters.Positional ?? []);
        return new CachedPlan(optimized, image, tables, columns, IsPointLookup(first) || IsConstant(first), PointLookupProgram.TryCreate(optimized), parameterTypes);
    }

    private static CachedPlan Uncacheable(Catalog.Model.CatalogImage image) => new(null, image, [], [], false);

    private static void CollectTables(LogicalPlan plan, List<TableVersion> tables)
    {
        if (plan is LogicalScan scan) tables.Add(scan.Storage);
        foreach (var input in plan.Inputs) CollectTables(input, tables);
    }

    /// <summary>Filters, projections and limits over one primary-key scan whose key the filters pin: at most one row to read.</summary>
    private static bool IsPointLookup(LogicalPlan plan)
    {
        while (plan is LogicalProject or LogicalFilter or LogicalLimit) plan = plan.Inputs[0];
        return plan is LogicalScan { Version: ScanVersion.LatestVersion } scan && PointLookup.PinsKey(scan.Filters, scan.ColumnIds, scan.Storage.Layout);
    }

    /// <summary>
    /// Projections, filters and limits over a few literal rows (<c>SELECT 1</c>, <c>SELECT $1 + 1</c>): no table to read,
    /// as cheap as a point lookup. Subqueries are plan nodes (never inside an expression), so none hides here.
    /// </summary>
    private static bool IsConstant(LogicalPlan plan)
    {
        while (plan is LogicalProject or LogicalFilter or LogicalLimit) plan = plan.Inputs[0];
        return plan is LogicalValues { Rows.Count: <= 16 };
    }

    private static TarnResult RunPlan(TarnSession session, LogicalPlan plan, IReadOnlyList<TarnColumn> columns, CancellationToken cancellation)
    {
        var context = NewContext(session, cancellation);
        var batches = new List<ColumnBatch>();
        using (var planner = new BatchPlanner(session.Core.Storage, context))
        using (var op = planner.Lower(plan))
        {
            while (op.Next() is { } batch)
            {
                context.ThrowIfCanceled();
                batches.Add(batch);
            }
        }
        return new TarnResult(StatementKind.Query, columns, batches);
    }

    /// <summary>
    /// The types the parameter values bind as (<see cref="ParameterizedPlans.TypeOf"/>), and which values repeat an
    /// earlier one (e.g. "BIGINT!,VARCHAR!=0"). The common CLR types map to a fixed code without binding anything.
    /// </summary>
    private static string TypeSignature(IReadOnlyList<object?> values)
    {
        if (values.Count == 0) return "";
        if (values.Count == 1) return TypeCode(values[0]);
        var text = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) text.Append(',');
            var code = TypeCode(values[i]);
            text.Append(code);
            for (var j = 0; j < i; j++)
            {
                if (Equals(values[j], values[i]) && TypeCode(values[j]) == code)
                {
                    text.Append('=').Append(j);
                    break;
                }
            }
        }
        return text.ToString();
    }

    private static string TypeCode(object? value) => value switch
    {
        long => "BIGINT!",
        int => "INT!",
        string => "STRING!",
        null or DBNull => "NULL",
        bool => "BOOLEAN!",
        double => "DOUBLE!",
        _ => TypeSql(ParameterizedPlans.TypeOf(value)),
    };

    private static string TypeSql(Types.DataType type) => type.Nullable ? type.ToSql() : type.ToSql() + "!";
}
