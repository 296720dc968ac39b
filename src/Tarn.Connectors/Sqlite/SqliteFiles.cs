using Microsoft.Data.Sqlite;
using Tarn.Catalog.Model;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// Opening a SQLite file for writing, checking that a table can take a sink's rows, creating a missing file and table
/// (<c>'sqlite.create-if-missing'</c>), and turning SQLite's errors into SQLSTATEs.
/// </summary>
internal static class SqliteFiles
{
    /// <summary>How long a writer waits for another connection's lock before SQLITE_BUSY.</summary>
    private const int BusyTimeoutMilliseconds = 10_000;

    private static string WritableConnectionString(SqliteTable sqlite, bool create) => new SqliteConnectionStringBuilder
    {
        DataSource = sqlite.FilePath,
        Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
        Pooling = false, // a sink holds its connection for the job's life; closing it must release the file
        DefaultTimeout = BusyTimeoutMilliseconds / 1000,
    }.ToString();

    /// <summary>
    /// Opens the file read-write with a busy timeout and, when it is in SQLite's default rollback-journal mode
    /// (<c>delete</c>), switches it to WAL so that readers (lookup joins, batch queries) never wait for a writer.
    /// A file the user put in another mode (truncate, persist, wal...) keeps it.
    /// </summary>
    public static SqliteConnection OpenWritable(SqliteTable sqlite, bool create = false)
    {
        if (!create && !File.Exists(sqlite.FilePath))
            throw new TarnException(SqlStates.IoError,
                $"the SQLite database file '{sqlite.FilePath}' of table '{sqlite.TableName}' does not exist (set '{SqliteSinkOptions.CreateIfMissingKey}' = 'true' to create it)")
            { FilePath = sqlite.FilePath };
        var connection = new SqliteConnection(WritableConnectionString(sqlite, create));
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
                throw new TarnException(SqlStates.ReadOnlyTransaction,
                    $"the SQLite database file '{sqlite.FilePath}' of table '{sqlite.TableName}' is read-only") { FilePath = sqlite.FilePath };
            if (string.Equals(Scalar(connection, "PRAGMA journal_mode") as string, "delete", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    Execute(connection, "PRAGMA journal_mode = WAL");
                }
                catch (SqliteException)
                {
                    // another connection holds the file: keep the rollback journal (readers then wait out the busy timeout)
                }
            }
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Error(sqlite, "open", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks that the file holds the table and every stored column (42P01, 42703, as for reads), and that every
    /// SQLite column the Tarn table does not write can be left out (NOT NULL without a default: 23502).
    /// </summary>
    public static void CheckWritable(SqliteTable sqlite, SqliteConnection connection, TableDef table)
    {
        sqlite.Check(connection, table);
        var written = new HashSet<string>(table.Columns.Where(c => c.IsPhysical).Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, \"notnull\", dflt_value, pk, type FROM pragma_table_info($t)";
        command.Parameters.AddWithValue("$t", sqlite.SqliteTableName);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if (written.Contains(name) || reader.GetInt64(1) == 0 || !reader.IsDBNull(2)) continue;
            // INTEGER PRIMARY KEY is the rowid: SQLite assigns it
            if (reader.GetInt64(3) > 0 && string.Equals(reader.IsDBNull(4) ? "" : reader.GetString(4), "INTEGER", StringComparison.OrdinalIgnoreCase)) continue;
            throw new TarnException(SqlStates.NotNullViolation,
                $"the SQLite table '{sqlite.SqliteTableName}' in '{sqlite.FilePath}' has a NOT NULL column '{name}' without a default that table '{sqlite.TableName}' does not declare, so its rows cannot be written")
            { FilePath = sqlite.FilePath };
        }
    }

    /// <summary>Creates the database file (and its directory) and the table when missing ('sqlite.create-if-missing').</summary>
    public static void CreateIfMissing(SqliteTable sqlite, TableDef table)
    {
        var directory = Path.GetDirectoryName(sqlite.FilePath);
        try
        {
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TarnException(SqlStates.IoError, $"cannot create the directory of SQLite database '{sqlite.FilePath}' (table '{sqlite.TableName}'): {e.Message}", e) { FilePath = sqlite.FilePath };
        }
        using var connection = OpenWritable(sqlite, create: true);
        try
        {
            Execute(connection, SqliteWriter.CreateTableSql(sqlite, table));
        }
        catch (SqliteException e)
        {
            throw Error(sqlite, "create the table in", e);
        }
    }

    /// <summary>A SQLite error as a TarnException: constraint violations as 23xxx, a busy file as 55P03, the rest as 58030.</summary>
    public static TarnException Error(SqliteTable sqlite, string action, SqliteException e)
    {
        var state = e.SqliteErrorCode switch
        {
            19 => e.SqliteExtendedErrorCode switch
            {
                1299 => SqlStates.NotNullViolation, // SQLITE_CONSTRAINT_NOTNULL
                1555 or 2067 => SqlStates.UniqueViolation, // PRIMARYKEY, UNIQUE
                275 => "23514", // CHECK
                787 => "23503", // FOREIGNKEY
                _ => "23000",
            },
            5 or 6 => SqlStates.LockNotAvailable,
            8 => SqlStates.ReadOnlyTransaction,
            13 => SqlStates.DiskFull,
            _ => SqlStates.IoError,
        };
        return new TarnException(state, $"cannot {action} the SQLite table '{sqlite.SqliteTableName}' of '{sqlite.FilePath}' (table '{sqlite.TableName}'): {e.Message}", e)
        { FilePath = sqlite.FilePath };
    }

    /// <summary>Whether a failed transaction may succeed when tried again: a busy or locked file, an I/O error.</summary>
    public static bool IsTransient(SqliteException e) => e.SqliteErrorCode is 5 or 6 or 10 or 14 or 15;

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
