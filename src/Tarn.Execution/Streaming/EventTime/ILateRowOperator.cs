namespace Tarn.Execution.Streaming.EventTime;

/// <summary>
/// An operator that refuses rows arriving after the watermark has passed them (a window already fired, an event-time
/// buffer already released). Such rows are never dropped silently: the operator counts them, and when the job routes
/// late rows to a table (<c>table.exec.late-rows.table</c>) it hands each one to its <see cref="LateRowReporter"/>.
/// </summary>
public interface ILateRowOperator
{
    /// <summary>Rows refused as late since the operator was created (the job adds its committed total).</summary>
    long LateRows { get; }

    /// <summary>Set while lowering a job that routes late rows to a table; null when late rows are only counted.</summary>
    LateRowReporter? LateRowReporter { get; set; }
}
