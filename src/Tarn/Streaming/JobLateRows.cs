using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.EventTime;
using Tarn.Internal;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Streaming;

/// <summary>
/// Late rows of one job run. Operators that refuse rows behind the watermark count them; the job records the total in
/// its progress record (<c>tarn_jobs.late_rows</c>, SHOW JOBS) in each epoch commit, so the count is exactly-once
/// like the output. With <c>SET 'table.exec.late-rows.table' = '[catalog.][database.]table'</c> (a job option, read
/// when the job is submitted) each late row is also written to that append table, whose columns are
/// <see cref="LateRowSchema"/>'s, in the same epoch commit as the job's other output: a replay after a crash writes
/// each late row exactly once. Flink has no such option (it drops late rows of windows and counts them in the
/// numLateRecordsDropped metric); the name follows its <c>table.exec.*</c> options.
/// </summary>
internal sealed class JobLateRows
{
    public const string OptionKey = "table.exec.late-rows.table";

    private readonly long _committedBefore;

    private JobLateRows(JobRecord record, IJobSink? sink)
    {
        _committedBefore = record.LateRows;
        Sink = sink;
        Registry = new LateRowRegistry(record.Id, sink);
    }

    public LateRowRegistry Registry { get; }

    /// <summary>The late-row table's sink, committed with the job's other sinks; null without a late-row table.</summary>
    public IJobSink? Sink { get; }

    /// <summary>The job's late rows up to now: those committed before this run plus those counted since.</summary>
    public long Total => _committedBefore + Registry.Count;

    public static JobLateRows Open(DatabaseCore core, JobRecord record)
    {
        if (!record.Options.TryGetValue(OptionKey, out var name) || string.IsNullOrWhiteSpace(name)) return new JobLateRows(record, null);
        var table = Resolve(core, record.Catalog, record.Database, name);
        return new JobLateRows(record, new LateRowTableSink(new NativeTableSink(core.Storage, table), table));
    }

    /// <summary>At submission: the configured late-row table exists and has the late-row columns (or none is configured).</summary>
    public static void Validate(TarnSession session)
    {
        if (session.GetOption(OptionKey) is { } name && !string.IsNullOrWhiteSpace(name))
            Resolve(session.Core, session.CurrentCatalog, session.CurrentDatabase, name);
    }

    private static TableDef Resolve(DatabaseCore core, string catalog, string database, string name)
    {
        var parts = name.Trim().Split('.');
        var path = parts.Length switch
        {
            1 => new ObjectPath(catalog, database, parts[0]),
            2 => new ObjectPath(catalog, parts[0], parts[1]),
            3 => new ObjectPath(parts[0], parts[1], parts[2]),
            _ => throw new TarnException(SqlStates.InvalidParameterValue, $"'{OptionKey}' must name a table, got '{name}'"),
        };
        var table = core.Catalog.FindTable(path)
            ?? throw new TarnException(SqlStates.UndefinedTable, $"the late-row table '{path}' ('{OptionKey}') does not exist; create it with {LateRowSchema.CreateTableExample}");
        if (!table.IsNative || table.PrimaryKey.Count > 0)
            throw new TarnException(SqlStates.WrongObjectType, $"the late-row table '{path}' must be a native table without a primary key (rows are appended)");
        var physical = table.Columns.Where(c => c.IsPhysical).ToList();
        var fits = physical.Count == LateRowSchema.Columns.Count;
        foreach (var (column, type) in LateRowSchema.Columns)
        {
            var found = table.FindColumn(column);
            fits &= found is { IsPhysical: true } && (type.IsString ? found.Type.IsString
                : found.Type.Kind == TypeKind.Timestamp && found.Type.Precision == type.Precision && found.Type.Nullable);
        }
        if (!fits)
            throw new TarnException(SqlStates.DatatypeMismatch,
                $"the late-row table '{path}' must have exactly the columns of {LateRowSchema.CreateTableExample} (in any order)");
        return table;
    }

    /// <summary>
    /// Puts the late rows' columns in the table's column order and hands them to a native sink. Its rows are not the
    /// job's output, so it reports no pending rows (rows_out counts the job's sinks only).
    /// </summary>
    private sealed class LateRowTableSink : IJobSink
    {
        private readonly NativeTableSink _inner;
        private readonly int[] _order;

        public LateRowTableSink(NativeTableSink inner, TableDef table)
        {
            _inner = inner;
            var physical = table.Columns.Where(c => c.IsPhysical).ToList();
            _order = new int[physical.Count];
            for (var i = 0; i < physical.Count; i++)
                for (var k = 0; k < LateRowSchema.Columns.Count; k++)
                    if (string.Equals(LateRowSchema.Columns[k].Name, physical[i].Name, StringComparison.OrdinalIgnoreCase)) _order[i] = k;
        }

        public long PendingRows => 0;

        public long? LockedTable => null;

        public void Push(ChangeBatch batch)
        {
            var columns = new ColumnVector[_order.Length];
            for (var i = 0; i < columns.Length; i++) columns[i] = batch.Rows[_order[i]];
            _inner.Push(new ChangeBatch(new ColumnBatch(columns, batch.RowCount)));
        }

        public void Watermark(long watermark) { }

        public void Flush() { }

        public void Finish() { }

        public SinkCommit Prepare() => _inner.Prepare();

        public void Committed() => _inner.Committed();
    }
}
