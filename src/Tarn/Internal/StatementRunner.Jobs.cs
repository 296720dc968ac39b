using Tarn.Execution.Streaming.Lowering;
using Tarn.Planner.Optimizer;
using Tarn.Sql.Ast;
using Tarn.Sql.Formatting;
using Tarn.Streaming;

namespace Tarn.Internal;

/// <summary>
/// Streaming mode (<c>SET 'execution.runtime-mode' = 'streaming'</c>): INSERT ... SELECT and EXECUTE STATEMENT SET
/// submit durable jobs (Streaming/JobManager.cs); SHOW JOBS and STOP JOB manage them.
/// </summary>
internal static partial class StatementRunner
{
    private static TimeSpan StateTtlOf(TarnSession session)
    {
        if (session.GetOption("table.exec.state.ttl") is not { } text) return TimeSpan.Zero;
        if (!SettingValues.TryParseDuration(text, out var ttl) || ttl < TimeSpan.Zero)
            throw new TarnException(SqlStates.InvalidParameterValue, $"'table.exec.state.ttl' must be a duration such as '0 ms' or '1 d', got '{text}'");
        return ttl;
    }

    private static bool IsStreaming(TarnSession session) =>
        string.Equals(session.GetOption("execution.runtime-mode"), "streaming", StringComparison.OrdinalIgnoreCase);

    /// <summary>Binds and optimizes an INSERT for a streaming job; the sink must be a native table.</summary>
    internal static CompiledJob CompileStreamingInsert(TarnSession session, InsertStatement insert, CancellationToken cancellation)
    {
        if (insert.Overwrite)
            throw new TarnException(SqlStates.FeatureNotSupported, $"INSERT OVERWRITE is not supported in streaming mode at {insert.Position}", insert.Position);
        var bound = NewBinder(session, TarnParameters.None).BindInsert(insert);
        if (!bound.Table.IsNative && !Connectors.ConnectorSinks.CanStream(bound.Table))
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"a streaming job cannot write to table '{bound.Path}' (connector '{bound.Table.Connector}') yet; write to a native table at {insert.Position}", insert.Position);
        var plan = LogicalOptimizer.Optimize(bound.Source, streaming: true);
        return new CompiledJob(bound.Path, bound.Table, plan, NewContext(session, cancellation));
    }

    /// <summary>
    /// Submits one job: an INSERT, or a statement set whose INSERTs run as one job and commit together. The job is
    /// validated first (bound, planned and lowered exactly as it will run), so a query the streaming runtime cannot
    /// run fails the statement rather than the job.
    /// </summary>
    private static async Task<TarnResult> SubmitJobAsync(TarnSession session, Statement statement, IReadOnlyList<InsertStatement> inserts)
    {
        foreach (var insert in inserts)
        {
            var compiled = CompileStreamingInsert(session, insert, CancellationToken.None);
            JobCompiler.CheckSinkAccepts(compiled, ChangelogModeInference.Of(compiled.Plan));
            if (!compiled.Table.IsNative) Connectors.ConnectorSinks.ValidateJobSink(compiled.Table);
            StreamPlanValidator.Check(session.Core, compiled);
        }
        JobLateRows.Validate(session);
        var record = new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Sql = SqlFormatter.Format(statement),
            Catalog = session.CurrentCatalog,
            Database = session.CurrentDatabase,
            Options = new Dictionary<string, string>(session.Options, StringComparer.Ordinal),
            CreatedMicros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000,
        };
        await session.Core.Jobs.SubmitAsync(record).ConfigureAwait(false);
        return new TarnResult(StatementKind.Insert, [new TarnColumn("job id", Types.DataType.String)],
            [TextColumn([record.Id])], message: $"Job ID: {record.Id}");
    }

    private static Vectors.ColumnBatch TextColumn(IReadOnlyList<string> values)
    {
        var v = new Vectors.BinaryVector(Types.DataType.String, Math.Max(values.Count, 1));
        foreach (var s in values) v.Append(s);
        return new Vectors.ColumnBatch([v], values.Count);
    }

    /// <summary>
    /// A SELECT in streaming mode: the streaming runtime processes the input available now and ends it; the result is
    /// the materialized changelog (Flink's 'table' result mode, equal to the batch answer), or with
    /// <c>SET 'sql-client.execution.result-mode' = 'changelog'</c> the changes themselves, after an <c>op</c> column.
    /// </summary>
    private static TarnResult RunStreamingQuery(TarnSession session, Planner.Logical.LogicalPlan plan, Execution.ExecutionContext context)
    {
        using var query = new StreamingQuery(session.Core, plan, context);
        var changes = query.RunToEnd();
        var types = plan.Output.Select(c => c.Type).ToList();
        var columns = plan.Output.Select(c => new TarnColumn(c.Name, c.Type)).ToList();
        if (session.GetOption("sql-client.execution.result-mode")?.ToLowerInvariant() is not ("changelog" or "tableau"))
            return new TarnResult(StatementKind.Query, columns, ChangelogMaterializer.Apply(changes, types));
        var batches = new List<Vectors.ColumnBatch>(changes.Count);
        foreach (var change in changes)
        {
            var op = new Vectors.BinaryVector(Types.DataType.String, Math.Max(change.RowCount, 1));
            for (var r = 0; r < change.RowCount; r++) op.Append(Storage.Tables.RowKinds.ToShortString(change.KindOf(r)));
            batches.Add(new Vectors.ColumnBatch([op, .. change.Rows.Columns], change.RowCount));
        }
        return new TarnResult(StatementKind.Query, [new TarnColumn("op", Types.DataType.String), .. columns], batches);
    }

    private static Task<TarnResult> RunStatementSetAsync(TarnSession session, StatementSetStatement set)
    {
        if (!IsStreaming(session))
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"EXECUTE STATEMENT SET runs in streaming mode; in batch mode run the INSERT statements one by one at {set.Position}", set.Position);
        return SubmitJobAsync(session, set, [.. set.Inserts]);
    }

    private static TarnResult ShowJobs(TarnSession session)
    {
        var rows = new List<string?[]>();
        foreach (var (record, live) in session.Core.Jobs.List().OrderBy(j => j.Record.CreatedMicros))
        {
            rows.Add([
                record.Id,
                record.Sql.Length > 80 ? record.Sql[..77] + "..." : record.Sql,
                record.Status.ToString().ToUpperInvariant(),
                Micros(record.CreatedMicros),
                record.Error,
                record.RowsIn.ToString(System.Globalization.CultureInfo.InvariantCulture),
                record.RowsOut.ToString(System.Globalization.CultureInfo.InvariantCulture),
                record.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                record.LastCommitMicros == 0 ? null : Micros(record.LastCommitMicros),
                record.LastCheckpointMicros == 0 ? null : Micros(record.LastCheckpointMicros),
                (live?.StateBytes ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                record.LateRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ]);
        }
        return Strings(StatementKind.Show,
            ["job id", "job name", "status", "start time", "error", "rows in", "rows out", "epoch", "last commit", "last checkpoint", "state bytes", "late rows"], rows);
    }

    private static string Micros(long micros) =>
        DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<TarnResult> StopJobAsync(TarnSession session, StopJobStatement stop)
    {
        await session.Core.Jobs.StopAsync(stop.JobId).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Other, $"job {stop.JobId} stopped");
    }
}
