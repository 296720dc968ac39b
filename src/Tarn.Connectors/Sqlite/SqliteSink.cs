using Microsoft.Data.Sqlite;
using Tarn.Catalog.Model;
using Tarn.Connectors.Sinks;
using Tarn.Execution;
using Tarn.Execution.Streaming;
using Tarn.Types;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// A streaming job's output into a SQLite table, exactly once. Each epoch's changes are staged in a checksummed
/// write-ahead file before the job commits (<see cref="ExactlyOnceSink"/>); after the commit they are applied in ONE
/// SQLite transaction that also sets the job's row in <c>tarn_sink_epochs(job, sink, epoch)</c>, a table in the same
/// file. A restarted job applies the staged epochs its commit covers whose marker is missing, so an epoch is never lost
/// (it was staged before the commit) nor applied twice (the marker commits with the rows). A transaction that fails
/// because the file is busy or on an I/O error is retried <c>sink.max-retries</c> times on a new connection.
/// </summary>
public sealed class SqliteSink : ExactlyOnceSink
{
    public const string MarkerTable = "tarn_sink_epochs";

    private readonly SqliteTable _sqlite;
    private readonly TableDef _table;
    private readonly SqliteSinkOptions _options;
    private readonly Action<int> _sleep;
    private SqliteWriter? _writer;

    /// <param name="sleep">Waits between retries (milliseconds); tests pass a no-op.</param>
    public SqliteSink(TableDef table, SinkContext context, Action<int>? sleep = null) : base(context, StagedTypes(table))
    {
        _sqlite = SqliteTable.From(table);
        _table = table;
        _options = SqliteSinkOptions.From(table);
        _sleep = sleep ?? Thread.Sleep;
        // The job starts: a missing file, table or column fails it now, before it reads anything.
        _writer = SqliteWriter.Open(_sqlite, table, context.SessionTimeZone ?? TimeZoneInfo.Utc);
        try
        {
            _writer.Execute($"CREATE TABLE IF NOT EXISTS {MarkerTable} (job TEXT, sink INTEGER, epoch INTEGER, PRIMARY KEY (job, sink))");
        }
        catch (SqliteException e)
        {
            _writer.Dispose();
            throw SqliteFiles.Error(_sqlite, "create the epoch marker table next to", e);
        }
        Recover();
    }

    /// <summary>The staged rows' types: the table's stored columns.</summary>
    private static DataType[] StagedTypes(TableDef table) => [.. table.Columns.Where(c => c.IsPhysical).Select(c => c.Type.WithNullable(true))];

    /// <summary>Checks at submission and at job start that the file can be written (see <see cref="SqliteFiles.CheckWritable"/>).</summary>
    public static void Validate(TableDef table)
    {
        var sqlite = SqliteTable.From(table);
        SqliteSinkOptions.From(table);
        using var connection = SqliteFiles.OpenWritable(sqlite);
        try
        {
            SqliteFiles.CheckWritable(sqlite, connection, table);
        }
        catch (SqliteException e)
        {
            throw SqliteFiles.Error(sqlite, "check", e);
        }
    }

    protected override long LastAppliedEpoch() => WithRetries("read the epoch marker of", ReadMarker);

    protected override void Apply(long epoch, IReadOnlyList<ChangeBatch> changes) => WithRetries("write", writer =>
    {
        writer.Begin();
        try
        {
            // Recovery and the job both apply only epochs above the marker; checking it in the transaction makes that hold even if both run.
            if (ReadMarker(writer) >= epoch)
            {
                writer.Rollback();
                return 0L;
            }
            foreach (var batch in changes) writer.Apply(batch);
            using (var command = writer.Connection.CreateCommand())
            {
                command.CommandText = $"INSERT INTO {MarkerTable} (job, sink, epoch) VALUES ($job, $sink, $epoch) ON CONFLICT (job, sink) DO UPDATE SET epoch = excluded.epoch";
                command.Parameters.AddWithValue("$job", Context.JobId);
                command.Parameters.AddWithValue("$sink", Context.SinkIndex);
                command.Parameters.AddWithValue("$epoch", epoch);
                command.ExecuteNonQuery();
            }
            writer.Commit();
            return epoch;
        }
        catch
        {
            writer.Rollback();
            throw;
        }
    });

    private long ReadMarker(SqliteWriter writer)
    {
        using var command = writer.Connection.CreateCommand();
        command.CommandText = $"SELECT epoch FROM {MarkerTable} WHERE job = $job AND sink = $sink";
        command.Parameters.AddWithValue("$job", Context.JobId);
        command.Parameters.AddWithValue("$sink", Context.SinkIndex);
        return command.ExecuteScalar() is long epoch ? epoch : -1;
    }

    /// <summary>Runs <paramref name="action"/>; a busy file or an I/O error is retried on a fresh connection.</summary>
    private long WithRetries(string what, Func<SqliteWriter, long> action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                _writer ??= SqliteWriter.Open(_sqlite, _table, Context.SessionTimeZone ?? TimeZoneInfo.Utc);
                return action(_writer);
            }
            catch (Exception e) when (e is SqliteException s && SqliteFiles.IsTransient(s) || e is TarnException { SqlState: SqlStates.IoError or SqlStates.LockNotAvailable })
            {
                _writer?.Dispose();
                _writer = null;
                if (attempt >= _options.MaxRetries)
                    throw e as TarnException ?? SqliteFiles.Error(_sqlite, what + $" (after {attempt + 1} attempts)", (SqliteException)e);
                _sleep(Math.Min(1000, 100 * (attempt + 1)));
            }
            catch (SqliteException e)
            {
                throw SqliteFiles.Error(_sqlite, what, e);
            }
        }
    }

    public override void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }

    /// <summary>
    /// A batch <c>INSERT INTO t SELECT ...</c>: appends (or upserts by the primary key) every row in one transaction,
    /// or one per <c>sink.buffer-flush.max-rows</c> rows when set. Returns the number of rows written.
    /// </summary>
    public static long Write(TableDef table, IBatchOperator source, ExecutionContext context)
    {
        var sqlite = SqliteTable.From(table);
        var options = SqliteSinkOptions.From(table);
        using var writer = SqliteWriter.Open(sqlite, table, context.SessionTimeZone);
        long rows = 0, inTransaction = 0;
        try
        {
            writer.Begin();
            while (source.Next() is { } batch)
            {
                context.ThrowIfCanceled();
                for (var offset = 0; offset < batch.RowCount;)
                {
                    var take = options.MaxRows is { } max ? (int)Math.Min(batch.RowCount - offset, max - inTransaction) : batch.RowCount - offset;
                    writer.Insert(batch, offset, take);
                    offset += take;
                    rows += take;
                    inTransaction += take;
                    if (inTransaction == options.MaxRows)
                    {
                        writer.Commit();
                        writer.Begin();
                        inTransaction = 0;
                    }
                }
            }
            writer.Commit();
            return rows;
        }
        catch (SqliteException e)
        {
            writer.Rollback();
            throw SqliteFiles.Error(sqlite, "write", e);
        }
        catch
        {
            writer.Rollback();
            throw;
        }
    }
}
