using System.Runtime.CompilerServices;
using Tarn.Execution.Streaming;
using Tarn.Internal;
using Tarn.Planner.Logical;
using Tarn.Streaming;

namespace Tarn;

/// <summary>
/// A continuously updating query (<see cref="TarnSession.SubscribeAsync(string, CancellationToken)"/>), like a SELECT in Flink's SQL client: each
/// enumeration runs the query in the streaming runtime from the start of its sources, yields the changes of its result
/// (+I, -U, +U, -D) as they are produced, then waits for new commits to the source tables and goes on, until it is
/// cancelled (or every source ended, which only bounded sources such as VALUES do).
/// <para>
/// Cancelling ends the enumeration without an exception (it is how a subscription is meant to stop); the query's
/// temporary state is deleted before the enumeration ends. An error in the query is thrown by the enumeration.
/// </para>
/// </summary>
public sealed class TarnSubscription : IAsyncEnumerable<TarnChangeBatch>
{
    private readonly TarnSession _session;
    private readonly LogicalPlan _plan;
    private readonly CancellationToken _cancellation;

    internal TarnSubscription(TarnSession session, LogicalPlan plan, IReadOnlyList<TarnColumn> columns, CancellationToken cancellation)
    {
        _session = session;
        _plan = plan;
        Columns = columns;
        _cancellation = cancellation;
    }

    /// <summary>The result's columns (every batch has them too).</summary>
    public IReadOnlyList<TarnColumn> Columns { get; }

    public IAsyncEnumerator<TarnChangeBatch> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        RunAsync(_cancellation).GetAsyncEnumerator(cancellationToken);

    private async IAsyncEnumerable<TarnChangeBatch> RunAsync([EnumeratorCancellation] CancellationToken stop)
    {
        var core = _session.Core;
        // Closing the database ends the subscription too (with an error: the caller did not ask for the end).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, core.Closing);
        var cancellation = linked.Token;
        var query = new StreamingQuery(core, _plan, StatementRunner.NewSubscriptionContext(_session, cancellation));
        try
        {
            while (true)
            {
                // Taken before the step reads the sources, so a commit while it runs wakes the wait below.
                var commit = core.Storage.NextCommitAsync();
                var step = await StepAsync(query, cancellation).ConfigureAwait(false);
                if (step is null) break;
                for (var i = 0; i < step.Count; i++)
                    yield return new TarnChangeBatch(Columns, step[i].Rows, step[i].Kinds, isCaughtUp: i == step.Count - 1);
                if (query.InputEnded) yield break;
                if (!await WaitAsync(query, commit, cancellation).ConfigureAwait(false)) break;
            }
        }
        finally
        {
            query.Dispose();
        }
        if (core.Closing.IsCancellationRequested && !stop.IsCancellationRequested)
            throw new TarnException(SqlStates.ObjectNotInPrerequisiteState, "the subscription ended because the database was closed");
    }

    /// <summary>One step on a pool thread (it is CPU work); null when cancelled.</summary>
    private static async Task<IReadOnlyList<ChangeBatch>?> StepAsync(StreamingQuery query, CancellationToken cancellation)
    {
        try
        {
            return await Task.Run(query.RunAvailable, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && IsCancellation(e))
        {
            return null;
        }
    }

    /// <summary>Waits for input; false when cancelled.</summary>
    private static async Task<bool> WaitAsync(StreamingQuery query, Task commit, CancellationToken cancellation)
    {
        try
        {
            await query.WaitForInputAsync(commit, cancellation).ConfigureAwait(false);
            return !cancellation.IsCancellationRequested;
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && IsCancellation(e))
        {
            return false;
        }
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || e is TarnException { SqlState: SqlStates.QueryCanceled };
}
