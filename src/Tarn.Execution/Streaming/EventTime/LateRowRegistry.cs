namespace Tarn.Execution.Streaming.EventTime;

/// <summary>
/// The late-row bookkeeping of one job, shared by all its pipelines: every operator that may refuse late rows is
/// registered while the plan is lowered, so the job can report their total (<c>tarn_jobs.late_rows</c>) and, when a
/// late-row table is configured, route each late row there through a <see cref="LateRowReporter"/>.
/// </summary>
/// <param name="jobId">Written into the late-row table's <c>job_id</c>.</param>
/// <param name="sink">The late-row table's sink, or null when late rows are only counted.</param>
public sealed class LateRowRegistry(string jobId, IChangeConsumer? sink)
{
    private readonly List<Func<long>> _counters = [];

    /// <summary>Late rows refused by the registered operators since they were created.</summary>
    public long Count
    {
        get
        {
            long total = 0;
            foreach (var counter in _counters) total += counter();
            return total;
        }
    }

    public bool RoutesRows => sink is not null;

    /// <summary>
    /// Registers <paramref name="consumer"/> if it refuses late rows (<see cref="ILateRowOperator"/>, which every
    /// operator that drops rows behind the watermark implements): it is counted and, when the job routes late rows,
    /// given a reporter. Any other operator is ignored.
    /// </summary>
    public void Register(IChangeConsumer consumer, IReadOnlyList<string> inputColumns)
    {
        if (consumer is not ILateRowOperator op) return;
        _counters.Add(() => op.LateRows);
        if (sink is not null) op.LateRowReporter = new LateRowReporter(jobId, $"{OperatorName(consumer)}#{_counters.Count}", inputColumns, sink);
    }

    private static string OperatorName(IChangeConsumer op)
    {
        var name = op.GetType().Name;
        return name.StartsWith("Stream", StringComparison.Ordinal) ? name["Stream".Length..] : name;
    }
}
