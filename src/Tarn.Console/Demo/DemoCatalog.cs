namespace Tarn.Console.Demo;

/// <summary>
/// The demo's own corner of the database: the catalog <c>my_hive</c> (named by the article) with a marker table
/// listing the demo's streaming jobs, and its SQLite file. Every run stops the previous run's jobs and drops both, so
/// reruns start fresh; a <c>my_hive</c> catalog without the marker belongs to the user and is left alone.
/// </summary>
internal static class DemoCatalog
{
    public const string Catalog = "my_hive";

    /// <summary>The marker: one row per streaming job the demo submitted.</summary>
    public const string JobsTable = "my_hive.default_database.tarn_demo_jobs";

    /// <summary>The SQLite file beside the database directory: <c>/data/tarn/default</c> → <c>/data/tarn/default-article.db</c>.</summary>
    public static string SqlitePathFor(string databaseDirectory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(databaseDirectory));
        return Path.Combine(Path.GetDirectoryName(full) ?? full, Path.GetFileName(full) + "-article.db");
    }

    /// <summary>
    /// Where the demo goes when the default database has a <c>my_hive</c> of the user's (say from
    /// examples/quickstart.sql): a database <c>demo</c> beside it.
    /// </summary>
    public static string FallbackPathFor(string databaseDirectory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(databaseDirectory));
        return Path.Combine(Path.GetDirectoryName(full) ?? full, "demo");
    }

    /// <summary>True when the database has a catalog my_hive that the demo did not create.</summary>
    public static async Task<bool> IsForeignAsync(TarnSession session)
    {
        if (!await CatalogExistsAsync(session)) return false;
        try
        {
            await session.ExecuteAsync($"SELECT count(*) FROM {JobsTable}");
            return false;
        }
        catch (TarnException)
        {
            return true;
        }
    }

    /// <summary>Removes what an earlier run left; false (after saying why) when my_hive is not the demo's.</summary>
    public static async Task<bool> ResetAsync(TarnDatabase db, TarnSession session, string sqlitePath, DemoNarrator say)
    {
        if (await CatalogExistsAsync(session))
        {
            if (await IsForeignAsync(session))
            {
                say.Error($"""
                    tarn demo: the database {db.Path} already has a catalog '{Catalog}' that the demo did not create.
                    The demo leaves it alone; run it on another database directory: tarn demo DB_DIR
                    """);
                return false;
            }
            List<string> jobs = [.. (await session.ExecuteAsync($"SELECT job_id FROM {JobsTable}")).Rows.Select(r => (string)r[0]!)];
            foreach (var id in jobs)
            {
                try
                {
                    await session.ExecuteAsync($"STOP JOB '{id}'");
                }
                catch (TarnException)
                {
                    // Gone already: nothing to stop.
                }
            }
            await session.ExecuteAsync("USE CATALOG default_catalog");
            foreach (var row in (await session.ExecuteAsync($"SHOW DATABASES IN {Catalog}")).Rows)
                await session.ExecuteAsync($"DROP DATABASE {Catalog}.`{row[0]}` CASCADE");
            await session.ExecuteAsync($"DROP CATALOG {Catalog}");
            say.Line($"(removed the previous run's catalog {Catalog} and stopped its {jobs.Count} streaming jobs)");
        }
        // Pooled reader connections would keep reading the deleted file (same process: tests, or a host app).
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-journal", "-wal", "-shm" }) File.Delete(sqlitePath + suffix);
        return true;
    }

    /// <summary>Creates the marker; call right after the scripts created the catalog.</summary>
    public static Task CreateMarkerAsync(TarnSession session) =>
        session.ExecuteAsync($"CREATE TABLE {JobsTable} (job_id STRING)");

    public static Task RecordJobAsync(TarnSession session, string jobId) =>
        session.ExecuteAsync($"INSERT INTO {JobsTable} VALUES ('{jobId}')");

    private static async Task<bool> CatalogExistsAsync(TarnSession session)
    {
        foreach (var row in (await session.ExecuteAsync("SHOW CATALOGS")).Rows)
            if (string.Equals((string?)row[0], Catalog, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
