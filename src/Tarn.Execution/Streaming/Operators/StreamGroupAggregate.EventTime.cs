using Tarn.Execution.Streaming.EventTime;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>The window mode's late rows are counted and, when the job routes them to a table, reported there.</summary>
public sealed partial class StreamGroupAggregate : ILateRowOperator
{
    public LateRowReporter? LateRowReporter { get; set; }

    /// <summary>
    /// Hands the batch's late rows (those whose window the watermark closed, as <c>DropLateRows</c> decides) to the
    /// reporter, with their window end as event time, if the job routes late rows.
    /// </summary>
    private void ReportLateRows(ColumnBatch rows, PrimitiveVector<long> windowEnds)
    {
        if (LateRowReporter is not { } reporter) return;
        var late = new List<int>();
        var times = new List<long>();
        for (var r = 0; r < rows.RowCount; r++)
        {
            if (windowEnds.IsNull(r) || EndMillis(windowEnds.Values[r]) - 1 > _watermark) continue;
            late.Add(r);
            times.Add(EndMillis(windowEnds.Values[r]));
        }
        reporter.Report(rows, [.. late], [.. times], _watermark);
    }
}

/// <summary>A per-query state TTL (<c>STATE_TTL</c> hint) overriding <c>table.exec.state.ttl</c>.</summary>
public sealed partial class StreamGroupAggregate
{
    /// <summary>How long a group that is not updated is kept (zero: forever); set while lowering, before any row.</summary>
    public TimeSpan StateTtl
    {
        get => TimeSpan.FromMilliseconds(_ttlMillis);
        set => _ttlMillis = (long)value.TotalMilliseconds;
    }
}
