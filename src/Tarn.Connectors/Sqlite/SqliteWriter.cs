using System.Text;
using Microsoft.Data.Sqlite;
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
    private enum Bind : byte { Bool, Integer, Float32, Float64, String, Bytes, Text }

    private static readonly object One = 1L;
    private static readonly object Zero = 0L;

    private readonly SqliteTable _sqlite;
    private readonly Bind[] _binds;
    private readonly int[] _key;
    private readonly TimeZoneInfo _zone;
    private readonly object[] _row;
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
        _row = new object[physical.Count];
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
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        var parameters = new SqliteParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++) parameters[i] = command.Parameters.Add(new SqliteParameter(Parameter(columns[i]), DBNull.Value));
        try
        {
            command.Prepare();
        }
        catch
        {
            command.Dispose();
            throw;
        }
        return new Statement(command, parameters, columns);
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
        Load(rows, r);
        var update = _update!;
        update.Bind(_row);
        var found = _updateProbes ? update.Command.ExecuteScalar() is not null : update.Command.ExecuteNonQuery() > 0;
        if (found) return;
        _insert.Bind(_row);
        _insert.Command.ExecuteNonQuery();
    }

    private void Run(Statement statement, ColumnBatch rows, int r)
    {
        Load(rows, r);
        statement.Bind(_row);
        statement.Command.ExecuteNonQuery();
    }

    /// <summary>Converts row <paramref name="r"/> into SQLite values in <see cref="_row"/>.</summary>
    private void Load(ColumnBatch rows, int r)
    {
        for (var c = 0; c < _row.Length; c++)
        {
            var v = rows.Columns[c];
            if (v.IsNull(r))
            {
                _row[c] = DBNull.Value;
                continue;
            }
            _row[c] = _binds[c] switch
            {
                Bind.Bool => ((PrimitiveVector<bool>)v).Values[r] ? One : Zero,
                Bind.Integer => v switch
                {
                    PrimitiveVector<long> l => l.Values[r],
                    PrimitiveVector<int> i => (long)i.Values[r],
                    PrimitiveVector<short> s => (long)s.Values[r],
                    PrimitiveVector<sbyte> b => (long)b.Values[r],
                    _ => throw Unexpected(v),
                },
                Bind.Float32 => (double)((PrimitiveVector<float>)v).Values[r],
                Bind.Float64 => ((PrimitiveVector<double>)v).Values[r],
                Bind.String => Encoding.UTF8.GetString(EncodedValues.Bytes(v, r)),
                Bind.Bytes => EncodedValues.Bytes(v, r).ToArray(),
                _ => ValueFormatter.Format(v, r, _zone) ?? (object)DBNull.Value,
            };
        }
    }

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
        _ => Bind.Text,
    };

    /// <summary>The SQLite column type CREATE TABLE gives a Tarn type ('sqlite.create-if-missing'): its storage class as written.</summary>
    public static string SqliteTypeOf(DataType type) => BindOf(type) switch
    {
        Bind.Bool or Bind.Integer => "INTEGER",
        Bind.Float32 or Bind.Float64 => "REAL",
        Bind.Bytes => "BLOB",
        _ => "TEXT", // DECIMAL stays TEXT: a NUMERIC column would turn '12345678901234567890.5' into an inexact REAL
    };

    public void Dispose()
    {
        Rollback();
        _insert.Command.Dispose();
        _upsert?.Command.Dispose();
        _update?.Command.Dispose();
        _delete?.Command.Dispose();
        Connection.Dispose();
    }

    /// <summary>A prepared command and the row columns its parameters take.</summary>
    private sealed record Statement(SqliteCommand Command, SqliteParameter[] Parameters, int[] Columns)
    {
        public void Bind(object[] row)
        {
            for (var i = 0; i < Parameters.Length; i++) Parameters[i].Value = row[Columns[i]];
        }
    }

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
