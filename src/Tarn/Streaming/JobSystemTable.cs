using Tarn.Internal;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;

namespace Tarn.Streaming;

/// <summary>
/// The system table <c>tarn_jobs</c>: one row per streaming job with its status, error, progress counters, input lag,
/// checkpoint times, state size, late rows and the last state checkpoint's duration (what SHOW JOBS prints, queryable with SQL).
/// </summary>
internal static class JobSystemTable
{
    public const string Name = "tarn_jobs";

    private static readonly DataType Time = DataType.Timestamp(3);

    private static readonly OutputColumn[] Columns =
    [
        new("job_id", DataType.String.WithNullable(false)),
        new("statement", DataType.String.WithNullable(false)),
        new("status", DataType.String.WithNullable(false)),
        new("error", DataType.String),
        new("start_time", Time),
        new("epoch", DataType.BigInt.WithNullable(false)),
        new("rows_in", DataType.BigInt.WithNullable(false)),
        new("rows_out", DataType.BigInt.WithNullable(false)),
        new("input_lag", DataType.BigInt),
        new("last_commit", Time),
        new("last_checkpoint", Time),
        new("state_bytes", DataType.BigInt),
        new("late_rows", DataType.BigInt.WithNullable(false)),
        new("last_checkpoint_seconds", DataType.Double),
    ];

    public static LogicalValues Rows(DatabaseCore core)
    {
        var rows = new List<IReadOnlyList<BoundExpression>>();
        foreach (var (record, live) in core.Jobs.List())
        {
            rows.Add([
                Text(record.Id), Text(record.Sql), Text(record.Status.ToString().ToUpperInvariant()),
                record.Error is null ? BoundLiteral.Null(DataType.String) : Text(record.Error),
                At(record.CreatedMicros), BoundLiteral.Of(record.Epoch), BoundLiteral.Of(record.RowsIn), BoundLiteral.Of(record.RowsOut),
                live is null ? BoundLiteral.Null(DataType.BigInt) : BoundLiteral.Of(live.InputLag),
                At(record.LastCommitMicros), At(record.LastCheckpointMicros),
                live is null ? BoundLiteral.Null(DataType.BigInt) : BoundLiteral.Of(live.StateBytes),
                BoundLiteral.Of(record.LateRows),
                live is null ? BoundLiteral.Null(DataType.Double) : BoundLiteral.Of(live.LastCheckpointCost.TotalSeconds),
            ]);
        }
        return new LogicalValues(rows, Columns);
    }

    private static BoundLiteral Text(string value) => new(value, DataType.String.WithNullable(false));

    /// <summary>TIMESTAMP(3) values are microseconds since the epoch (DataType: units per second by precision).</summary>
    private static BoundLiteral At(long micros) => micros == 0 ? BoundLiteral.Null(Time) : new BoundLiteral(micros, Time.WithNullable(false));
}
