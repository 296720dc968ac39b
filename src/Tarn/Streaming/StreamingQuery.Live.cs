using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Sources;

namespace Tarn.Streaming;

/// <summary>
/// The unbounded way to run a streaming query (a subscription, Flink's SQL client): <see cref="RunAvailable"/> takes
/// one step over what is available without ending the input, and <see cref="WaitForInputAsync"/> waits for more.
/// </summary>
internal sealed partial class StreamingQuery
{
    private bool[]? _finished;

    /// <summary>True once every source has ended (only bounded sources end, e.g. VALUES); then no more changes come.</summary>
    public bool InputEnded => _finished is not null && Array.TrueForAll(_finished, f => f);

    /// <summary>
    /// Processes everything available now, then flushes (the end of an epoch: buffered results are emitted) WITHOUT
    /// ending the input, and returns the changes produced by this step. A bounded source that has ended is finished,
    /// as <see cref="RunToEnd"/> does.
    /// </summary>
    public IReadOnlyList<ChangeBatch> RunAvailable()
    {
        var inputs = _graph.Inputs;
        var finished = _finished ??= new bool[inputs.Count];
        PollUntilDry(finished);
        for (var i = 0; i < inputs.Count; i++)
            if (!finished[i]) inputs[i].Entry.Flush();
        // Hand the step's changes over and forget them: a subscription may run for days.
        var step = new List<ChangeBatch>(_output.Batches);
        _output.Batches.Clear();
        return step;
    }

    /// <summary>
    /// Completes when a source may have more rows: at <paramref name="commit"/> (the storage's next commit, taken by the
    /// caller BEFORE the step that found nothing more, so a commit during that step is not missed) or when a source that
    /// is not a table reports data. Table sources are woken by the commit alone, as in StreamingJob.WaitForInput.
    /// </summary>
    public async Task WaitForInputAsync(Task commit, CancellationToken cancellation)
    {
        var inputs = _graph.Inputs;
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var waits = new List<Task>(inputs.Count + 1) { commit };
        for (var i = 0; i < inputs.Count; i++)
            if (_finished is null || !_finished[i])
                if (inputs[i].Source is not TableStreamSource)
                    waits.Add(inputs[i].Source.WaitForDataAsync(wake.Token).AsTask());
        try
        {
            await Task.WhenAny(waits).WaitAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            // The sources' waits must be over before the next step polls them (a source is used by one thread at a time).
            await wake.CancelAsync().ConfigureAwait(false);
            for (var i = 1; i < waits.Count; i++)
            {
                try { await waits[i].ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
        }
    }
}
