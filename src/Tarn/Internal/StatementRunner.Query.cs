using Tarn.Execution;
using ExecutionContext = Tarn.Execution.ExecutionContext;
using Tarn.Execution.Lowering;
using Tarn.Planner.Binding;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql.Ast;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Internal;

internal static partial class StatementRunner
{
    /// <summary>The session options <see cref="NewBinder"/> reads: a cached plan is only valid for the same values.</summary>
    private static readonly string[] s_bindingOptions = ["table.local-time-zone", NullOrders.OptionKey, "order_by_non_integer_literal"];

    /// <summary>The values of the options that shape binding, as one string (part of the plan cache's key).</summary>
    private static string BindingOptions(TarnSession session)
    {
        var values = new string?[s_bindingOptions.Length];
        for (var i = 0; i < values.Length; i++) values[i] = session.GetOption(s_bindingOptions[i]);
        return string.Join('\u0001', values) + '\u0001' + session.TemporaryViewsVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + '\u0001' + session.Principal?.UserName; // plans are checked when bound: each principal caches its own

    }

    private static Binder NewBinder(TarnSession session, TarnParameters parameters) => new(new BindContext(
        session.Core.Catalog, session.CurrentCatalog, session.CurrentDatabase,
        parameters.Positional, parameters.Named, TimeZoneOf(session.GetOption("table.local-time-zone")))
    {
        TemporaryViews = session.TemporaryViews.Count == 0 ? null : new Dictionary<string, Catalog.Model.ViewDef>(session.TemporaryViews, StringComparer.OrdinalIgnoreCase),
        TemporaryMacros = session.TemporaryMacros.Count == 0 ? null : new Dictionary<string, Catalog.Model.MacroDef>(session.TemporaryMacros, StringComparer.OrdinalIgnoreCase),
        DefaultNullOrder = NullOrders.Parse(session.GetOption(NullOrders.OptionKey)) ?? NullOrder.NullsFirstOnAscLastOnDesc,
        AllowOrderByNonIntegerLiteral = string.Equals(session.GetOption("order_by_non_integer_literal"), "true", StringComparison.OrdinalIgnoreCase),
        PinnedTables = session.Transaction is { } transaction ? transaction.Find : null,
        Authorize = AuthorizerFor(session),
        SystemTables = new Dictionary<string, Func<Planner.Logical.LogicalValues>>(StringComparer.Ordinal)
        {
            [Streaming.JobSystemTable.Name] = () => Streaming.JobSystemTable.Rows(session.Core),
        },
    });

    private static ExecutionContext NewContext(TarnSession session, CancellationToken cancellation)
    {
        return new ExecutionContext
        {
            Cancellation = cancellation,
            Parallelism = Parallelism(session),
            SessionTimeZone = TimeZoneOf(session.GetOption("table.local-time-zone")),
            Connectors = Connectors.ConnectorSources.Instance,
            QueryStart = DateTimeOffset.UtcNow,
            MemoryLimitBytes = QueryMemoryLimit(session),
            SpillDirectory = SpillDirectory(session),
            Session = new SessionServices(session),
            StateTtl = StateTtlOf(session),
            ScalarSubqueryErrorOnMultipleRows = !string.Equals(session.GetOption("scalar_subquery_error_on_multiple_rows"), "false", StringComparison.OrdinalIgnoreCase),
            PinnedTables = session.Transaction is { } transaction ? transaction.Find : null,
            Progress = session.ProgressSink,
        };
    }

