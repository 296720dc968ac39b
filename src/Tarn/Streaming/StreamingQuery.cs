using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Lowering;
using Tarn.Execution.Streaming.State;
using Tarn.Internal;
using Tarn.Planner.Logical;
using Tarn.State;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Streaming;

/// <summary>
/// A SELECT run by the streaming runtime inside the calling statement (not a durable job): its state lives in a
/// temporary FASTER store that is deleted afterwards. <see cref="RunToEnd"/> reads every source until it has nothing
/// more, then ends the input (as a bounded source ends: open windows fire) and returns the changelog produced.
/// </summary>
internal sealed partial class StreamingQuery : IDisposable
{
    private readonly string _stateDirectory;
    private StateStore? _store;
    private StateSession? _session;
    private readonly StreamGraph _graph;
    private readonly ChangelogCollector _output = new();

    public StreamingQuery(DatabaseCore core, LogicalPlan plan, ExecutionContext context)
    {
        _stateDirectory = Path.Combine(core.TempDirectory, "stream-" + Guid.NewGuid().ToString("N"));
        var state = new StreamStateContext(OpenSession);
        _graph = new StreamPlanner(core.Storage, context, state).Lower(plan, _output);
        Context = context;
    }

    public ExecutionContext Context { get; }

    public ChangelogMode OutputMode => _graph.OutputMode;

    private StateSession OpenSession()
    {
        _store = StateStore.Open(new StateStoreOptions
        {
            Directory = _stateDirectory,
            IndexBuckets = 1 << 12,
            PageSize = 1 << 20,
            LogMemorySize = 16L << 20,
            SegmentSize = 1L << 24,
        });
        return _session = _store.NewSession();
    }

    /// <summary>Processes everything available now, then ends the input; returns the changelog in order.</summary>
    public IReadOnlyList<ChangeBatch> RunToEnd()
    {
        var inputs = _graph.Inputs;
        var finished = new bool[inputs.Count];
        PollUntilDry(finished);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (finished[i]) continue;
            inputs[i].Entry.Flush();
            inputs[i].Entry.Finish();
        }
        return _output.Batches;
    }

    /// <summary>Pushes every source's available batches through the plan until none has more; ended sources finish.</summary>
    private void PollUntilDry(bool[] finished)
    {
        var inputs = _graph.Inputs;
        while (true)
        {
            var any = false;
            for (var i = 0; i < inputs.Count; i++)
            {
                if (finished[i]) continue;
                Context.ThrowIfCanceled();
                var batch = inputs[i].Source.Poll(8192);
                if (batch is null)
                {
                    if (inputs[i].Source.IsFinished)
                    {
                        finished[i] = true;
                        inputs[i].Entry.Finish();
                    }
                    continue;
                }
                any = true;
                inputs[i].Entry.Push(batch);
            }
            if (!any) return;
        }
    }

    public void Dispose()
    {
        foreach (var input in _graph.Inputs) input.Source.Dispose();
        _session?.Dispose();
        _store?.Dispose();
        try
        {
            if (Directory.Exists(_stateDirectory)) Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temporary store is removed when the database next opens (DatabaseCore.RemoveSpillFiles)
        }
    }
}
