using System.Diagnostics;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// Query 5 of the SQL issue: a point lookup by primary key on the 100,000-row users table, Tarn (a primary-key table:
/// the key's bucket, then row-group statistics) against SQLite (a B-tree rowid lookup) and DuckDB, each through its
/// ADO.NET-style API with a parameter, in one run, each after 100 warm-up lookups. Reports the mean latency per lookup
/// (and the process CPU time per lookup, which a busy machine disturbs less).
/// </summary>
internal static class PointLookupBenchmark
{
    private const int Lookups = 2_000;

    public static (double Tarn, double Sqlite, double Duck) Run(string root)
    {
        var ids = new long[Lookups];
        var random = new Random(7);
        for (var i = 0; i < ids.Length; i++) ids[i] = random.Next(UsersData.Count);
        return (RunTarn(Path.Combine(root, "pk-tarn"), ids), RunSqlite(Path.Combine(root, "pk.sqlite"), ids), RunDuck(Path.Combine(root, "pk.duckdb"), ids));
    }

    private static double RunTarn(string path, long[] ids)
    {
        using var db = TarnDatabase.Open(path);
        db.Execute("CREATE TABLE users (id BIGINT, name STRING, age INT, country STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '16')");
        using (var appender = db.CreateAppender("users"))
        {
            for (var i = 0; i < UsersData.Count; i++)
            {
                UsersData.Row(i, out var name, out var age, out var country);
                appender.Append((long)i).Append(name).Append(age).Append(country);
                appender.EndRow();
            }
        }
        db.Checkpoint();
        var session = db.CreateSession();
        return TimeLookups("tarn", ids, id => Convert.ToInt64(session.ExecuteAsync("SELECT age FROM users WHERE id = ?", id).GetAwaiter().GetResult().Rows.First()[0]));
    }

    /// <summary>
    /// Runs <paramref name="lookup"/> for the first 100 ids as a warm-up, then times it over all of them; prints the
    /// wall and CPU time per lookup with a checksum of the answers, and returns the wall time in microseconds.
    /// </summary>
    private static double TimeLookups(string engine, long[] ids, Func<long, long> lookup)
    {
        foreach (var id in ids.AsSpan(0, 100)) _ = lookup(id);
        long check = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        foreach (var id in ids) check += lookup(id);
        var micros = sw.Elapsed.TotalMilliseconds * 1000 / ids.Length;
        Console.WriteLine($"{engine} point lookups: {micros:F1} µs each, {CpuMicros(cpu, ids.Length):F1} µs CPU (checksum {check})");
        return micros;
    }

    /// <summary>Process CPU time per lookup since <paramref name="start"/>: steadier than wall time on a busy machine.</summary>
    private static double CpuMicros(TimeSpan start, int lookups) =>
        (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds * 1000 / lookups;

    private static double RunSqlite(string path, long[] ids)
    {
        using var conn = new SqliteConnection($"Data Source={path}");
        conn.Open();
        using (var create = conn.CreateCommand())
        {
            create.CommandText = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INTEGER, country TEXT)";
            create.ExecuteNonQuery();
        }
        using (var tx = conn.BeginTransaction())
        using (var insert = conn.CreateCommand())
        {
            insert.CommandText = "INSERT INTO users VALUES ($id, $name, $age, $country)";
            var pid = insert.Parameters.Add("$id", SqliteType.Integer);
            var pname = insert.Parameters.Add("$name", SqliteType.Text);
            var page = insert.Parameters.Add("$age", SqliteType.Integer);
            var pcountry = insert.Parameters.Add("$country", SqliteType.Text);
            for (var i = 0; i < UsersData.Count; i++)
            {
                UsersData.Row(i, out var name, out var age, out var country);
                pid.Value = (long)i;
                pname.Value = name;
                page.Value = age;
                pcountry.Value = country;
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        using var query = conn.CreateCommand();
        query.CommandText = "SELECT age FROM users WHERE id = $id";
        var p = query.Parameters.Add("$id", SqliteType.Integer);
        return TimeLookups("sqlite", ids, id =>
        {
            p.Value = id;
            return Convert.ToInt64(query.ExecuteScalar());
        });
    }

    private static double RunDuck(string path, long[] ids)
    {
        using var conn = new DuckDBConnection($"Data Source={path}");
        conn.Open();
        using (var create = conn.CreateCommand())
        {
            create.CommandText = "CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR, age INTEGER, country VARCHAR)";
            create.ExecuteNonQuery();
        }
        using (var appender = conn.CreateAppender("users"))
        {
            for (var i = 0; i < UsersData.Count; i++)
            {
                UsersData.Row(i, out var name, out var age, out var country);
                appender.CreateRow().AppendValue((long)i).AppendValue(name).AppendValue(age).AppendValue(country).EndRow();
            }
        }
        using var query = conn.CreateCommand();
        query.CommandText = "SELECT age FROM users WHERE id = $id";
        var p = new DuckDBParameter("id", 0L);
        query.Parameters.Add(p);
        return TimeLookups("duckdb", ids, id =>
        {
            p.Value = id;
            return Convert.ToInt64(query.ExecuteScalar());
        });
    }
}
