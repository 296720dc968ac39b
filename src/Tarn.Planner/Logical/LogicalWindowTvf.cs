using Tarn.Types;

namespace Tarn.Planner.Logical;

/// <summary>The window table-valued functions of Flink SQL.</summary>
public enum WindowTvfKind
{
    /// <summary>TUMBLE: fixed-size, non-overlapping windows; each row falls in exactly one.</summary>
    Tumble,

    /// <summary>HOP: windows of <see cref="LogicalWindowTvf.SizeMillis"/> starting every <see cref="LogicalWindowTvf.StepMillis"/>; a row falls in ceil(size / slide) of them.</summary>
    Hop,

    /// <summary>CUMULATE: windows sharing the start of a size-long tumbling window, ending every step; a row falls in each one that ends after it.</summary>
    Cumulate,

    /// <summary>SESSION: per partition, rows closer than the gap form one window [first time, last time + gap).</summary>
    Session,
}

/// <summary>
/// A window table-valued function (<c>TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size [, offset]))</c>, HOP, CUMULATE,
/// SESSION): all input columns, then <c>window_start</c> and <c>window_end</c> (TIMESTAMP(3)) and <c>window_time</c>
/// (window_end - 1 ms; TIMESTAMP_LTZ(3) when the time column is a TIMESTAMP_LTZ, else TIMESTAMP(3)). HOP and
/// CUMULATE emit a row once per window it falls in; rows with a NULL time fall in no window.
/// <para>Windows are aligned to the epoch shifted by <see cref="OffsetMillis"/>: a tumbling window of a row at time t
/// starts at t - floorMod(t - offset, size). For a TIMESTAMP_LTZ time column the alignment and window_start /
/// window_end are in the session time zone (Flink's rule), while window_time is an instant again.</para>
/// <para>A "what" node: the batch engine computes it row by row (SESSION after sorting by partition and time); the
/// streaming engine assigns windows as rows arrive and closes them by the watermark.</para>
/// </summary>
/// <param name="TimeColumn">The descriptor's column: an input column of type TIMESTAMP(p) or TIMESTAMP_LTZ(p).</param>
/// <param name="SizeMillis">TUMBLE/HOP/CUMULATE: the window size; SESSION: the gap.</param>
/// <param name="StepMillis">HOP: the slide; CUMULATE: the step; otherwise 0.</param>
/// <param name="OffsetMillis">The alignment offset (may be negative); 0 for SESSION.</param>
/// <param name="PartitionColumns">SESSION's PARTITION BY columns (input indexes); empty otherwise.</param>
public sealed record LogicalWindowTvf(
    LogicalPlan Input,
    WindowTvfKind Kind,
    int TimeColumn,
    long SizeMillis,
    long StepMillis,
    long OffsetMillis,
    IReadOnlyList<int> PartitionColumns) : LogicalPlan
{
    public const string WindowStart = "window_start";
    public const string WindowEnd = "window_end";
    public const string WindowTime = "window_time";

    /// <summary>Whether the time column is a TIMESTAMP_LTZ (windows aligned in the session time zone).</summary>
    public bool TimeIsLtz => Input.Output[TimeColumn].Type.Kind == TypeKind.TimestampLtz;

    /// <summary>The index of <c>window_start</c> in <see cref="Output"/>; window_end and window_time follow it.</summary>
    public int WindowStartColumn => Input.Output.Count;

    public override IReadOnlyList<OutputColumn> Output =>
    [
        .. Input.Output,
        new OutputColumn(WindowStart, DataType.Timestamp(3).WithNullable(false)),
        new OutputColumn(WindowEnd, DataType.Timestamp(3).WithNullable(false)),
        new OutputColumn(WindowTime, (TimeIsLtz ? DataType.TimestampLtz(3) : DataType.Timestamp(3)).WithNullable(false)),
    ];

    public override IReadOnlyList<LogicalPlan> Inputs => [Input];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };

    public override string Describe()
    {
        var time = $"#{TimeColumn}";
        var offset = OffsetMillis != 0 ? $", offset={OffsetMillis}ms" : "";
        return Kind switch
        {
            WindowTvfKind.Tumble => $"WindowTvf TUMBLE({time}, size={SizeMillis}ms{offset})",
            WindowTvfKind.Hop => $"WindowTvf HOP({time}, slide={StepMillis}ms, size={SizeMillis}ms{offset})",
            WindowTvfKind.Cumulate => $"WindowTvf CUMULATE({time}, step={StepMillis}ms, size={SizeMillis}ms{offset})",
            _ => $"WindowTvf SESSION({time}, gap={SizeMillis}ms{(PartitionColumns.Count > 0 ? $", partition=[{string.Join(", ", PartitionColumns.Select(c => $"#{c}"))}]" : "")})",
        };
    }
}
