using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Execution.Streaming;
using Tarn.Internal;
using Tarn.Planner.Logical;
using Tarn.Sql;
using Tarn.Sql.Ast;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Streaming;

/// <summary>A job's statement bound and optimized in the session context it was submitted from.</summary>
internal sealed record CompiledJob(ObjectPath Path, TableDef Table, LogicalPlan Plan, ExecutionContext Context);

/// <summary>Turns a job's recorded statement into a logical plan, the same way at submission and at every restart.</summary>
internal static class JobCompiler
{
    /// <summary>The job's pipelines: one per INSERT (a statement set has several, committed together).</summary>
    public static IReadOnlyList<CompiledJob> Compile(DatabaseCore core, JobRecord record)
    {
        var session = new TarnSession(core) { CurrentCatalog = record.Catalog, CurrentDatabase = record.Database };
        foreach (var (key, value) in record.Options) session.SetOption(key, value);
        var inserts = SqlParser.ParseScript(record.Sql) switch
        {
            [InsertStatement insert] => [insert],
            [StatementSetStatement set] => set.Inserts.ToList(),
            _ => throw new TarnException(SqlStates.InternalError, $"job {record.Id} holds neither an INSERT nor a statement set"),
        };
        return inserts.Select(i => StatementRunner.CompileStreamingInsert(session, i, CancellationToken.None)).ToList();
    }

    /// <summary>Rejects a query whose changes the sink cannot store (Flink: "doesn't support consuming update and delete changes").</summary>
    public static void CheckSinkAccepts(CompiledJob job, ChangelogMode mode)
    {
        if (!job.Table.IsNative)
        {
            var accepts = Connectors.ConnectorSinks.Accepts(job.Table);
            if (mode.IsInsertOnly() || accepts == Connectors.SinkChanges.All) return;
            if (accepts == Connectors.SinkChanges.UpsertByPrimaryKey && job.Table.PrimaryKey.Count > 0) return;
            throw new TarnException(SqlStates.FeatureNotSupported, accepts == Connectors.SinkChanges.UpsertByPrimaryKey
                ? $"table '{job.Path}' has no primary key, so it cannot consume the update and delete changes {mode.ToExplainString()} the query produces; declare PRIMARY KEY (...) NOT ENFORCED on the sink, or make the query insert-only"
                : $"table '{job.Path}' (connector '{job.Table.Connector}') is append-only, so it cannot consume the update and delete changes {mode.ToExplainString()} the query produces; make the query insert-only (for Kafka, use 'upsert-kafka' with a primary key)");
        }
        if (job.Table.IsNative && job.Table.PrimaryKey.Count == 0 && !mode.IsInsertOnly())
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"table '{job.Path}' has no primary key, so it cannot consume the update and delete changes {mode.ToExplainString()} the query produces; declare PRIMARY KEY (...) NOT ENFORCED on the sink, or make the query insert-only");
    }
}
