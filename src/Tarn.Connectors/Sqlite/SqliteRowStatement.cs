using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// A prepared statement on the writer's connection, bound and stepped through SQLite's C API directly: the sink runs
/// one per row, and going through <see cref="SqliteCommand"/> costs a boxed value, a string per text value and a
/// parameter lookup by name per row. Errors surface as <see cref="SqliteException"/>, as the command's would.
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    private SqliteRowStatement(sqlite3 db, sqlite3_stmt statement, int[] columns, int[] indexes)
    {
        _db = db;
        _statement = statement;
        Columns = columns;
        Indexes = indexes;
    }

    /// <summary>The row columns the parameters take, in parameter order.</summary>
    public int[] Columns { get; }

    /// <summary>SQLite's index of each parameter (of <see cref="Columns"/>' order).</summary>
    public int[] Indexes { get; }

    public sqlite3_stmt Handle => _statement;

    /// <summary>Prepares <paramref name="sql"/>, whose parameters are named <paramref name="names"/>.</summary>
    public static SqliteRowStatement Prepare(SqliteConnection connection, string sql, int[] columns, string[] names)
    {
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (rc != raw.SQLITE_OK || statement is null)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
            throw new InvalidOperationException("SQLite prepared no statement for: " + sql);
        }
        var indexes = new int[columns.Length];
        for (var i = 0; i < columns.Length; i++) indexes[i] = raw.sqlite3_bind_parameter_index(statement, names[i]);
        return new SqliteRowStatement(db, statement, columns, indexes);
    }

    /// <summary>Runs the bound statement; true when it produced a row (a probe found one).</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        try
        {
            if (rc == raw.SQLITE_ROW) return true;
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
            return false;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Rows the last INSERT, UPDATE or DELETE on the connection changed.</summary>
    public int Changes => raw.sqlite3_changes(_db);

    public void Dispose() => _statement.Dispose();
}
