using System.Text;
using System.Text.Unicode;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Tarn.Catalog.Model;
using Tarn.Connectors.Formats;
using Tarn.Execution.Formatting;
using Tarn.Execution.Streaming;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// Writes changes into a SQLite table over one read-write connection with prepared statements reused for every row.
/// With a primary key, +I/+U upsert (<c>INSERT ... ON CONFLICT (key) DO UPDATE</c> when the SQLite table has a unique
/// index or primary key on exactly those columns, otherwise <c>UPDATE</c> and, when no row changed, <c>INSERT</c>),
/// -D deletes by key and -U is ignored (Flink's upsert sink: the +U that follows replaces the row). Without a primary
/// key every row is appended. Values are written as the connector's README documents (the inverse of the read mapping):
/// integers and booleans as INTEGER, floating point as REAL, strings as TEXT, binary as BLOB, and DECIMAL, DATE, TIME,
/// TIMESTAMP as TEXT in the forms the reader parses (<c>'12.50'</c>, <c>'2024-05-01'</c>, <c>'2024-05-01 12:30:00'</c>).
/// Transactions are the caller's (<see cref="Begin"/>, <see cref="Commit"/>, <see cref="Rollback"/>).
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private enum Bind : byte { Bool, Integer, Float32, Float64, String, Bytes, Timestamp, Text }

    private readonly SqliteTable _sqlite;
    private readonly Bind[] _binds;
    private readonly int[] _key;
    private readonly TimeZoneInfo _zone;
    private readonly DataType[] _types;
    private readonly byte[] _text = new byte[SqliteTimestampText.MaxLength];
    private readonly Statement _insert;
    private readonly Statement? _upsert;
    private readonly Statement? _update;
    private readonly bool _updateProbes; // every column is a key column: the "update" only checks that the row exists
    private readonly Statement? _delete;
    private bool _inTransaction;

    private SqliteWriter(SqliteTable sqlite, TableDef table, SqliteConnection connection, TimeZoneInfo zone)
    {
        _sqlite = sqlite;
        Connection = connection;
        _zone = zone;
        var physical = table.Columns.Where(c => c.IsPhysical).ToList();
        var names = physical.Select(c => SqliteTable.Quote(c.Name)).ToArray();
        _binds = [.. physical.Select(c => BindOf(c.Type))];
        _types = [.. physical.Select(c => c.Type)];
        _key = [.. table.PrimaryKey.Select(k => physical.FindIndex(c => string.Equals(c.Name, k, StringComparison.OrdinalIgnoreCase)))];
        if (Array.IndexOf(_key, -1) >= 0)
            throw new TarnException(SqlStates.UndefinedColumn, $"the primary key of table '{table.Name}' names a column that is not stored");
        var all = Enumerable.Range(0, physical.Count).ToArray();
        var insert = $"INSERT INTO {sqlite.QuotedName} ({string.Join(", ", names)}) VALUES ({string.Join(", ", all.Select(Parameter))})";
        _insert = Prepare(insert, all);
        if (_key.Length == 0) return;
        var values = all.Where(i => Array.IndexOf(_key, i) < 0).ToArray();
        var where = string.Join(" AND ", _key.Select(k => $"{names[k]} = {Parameter(k)}"));
        _delete = Prepare($"DELETE FROM {sqlite.QuotedName} WHERE {where}", _key);
        if (HasUniqueIndexOn([.. _key.Select(k => physical[k].Name)]))
        {
            var action = values.Length == 0 ? "NOTHING" : "UPDATE SET " + string.Join(", ", values.Select(v => $"{names[v]} = excluded.{names[v]}"));
            try
            {
                _upsert = Prepare($"{insert} ON CONFLICT ({string.Join(", ", _key.Select(k => names[k]))}) DO {action}", all);
                return;
            }
            catch (SqliteException)
            {
                // The index does not qualify as a conflict target (a collation, an old SQLite): update, then insert.
            }
        }
        _updateProbes = values.Length == 0;
        _update = _updateProbes
            ? Prepare($"SELECT 1 FROM {sqlite.QuotedName} WHERE {where} LIMIT 1", _key)
            : Prepare($"UPDATE {sqlite.QuotedName} SET {string.Join(", ", values.Select(v => $"{names[v]} = {Parameter(v)}"))} WHERE {where}", [.. values, .. _key]);
    }

    public SqliteConnection Connection { get; }

    /// <summary>Whether rows are upserted by a primary key (otherwise appended).</summary>
    public bool Keyed => _key.Length > 0;

    /// <summary>True when upserts use <c>ON CONFLICT</c> (the SQLite table has a unique index on the key).</summary>
    public bool UsesOnConflict => _upsert is not null;

    /// <summary>Opens the table's file for writing and checks the table, its columns and that they can take the rows.</summary>
    public static SqliteWriter Open(SqliteTable sqlite, TableDef table, TimeZoneInfo zone)
    {
        var connection = SqliteFiles.OpenWritable(sqlite);
        try
        {
            SqliteFiles.CheckWritable(sqlite, connection, table);
            return new SqliteWriter(sqlite, table, connection, zone);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw SqliteFiles.Error(sqlite, "prepare writes to", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string Parameter(int column) => "$p" + column.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Statement Prepare(string sql, int[] columns)
    {
        var names = new string[columns.Length];
        for (var i = 0; i < columns.Length; i++) names[i] = Parameter(columns[i]);
        return new Statement(SqliteRowStatement.Prepare(Connection, sql, columns, names));
    }

    /// <summary>Whether the SQLite table's primary key or a unique, non-partial index covers exactly <paramref name="key"/>.</summary>
    private bool HasUniqueIndexOn(string[] key)
    {
        var wanted = new HashSet<string>(key, StringComparer.OrdinalIgnoreCase);
        var pk = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var command = Connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM pragma_table_info($t) WHERE pk > 0";
            command.Parameters.AddWithValue("$t", _sqlite.SqliteTableName);
            using var reader = command.ExecuteReader();
            while (reader.Read()) pk.Add(reader.GetString(0));
        }
        if (pk.SetEquals(wanted)) return true;
        var indexes = new List<string>();
        using (var command = Connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM pragma_index_list($t) WHERE \"unique\" = 1 AND partial = 0";
            command.Parameters.AddWithValue("$t", _sqlite.SqliteTableName);
            using var reader = command.ExecuteReader();
            while (reader.Read()) indexes.Add(reader.GetString(0));
        }
        foreach (var index in indexes)
        {
            var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var expression = false;
            using var command = Connection.CreateCommand();
            command.CommandText = "SELECT name FROM pragma_index_info($i)";
            command.Parameters.AddWithValue("$i", index);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                if (reader.IsDBNull(0)) expression = true;
                else columns.Add(reader.GetString(0));
            if (!expression && columns.SetEquals(wanted)) return true;
        }
        return false;
    }

    public void Begin()
    {
        Execute("BEGIN IMMEDIATE");
        _inTransaction = true;
    }

    public void Commit()
    {
        Execute("COMMIT");
        _inTransaction = false;
    }

    /// <summary>Rolls back the open transaction, if any; never throws (the connection may be broken).</summary>
    public void Rollback()
    {
        if (!_inTransaction) return;
        _inTransaction = false;
        try
        {
            Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite rolled back already (an I/O error, a full disk) or the connection is gone.
        }
    }

    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Applies every change of <paramref name="batch"/> in order (inside the caller's transaction).</summary>
    public void Apply(ChangeBatch batch)
    {
        var rows = batch.Rows;
        if (_key.Length == 0)
        {
            for (var r = 0; r < batch.RowCount; r++)
            {
                var kind = batch.KindOf(r);
                if (kind is RowKind.Insert or RowKind.UpdateAfter) Run(_insert, rows, r);
                else
                    throw new TarnException(SqlStates.FeatureNotSupported,
                        $"SQLite table '{_sqlite.TableName}' has no primary key, so it cannot take update or delete changes; declare PRIMARY KEY (...) NOT ENFORCED");
            }
            return;
        }
        for (var r = 0; r < batch.RowCount; r++)
        {
            switch (batch.KindOf(r))
            {
                case RowKind.Insert or RowKind.UpdateAfter:
                    Upsert(rows, r);
                    break;
                case RowKind.Delete:
                    Run(_delete!, rows, r);
                    break;
                default:
                    break; // -U: the +U that follows replaces the row
            }
        }
    }

    /// <summary>Appends (without a key) or upserts (with one) <paramref name="count"/> rows from <paramref name="start"/>: a batch INSERT.</summary>
    public void Insert(ColumnBatch rows, int start, int count)
    {
        for (var r = start; r < start + count; r++)
            if (_key.Length == 0) Run(_insert, rows, r);
            else Upsert(rows, r);
    }

    private void Upsert(ColumnBatch rows, int r)
    {
        if (_upsert is not null)
        {
            Run(_upsert, rows, r);
            return;
        }
        var update = _update!.Row;
        BindRow(update, rows, r);
        var found = update.Step() ? _updateProbes : !_updateProbes && update.Changes > 0;
        if (found) return;
        Run(_insert, rows, r);
    }

    private void Run(Statement statement, ColumnBatch rows, int r)
    {
        BindRow(statement.Row, rows, r);
        statement.Row.Step();
    }

    /// <summary>Binds row <paramref name="r"/>'s values to <paramref name="statement"/>'s parameters, typed, straight from the vectors.</summary>
    private void BindRow(SqliteRowStatement statement, ColumnBatch rows, int r)
    {
        var columns = statement.Columns;
        var indexes = statement.Indexes;
        var handle = statement.Handle;
        for (var i = 0; i < columns.Length; i++)
        {
            var c = columns[i];
            var rc = BindValue(handle, indexes[i], rows.Columns[c], c, r);
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, Connection.Handle);
        }
    }

    private int BindValue(sqlite3_stmt handle, int index, ColumnVector v, int c, int r)
    {
        if (v.IsNull(r)) return raw.sqlite3_bind_null(handle, index);
        switch (_binds[c])
        {
            case Bind.Bool:
                return raw.sqlite3_bind_int64(handle, index, ((PrimitiveVector<bool>)v).Values[r] ? 1L : 0L);
            case Bind.Integer:
                return raw.sqlite3_bind_int64(handle, index, v switch
                {
                    PrimitiveVector<long> l => l.Values[r],
                    PrimitiveVector<int> i => i.Values[r],
                    PrimitiveVector<short> s => s.Values[r],
                    PrimitiveVector<sbyte> b => b.Values[r],
                    _ => throw Unexpected(v),
                });
            case Bind.Float32:
                return BindDouble(handle, index, ((PrimitiveVector<float>)v).Values[r]);
            case Bind.Float64:
                return BindDouble(handle, index, ((PrimitiveVector<double>)v).Values[r]);
            case Bind.String:
                return BindText(handle, index, EncodedValues.Bytes(v, r));
            case Bind.Bytes:
                var bytes = EncodedValues.Bytes(v, r);
                // An empty span has no address, which SQLite would take for NULL: an empty blob is a zero-length zeroblob.
                return bytes.IsEmpty ? raw.sqlite3_bind_zeroblob(handle, index, 0) : raw.sqlite3_bind_blob(handle, index, bytes);
            case Bind.Timestamp:
                var length = v is PrimitiveVector<long> timestamps ? SqliteTimestampText.TryFormat(timestamps.Values[r], _types[c], _text) : -1;
                if (length > 0) return raw.sqlite3_bind_text(handle, index, _text.AsSpan(0, length));
                goto default;
            default:
                return ValueFormatter.Format(v, r, _zone) is { } text ? raw.sqlite3_bind_text(handle, index, text) : raw.sqlite3_bind_null(handle, index);
        }
    }

    /// <summary>As Microsoft.Data.Sqlite binds a double: NaN cannot be stored.</summary>
    private static int BindDouble(sqlite3_stmt handle, int index, double value) =>
        double.IsNaN(value) ? throw new InvalidOperationException("NaN values cannot be stored.") : raw.sqlite3_bind_double(handle, index, value);

    /// <summary>
    /// Binds UTF-8 text as it is (a dictionary's entries are bound straight from the dictionary). Invalid UTF-8 and
    /// the empty string (an empty span has no address, which SQLite would take for NULL) go through a string, as before.
    /// </summary>
    private static int BindText(sqlite3_stmt handle, int index, ReadOnlySpan<byte> utf8) =>
        !utf8.IsEmpty && Utf8.IsValid(utf8)
            ? raw.sqlite3_bind_text(handle, index, utf8)
            : raw.sqlite3_bind_text(handle, index, Encoding.UTF8.GetString(utf8));

    private static Exception Unexpected(ColumnVector v) =>
        new TarnException(SqlStates.InternalError, $"a SQLite sink received a {v.GetType().Name} for an integer column");

    private static Bind BindOf(DataType type) => type.Kind switch
    {
        TypeKind.Boolean => Bind.Bool,
        TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt => Bind.Integer,
        TypeKind.Float => Bind.Float32,
        TypeKind.Double => Bind.Float64,
        TypeKind.Char or TypeKind.Varchar => Bind.String,
        TypeKind.Binary or TypeKind.Varbinary => Bind.Bytes,
        TypeKind.Timestamp => Bind.Timestamp,
        _ => Bind.Text,
    };

    /// <summary>The SQLite column type CREATE TABLE gives a Tarn type ('sqlite.create-if-missing'): its storage class as written.</summary>
    public static string SqliteTypeOf(DataType type) => BindOf(type) switch
    {
        Bind.Bool or Bind.Integer => "INTEGER",
        Bind.Float32 or Bind.Float64 => "REAL",
        Bind.Bytes => "BLOB",
        Bind.Timestamp => "TEXT",
        _ => "TEXT", // DECIMAL stays TEXT: a NUMERIC column would turn '12345678901234567890.5' into an inexact REAL
    };

    public void Dispose()
    {
        Rollback();
        _insert.Row.Dispose();
        _upsert?.Row.Dispose();
        _update?.Row.Dispose();
        _delete?.Row.Dispose();
        Connection.Dispose();
    }

    /// <summary>A prepared statement and the row columns its parameters take.</summary>
    private sealed record Statement(SqliteRowStatement Row);

    /// <summary>The CREATE TABLE statement of <paramref name="table"/> in SQLite (mapped types, NOT NULL, PRIMARY KEY).</summary>
    public static string CreateTableSql(SqliteTable sqlite, TableDef table)
    {
        var sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").Append(sqlite.QuotedName).Append(" (");
        var first = true;
        foreach (var column in table.Columns)
        {
            if (!column.IsPhysical) continue;
            if (!first) sql.Append(", ");
            first = false;
            sql.Append(SqliteTable.Quote(column.Name)).Append(' ').Append(SqliteTypeOf(column.Type));
            if (!column.Type.Nullable) sql.Append(" NOT NULL");
        }
        if (table.PrimaryKey.Count > 0)
            sql.Append(", PRIMARY KEY (").Append(string.Join(", ", table.PrimaryKey.Select(SqliteTable.Quote))).Append(')');
        return sql.Append(')').ToString();
    }
}
