using Microsoft.Data.Sqlite;
using Tarn.Catalog.Model;
using Tarn.Execution;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// Reads a SQLite table in a batch query: only the columns the query uses (projection pushdown), and only the rows
/// that pass the filter conjuncts SQLite can evaluate (<see cref="SqliteFilter"/>; the caller keeps its filter).
/// </summary>
internal sealed class SqliteScanOperator : IBatchOperator
{
    private readonly SqliteTable _sqlite;
    private readonly TableDef _table;
    private readonly IReadOnlyList<string> _names;
    private readonly BoundExpression? _filter;
    private readonly ExecutionContext _context;
    private SqliteConnection? _connection;
    private SqliteCommand? _command;
    private SqliteDataReader? _reader;
    private SqliteBatchReader? _batches;
    private bool _done;

    public SqliteScanOperator(SqliteTable sqlite, TableDef table, IReadOnlyList<string> names, IReadOnlyList<DataType> types,
        BoundExpression? filter, ExecutionContext context)
    {
        _sqlite = sqlite;
        _table = table;
        _names = names;
        _filter = filter;
        _context = context;
        OutputTypes = types;
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    /// <summary>The query sent to SQLite (set when the first batch is read; for tests).</summary>
    public string? Sql { get; private set; }

    public ColumnBatch? Next()
    {
        if (_done) return null;
        _context.ThrowIfCanceled();
        try
        {
            if (_reader is null) Start();
            var batch = _batches!.Read(_reader!, _context.BatchSize);
            if (batch is null)
            {
                _done = true;
                Dispose();
            }
            return batch;
        }
        catch (SqliteException e)
        {
            throw new TarnException(SqlStates.IoError, $"reading SQLite table '{_sqlite.SqliteTableName}' of '{_sqlite.FilePath}' (table '{_sqlite.TableName}') failed: {e.Message}", e)
            {
                FilePath = _sqlite.FilePath,
            };
        }
    }

    private void Start()
    {
        _connection = _sqlite.Open();
        var affinities = _sqlite.Check(_connection, _table);
        _command = _connection.CreateCommand();
        var sql = SqliteBatchReader.Select(_names, _sqlite.QuotedName);
        if (_filter is not null && SqliteFilter.Translate(_filter, _names, OutputTypes, affinities) is { } where)
        {
            sql += " WHERE " + where.Sql;
            for (var i = 0; i < where.Parameters.Count; i++)
                _command.Parameters.AddWithValue("$f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), where.Parameters[i]);
        }
        Sql = sql;
        _command.CommandText = sql;
        _reader = _command.ExecuteReader();
        _batches = new SqliteBatchReader(_names, OutputTypes, _sqlite.TableName, _context.SessionTimeZone, _context.BatchSize);
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _command?.Dispose();
        _connection?.Dispose();
        _reader = null;
        _command = null;
        _connection = null;
    }
}
