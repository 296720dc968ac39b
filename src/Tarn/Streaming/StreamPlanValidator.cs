using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Lowering;
using Tarn.Execution.Streaming.State;
using Tarn.Internal;

namespace Tarn.Streaming;

/// <summary>
/// Rejects, at submission, a plan the streaming runtime cannot run (otherwise only the job would fail, later): the
/// plan is lowered exactly as the job will lower it, with state that is never touched, and thrown away.
/// </summary>
internal static class StreamPlanValidator
{
    public static void Check(DatabaseCore core, CompiledJob job)
    {
        var graph = new StreamPlanner(core.Storage, job.Context, StreamStateContext.ForValidation()).Lower(job.Plan, Discard.Instance);
        foreach (var input in graph.Inputs) input.Source.Dispose();
    }

    private sealed class Discard : IChangeConsumer
    {
        public static readonly Discard Instance = new();
        public void Push(ChangeBatch batch) { }
        public void Watermark(long watermark) { }
        public void Flush() { }
        public void Finish() { }
    }
}
