using System.Reflection;

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
    /// Registers <paramref name="consumer"/> if it refuses late rows: an <see cref="ILateRowOperator"/> is counted and
    /// given a reporter; any other operator with a public <c>long LateRows</c> property is counted (so a new operator
    /// is never left out of the total; it implements <see cref="ILateRowOperator"/> to route its rows too).
    /// </summary>
    public void Register(IChangeConsumer consumer, IReadOnlyList<string> inputColumns)
    {
        if (consumer is ILateRowOperator op)
        {
            _counters.Add(() => op.LateRows);
            if (sink is not null) op.LateRowReporter = new LateRowReporter(jobId, $"{OperatorName(consumer)}#{_counters.Count}", inputColumns, sink);
            return;
        }
        if (consumer.GetType().GetProperty("LateRows", BindingFlags.Public | BindingFlags.Instance) is { } property
            && property.PropertyType == typeof(long) && property.GetMethod is { } getter)
            _counters.Add(() => (long)getter.Invoke(consumer, null)!);
    }

    private static string OperatorName(IChangeConsumer op)
    {
        var name = op.GetType().Name;
        return name.StartsWith("Stream", StringComparison.Ordinal) ? name["Stream".Length..] : name;
    }
}
