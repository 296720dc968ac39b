using Tarn.Types;

namespace Tarn.Execution.Streaming.EventTime;

/// <summary>
/// The fixed row layout of a late-row table, the same for every operator:
/// <c>(job_id STRING, operator STRING, event_time TIMESTAMP(3), watermark TIMESTAMP(3), row_data STRING)</c>.
/// <c>event_time</c> is the time the operator compared with the watermark (the row's time attribute, or for a window
/// operator the end of the row's window), <c>watermark</c> the operator's watermark then, and <c>row_data</c> the
/// operator's input row as a JSON object keyed by column name.
/// </summary>
public static class LateRowSchema
{
    public static readonly DataType Time = DataType.Timestamp(3);

    public static readonly IReadOnlyList<(string Name, DataType Type)> Columns =
    [
        ("job_id", DataType.String),
        ("operator", DataType.String),
        ("event_time", Time),
        ("watermark", Time),
        ("row_data", DataType.String),
    ];

    /// <summary>What to run to create a table that accepts late rows (shown in errors).</summary>
    public const string CreateTableExample =
        "CREATE TABLE late_rows (job_id STRING, operator STRING, event_time TIMESTAMP(3), watermark TIMESTAMP(3), row_data STRING)";
}
