using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Lowering;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql;
using Tarn.Sql.Ast;

namespace Tarn.Internal;

/// <summary>
/// Subscriptions (<see cref="TarnSession.SubscribeAsync(string, CancellationToken)"/>): a query bound now, as the session stands, and run by the
/// streaming runtime whatever the session's runtime mode.
/// </summary>
internal static partial class StatementRunner
{
    /// <summary>Binds and optimizes <paramref name="sql"/>, which must be one query; rejects a plan the streaming runtime cannot run.</summary>
    internal static (LogicalPlan Plan, IReadOnlyList<TarnColumn> Columns) BindSubscription(TarnSession session, string sql, TarnParameters parameters)
    {
        var statements = SqlParser.ParseScript(sql);
        if (statements.Count == 0) throw new TarnException(SqlStates.SyntaxError, "no query to subscribe to");
        if (statements.Count != 1 || statements[0] is not QueryStatement query)
        {
            var position = statements[0].Position;
            throw new TarnException(SqlStates.FeatureNotSupported, $"a subscription runs exactly one query (SELECT, VALUES, WITH ...) at {position}", position);
        }
        var bound = NewBinder(session, parameters).BindQuery(query.Query);
        var plan = LogicalOptimizer.Optimize(bound.Plan, streaming: true);
        // Lowered once with state that is never touched, so an unsupported query fails here rather than when enumerated.
        var graph = new StreamPlanner(session.Core.Storage, NewContext(session, CancellationToken.None), StreamStateContext.ForValidation())
            .Lower(plan, DiscardChanges.Instance);
        foreach (var input in graph.Inputs) input.Source.Dispose();
        return (plan, plan.Output.Select(c => new TarnColumn(c.Name, c.Type)).ToList());
    }

    /// <summary>The execution context of one run of a subscription.</summary>
    internal static Execution.ExecutionContext NewSubscriptionContext(TarnSession session, CancellationToken cancellation) =>
        NewContext(session, cancellation);

    private sealed class DiscardChanges : IChangeConsumer
    {
        public static readonly DiscardChanges Instance = new();
        public void Push(ChangeBatch batch) { }
        public void Watermark(long watermark) { }
        public void Flush() { }
        public void Finish() { }
    }
}
