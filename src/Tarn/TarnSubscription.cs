using System.Runtime.CompilerServices;
using Tarn.Execution.Streaming;
using Tarn.Internal;
using Tarn.Planner.Logical;
using Tarn.Streaming;
using Tarn.Vectors;

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
    private readonly TarnSubscribeOptions _options;

    internal TarnSubscription(TarnSession session, LogicalPlan plan, IReadOnlyList<TarnColumn> columns, TarnSubscribeOptions options, CancellationToken cancellation)
    {
        _session = session;
        _plan = plan;
        Columns = columns;
        _options = options;
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
        // Logical timestamps are storage commit sequence numbers: a step that began at sequence s has read every commit
        // up to s. `frontier` is the last progress yielded: every change before it has been yielded.
        long frontier = -1;
        var first = true;
        try
        {
            while (true)
            {
                // Taken before the step reads the sources, so a commit while it runs wakes the wait below.
                var commit = core.Storage.NextCommitAsync();
                var asOf = core.Storage.Current;
                var seq = asOf.Seq;
                if (first && _options.Progress)
                {
                    frontier = seq; // Materialize's first progress message: the time the subscription is as of
                    yield return Progressed(frontier);
                }
                // Without the snapshot, the first step reads exactly what was committed at the start (state only).
                var step = await StepAsync(first && !_options.Snapshot ? () => query.RunAvailableAsOf(asOf) : query.RunAvailable, cancellation).ConfigureAwait(false);
                if (step is null) break;
                // Labels never go back below a progress already yielded (a step woken by a source that is not a table).
                var timestamp = Math.Max(seq, frontier);
                var rows = 0;
                if (!first || _options.Snapshot)
                {
                    for (var i = 0; i < step.Count; i++)
                    {
                        rows += step[i].Rows.RowCount;
                        yield return new TarnChangeBatch(Columns, step[i].Rows, step[i].Kinds, isCaughtUp: i == step.Count - 1, timestamp);
                    }
                }
                if (_options.Progress && (seq >= frontier || rows > 0))
                {
                    frontier = timestamp + 1;
                    yield return Progressed(frontier);
                }
                first = false;
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

    /// <summary>A batch without rows saying that every change before <paramref name="frontier"/> has been yielded.</summary>
    private TarnChangeBatch Progressed(long frontier)
    {
        var empty = new ColumnVector[Columns.Count];
        for (var c = 0; c < empty.Length; c++) empty[c] = ColumnVector.Create(Columns[c].Type, 1);
        return new TarnChangeBatch(Columns, new ColumnBatch(empty, 0), null, isCaughtUp: true, frontier, isProgress: true);
    }

    /// <summary>One step on a pool thread (it is CPU work); null when cancelled.</summary>
    private static async Task<IReadOnlyList<ChangeBatch>?> StepAsync(Func<IReadOnlyList<ChangeBatch>> step, CancellationToken cancellation)
    {
        try
        {
            return await Task.Run(step, CancellationToken.None).ConfigureAwait(false);
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