    private static void RejectStreaming(TarnSession session, Statement statement)
    {
        if (string.Equals(session.GetOption("execution.runtime-mode"), "streaming", StringComparison.OrdinalIgnoreCase))
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"streaming mode ('execution.runtime-mode' = 'streaming') is not supported in this version of Tarn; use 'batch' at {statement.Position}", statement.Position);
    }

    private static TarnResult RunQuery(TarnSession session, QueryStatement statement, TarnParameters parameters, CancellationToken cancellation)
    {
        var bound = NewBinder(session, parameters).BindQuery(statement.Query);
        var plan = LogicalOptimizer.Optimize(bound.Plan, streaming: IsStreaming(session));
        var context = NewContext(session, cancellation);
        if (IsStreaming(session)) return RunStreamingQuery(session, plan, context);
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
        var columns = plan.Output.Select(c => new TarnColumn(c.Name, c.Type)).ToList();
        return new TarnResult(StatementKind.Query, columns, batches);
    }

    private static async Task<TarnResult> RunInsertAsync(TarnSession session, InsertStatement statement, TarnParameters parameters, CancellationToken cancellation)
    {
        if (IsStreaming(session)) return await SubmitJobAsync(session, statement, [statement]).ConfigureAwait(false);
        var bound = NewBinder(session, parameters).BindInsert(statement);
        if (bound.Overwrite && bound.Table.IsNative) return await RunOverwriteAsync(session, statement, bound, cancellation).ConfigureAwait(false);
        var rows = bound.Table.IsNative && bound.Table.PrimaryKey.Count > 0
            ? await UpsertInsertAsync(session, bound.Table, bound.Source, cancellation).ConfigureAwait(false)
            : bound.Table.IsNative
            ? await InsertAsync(session, bound.Table.TableId, bound.Source, cancellation).ConfigureAwait(false)
            : await WriteConnectorAsync(session, bound, cancellation).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Insert, $"{rows} row{(rows == 1 ? "" : "s")} inserted", rows);
    }

    /// <summary>Runs an INSERT's source into a connector table (a new file for the filesystem connector).</summary>
    private static Task<long> WriteConnectorAsync(TarnSession session, BoundInsert bound, CancellationToken cancellation)
    {
        if (!Connectors.ConnectorSinks.CanWrite(bound.Table))
            throw new TarnException(SqlStates.FeatureNotSupported, $"table '{bound.Path}' uses connector '{bound.Table.Connector}', which this version cannot write yet");
        var plan = LogicalOptimizer.Optimize(bound.Source);
        var context = NewContext(session, cancellation);
        return Task.Run(() =>
        {
            using var planner = new BatchPlanner(session.Core.Storage, context);
            using var op = planner.Lower(plan);
            return Connectors.ConnectorSinks.Write(bound.Table, op, context, bound.Overwrite);
        }, cancellation);
    }

    /// <summary>Runs <paramref name="source"/> and appends its rows to the table as one atomic, durable commit.</summary>
    private static async Task<long> InsertAsync(TarnSession session, long tableId, LogicalPlan source, CancellationToken cancellation)
    {
        var storage = session.Core.Storage;
        var plan = LogicalOptimizer.Optimize(source);
        var context = NewContext(session, cancellation);
        var table = ReadVersion(session, tableId);
        using var builder = new AppendBuilder(storage, table);
        await Task.Run(() =>
        {
            using var planner = new BatchPlanner(storage, context);
            using var op = planner.Lower(plan);
            while (op.Next() is { } batch)
            {
                context.ThrowIfCanceled();
                builder.Add(batch);
            }
        }, cancellation).ConfigureAwait(false);
        if (builder.RowCount == 0) return 0;
        await storage.WaitForInlineSpaceAsync(cancellation).ConfigureAwait(false);
        var ops = builder.Finish();
        await CommitAppendAsync(session, table, ops, builder, null).ConfigureAwait(false);
        return builder.RowCount;
    }

    private static TarnResult Explain(TarnSession session, ExplainStatement explain, TarnParameters parameters, CancellationToken cancellation)
    {
        var binder = NewBinder(session, parameters);
        LogicalPlan logical = explain.Statement switch
        {
            QueryStatement q => binder.BindQuery(q.Query).Plan,
            InsertStatement i => binder.BindInsert(i).Source,
            _ => throw new TarnException(SqlStates.FeatureNotSupported, $"EXPLAIN supports queries and INSERT at {explain.Statement.Position}", explain.Statement.Position),
        };
        var optimized = LogicalOptimizer.Optimize(logical, streaming: IsStreaming(session));
        if (IsStreaming(session)) return ExplainStreaming(logical, optimized);
        var context = NewContext(session, cancellation);
        using var planner = new BatchPlanner(session.Core.Storage, context);
        string physical;
        using (var op = planner.Lower(optimized)) physical = Describe(op, 0);
        var text = "== Logical Plan ==\n" + logical.Explain() + "\n== Optimized Logical Plan ==\n" + optimized.Explain(estimates: true)
                   + "\n== Physical Plan ==\n" + physical + "\n== Scans ==\n" + string.Join("\n", planner.Report.Lines) + "\n";
        var lines = new BinaryVector(DataType.String, 16);
        foreach (var line in text.Split('\n')) lines.Append(line);
        return new TarnResult(StatementKind.Explain, [new TarnColumn("plan", DataType.String)], [new ColumnBatch([lines], lines.Count)]);
    }

    /// <summary>Streaming mode: the optimized plan with every node's changelog mode, as Flink's EXPLAIN CHANGELOG_MODE shows it.</summary>
    private static TarnResult ExplainStreaming(LogicalPlan logical, LogicalPlan optimized)
    {
        var text = "== Logical Plan ==\n" + logical.Explain() + "\n== Optimized Streaming Plan (changelog modes) ==\n"
                   + Execution.Streaming.Lowering.ChangelogModeInference.Explain(optimized);
        var lines = new BinaryVector(DataType.String, 16);
        foreach (var line in text.TrimEnd('\n').Split('\n')) lines.Append(line);
        return new TarnResult(StatementKind.Explain, [new TarnColumn("plan", DataType.String)], [new ColumnBatch([lines], lines.Count)]);
    }

    private static string Describe(IBatchOperator op, int depth) =>
        new string(' ', depth * 2) + op.GetType().Name.Replace("Operator", "", StringComparison.Ordinal)
        + " [" + string.Join(", ", op.OutputTypes.Select(t => t.ToSql())) + "]";
}
