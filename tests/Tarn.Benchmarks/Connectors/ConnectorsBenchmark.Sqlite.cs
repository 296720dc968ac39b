using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tarn.Benchmarks.Connectors;

/// <summary>
/// The sqlite connector against Microsoft.Data.Sqlite by hand: one prepared statement, one transaction, the file in
/// WAL mode like Tarn's sink puts it (SQLite's default synchronous=FULL on both sides).
/// </summary>
internal static partial class ConnectorsBenchmark
{
    private const string SqliteColumns = "id INTEGER, name TEXT, amount REAL, ts TEXT";

    private static Line SqliteAppend(TarnDatabase db, string root, long rows)
    {
        var file = Path.Combine(root, "append.db");
        db.Execute($"CREATE TABLE s_append ({Columns}) WITH ('connector' = 'sqlite', 'path' = '{Quote(file)}', 'sqlite.create-if-missing' = 'true')");
        var tarn = Seconds(() => db.Execute("INSERT INTO s_append SELECT * FROM src"));
        Check(SqliteCount(file, "s_append") == rows, "sqlite-append: Tarn's rows in the SQLite table");
        Console.WriteLine($"sqlite-append: Tarn's ts text {SqliteScalar(file, "SELECT ts FROM s_append WHERE id = 1")}, the baseline's {TsOf(1):yyyy-MM-dd HH:mm:ss.fff}");

        var baseFile = Path.Combine(root, "append-baseline.db");
        using var connection = OpenSqlite(baseFile);
        SqliteExec(connection, $"CREATE TABLE t ({SqliteColumns})");
        var baseline = Seconds(() => HandInsert(connection, "INSERT INTO t VALUES ($id, $name, $amount, $ts)", rows, 0));
        Check(SqliteCount(baseFile, "t") == rows, "sqlite-append: the baseline's rows");
        return new Line("sqlite-append (batch INSERT, no key)", "rows/s", rows / tarn, rows / baseline, "Microsoft.Data.Sqlite, prepared INSERT, one transaction");
    }

    private static Line SqliteUpsert(TarnDatabase db, string root, long rows)
    {
        var file = Path.Combine(root, "upsert.db");
        db.Execute($"CREATE TABLE s_upsert ({Columns}, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'sqlite', 'path' = '{Quote(file)}', 'sqlite.create-if-missing' = 'true')");
        var tarn = Seconds(() =>
        {
            db.Execute("INSERT INTO s_upsert SELECT * FROM src");
            db.Execute("INSERT INTO s_upsert SELECT id, name, amount + 1, ts FROM src");
        });
        Check(SqliteCount(file, "s_upsert") == rows, "sqlite-upsert: Tarn's rows");
        Check(SqliteScalar(file, "SELECT count(*) FROM s_upsert WHERE amount = (id % 100000) * 0.25 + 1") is long n && n == rows, "sqlite-upsert: every key updated by Tarn's second pass");

        var baseFile = Path.Combine(root, "upsert-baseline.db");
        using var connection = OpenSqlite(baseFile);
        SqliteExec(connection, $"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, amount REAL, ts TEXT)");
        const string upsert = "INSERT INTO t VALUES ($id, $name, $amount, $ts) ON CONFLICT (id) DO UPDATE SET name = excluded.name, amount = excluded.amount, ts = excluded.ts";
        var baseline = Seconds(() =>
        {
            HandInsert(connection, upsert, rows, 0);
            HandInsert(connection, upsert, rows, 1);
        });
        Check(SqliteCount(baseFile, "t") == rows, "sqlite-upsert: the baseline's rows");
        return new Line("sqlite-upsert (batch INSERT twice into a PRIMARY KEY table)", "rows/s", 2 * rows / tarn, 2 * rows / baseline, "Microsoft.Data.Sqlite, prepared INSERT ... ON CONFLICT DO UPDATE");
    }

    /// <summary>
    /// A streaming GROUP BY job into a SQLite primary-key table, timed from submit until <c>WaitForJobsAsync</c> returns
    /// (the job has processed and committed every row, so the SQLite table holds the final answer); the reference is the
    /// same query as a batch INSERT.
    /// </summary>
    private static async Task<Line> SqliteJob(TarnDatabase db, string root, long rows)
    {
        const int keys = 10_000;
        var file = Path.Combine(root, "job.db");
        db.Execute($"CREATE TABLE s_job (k BIGINT, n BIGINT, s DOUBLE, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'sqlite', 'path' = '{Quote(file)}', 'sqlite.create-if-missing' = 'true')");
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        var clock = Stopwatch.StartNew();
        var id = (string)db.Execute($"INSERT INTO s_job SELECT id % {keys}, COUNT(*), SUM(amount) FROM src GROUP BY id % {keys}").GetValue(0, 0)!;
        db.Execute("SET 'execution.runtime-mode' = 'batch'");
        await db.WaitForJobsAsync();
        var tarn = clock.Elapsed.TotalSeconds;
        Check(SqliteScalar(file, "SELECT count(*) FROM s_job") is long groups && groups == Math.Min(keys, rows), "sqlite-job: one row per key");
        Check(SqliteScalar(file, "SELECT sum(n) FROM s_job") is long total && total == rows, "sqlite-job: the counts add up to the rows");
        db.Execute($"STOP JOB '{id}'");

        var batchFile = Path.Combine(root, "job-batch.db");
        db.Execute($"CREATE TABLE s_job_batch (k BIGINT, n BIGINT, s DOUBLE, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'sqlite', 'path' = '{Quote(batchFile)}', 'sqlite.create-if-missing' = 'true')");
        var batch = Seconds(() => db.Execute($"INSERT INTO s_job_batch SELECT id % {keys}, COUNT(*), SUM(amount) FROM src GROUP BY id % {keys}"));
        Check(SqliteScalar(batchFile, "SELECT sum(n) FROM s_job_batch") is long batchTotal && batchTotal == rows, "sqlite-job: the batch reference's counts");
        return new Line("sqlite-job (streaming GROUP BY 10,000 keys -> SQLite PK table)", "rows/s", rows / tarn, rows / batch, "Tarn batch INSERT of the same query");
    }

    private static SqliteConnection OpenSqlite(string file)
    {
        var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        SqliteExec(connection, "PRAGMA journal_mode = WAL");
        return connection;
    }

    /// <summary>The rows of <c>src</c> (amount + <paramref name="amountDelta"/>) through one prepared statement in one transaction.</summary>
    private static void HandInsert(SqliteConnection connection, string sql, long rows, double amountDelta)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        var name = command.Parameters.Add("$name", SqliteType.Text);
        var amount = command.Parameters.Add("$amount", SqliteType.Real);
        var ts = command.Parameters.Add("$ts", SqliteType.Text);
        command.Prepare();
        for (long i = 0; i < rows; i++)
        {
            id.Value = i;
            name.Value = NameOf(i);
            amount.Value = AmountOf(i) + amountDelta;
            ts.Value = TsOf(i).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static long SqliteCount(string file, string table) => (long)SqliteScalar(file, $"SELECT count(*) FROM \"{table}\"")!;

    private static object? SqliteScalar(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void SqliteExec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
