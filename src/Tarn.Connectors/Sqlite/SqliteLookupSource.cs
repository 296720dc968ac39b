using System.Text;
using Microsoft.Data.Sqlite;
using Tarn.Catalog.Model;
using Tarn.Execution.Lookup;
using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// A SQLite table as the dimension of a lookup join: each batch of distinct keys becomes one query per chunk,
/// <c>SELECT ... WHERE k IN (?, ?, ...)</c> (or <c>(k1 = ? AND k2 = ?) OR ...</c> for composite keys), and the rows
/// that come back are matched to the keys by their Tarn values. Each query uses a pooled read-only connection, so a
/// lookup sees the file's newest committed rows. A failing query (the file locked, replaced or damaged) is retried
/// <c>lookup.max-retries</c> times, a little later each time, then fails the job with a 58030 error.
/// </summary>
public sealed class SqliteLookupSource : ILookupSource
{
    /// <summary>Keys per query: well below SQLite's limit on parameters, and small enough to keep statements short.</summary>
    private const int KeysPerQuery = 256;

    private readonly SqliteTable _sqlite;
    private readonly string _select;
    private readonly string[] _keyNames;
    private readonly SqliteBatchReader _reader;
    private readonly ByteWriter _scratch = new(64);
    private readonly Action<int> _sleep;

    /// <param name="names">The SQLite columns the returned rows hold, in order.</param>
    /// <param name="types">Their Tarn types.</param>
    /// <param name="keyColumns">Positions of the lookup keys among <paramref name="names"/>.</param>
    /// <param name="sleep">Waits between retries (milliseconds); tests pass a no-op.</param>
    public SqliteLookupSource(SqliteTable sqlite, TableDef table, IReadOnlyList<string> names, IReadOnlyList<DataType> types,
        IReadOnlyList<int> keyColumns, TimeZoneInfo zone, Action<int>? sleep = null)
    {
        _sqlite = sqlite;
        _sleep = sleep ?? Thread.Sleep;
        // The file, table and columns are checked now, when the job starts, so a missing one fails the submission.
        using (var connection = sqlite.Open()) sqlite.Check(connection, table);
        foreach (var k in keyColumns)
        {
            var type = types[k];
            if (!(type.IsIntegral || type.IsApproximate || type.IsString || type.Kind == TypeKind.Boolean))
                throw new TarnException(SqlStates.FeatureNotSupported,
                    $"lookup joins on SQLite table '{sqlite.TableName}' need keys of integer, floating point, boolean or string types; '{names[k]}' is {type.ToSql()}");
        }
        RowTypes = [.. types.Select(t => t.WithNullable(true))];
        KeyColumns = keyColumns;
        _keyNames = [.. keyColumns.Select(k => SqliteTable.Quote(names[k]))];
        _select = SqliteBatchReader.Select(names, sqlite.QuotedName);
        _reader = new SqliteBatchReader(names, RowTypes, sqlite.TableName, zone, 1024);
    }

    public IReadOnlyList<DataType> RowTypes { get; }

    public IReadOnlyList<int> KeyColumns { get; }

    /// <summary>Queries sent (a test hook: how often the cache in front let keys through).</summary>
    public int Queries { get; private set; }

    public void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results)
    {
        var slots = new Dictionary<byte[], int>(encodedKeys.Count, ByteKeyComparer.Instance);
        for (var i = 0; i < encodedKeys.Count; i++) slots[encodedKeys[i]] = i;
        var found = new List<LookupRow>?[encodedKeys.Count];
        var bySlot = slots.GetAlternateLookup<ReadOnlySpan<byte>>();
        for (var start = 0; start < keys.RowCount; start += KeysPerQuery)
        {
            var count = Math.Min(KeysPerQuery, keys.RowCount - start);
            var batches = Run(connection => Query(connection, keys, start, count));
            foreach (var batch in batches)
            {
                for (var r = 0; r < batch.RowCount; r++)
                {
                    // SQLite may compare differently (affinity, collations): only rows whose key equals a probe key in Tarn's terms match.
                    if (!LookupKeyCodec.TryWrite(_scratch, batch, KeyColumns, r) || !bySlot.TryGetValue(_scratch.WrittenSpan, out var slot)) continue;
                    (found[slot] ??= []).Add(new LookupRow(batch, r));
                }
            }
        }
        for (var i = 0; i < results.Length && i < found.Length; i++) results[i] = found[i] is { } rows ? [.. rows] : [];
    }

    private List<ColumnBatch> Query(SqliteConnection connection, ColumnBatch keys, int start, int count)
    {
        using var command = connection.CreateCommand();
        var sql = new StringBuilder(_select).Append(" WHERE ");
        if (_keyNames.Length == 1)
        {
            sql.Append(_keyNames[0]).Append(" IN (");
            for (var i = 0; i < count; i++)
            {
                if (i > 0) sql.Append(", ");
                sql.Append(Bind(command, keys.Columns[0], start + i));
            }
            sql.Append(')');
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                if (i > 0) sql.Append(" OR ");
                sql.Append('(');
                for (var k = 0; k < _keyNames.Length; k++)
                {
                    if (k > 0) sql.Append(" AND ");
                    sql.Append(_keyNames[k]).Append(" = ").Append(Bind(command, keys.Columns[k], start + i));
                }
                sql.Append(')');
            }
        }
        command.CommandText = sql.ToString();
        Queries++;
        using var reader = command.ExecuteReader();
        return _reader.ReadAll(reader, 1024);
    }

    /// <summary>Adds row <paramref name="row"/> of <paramref name="column"/> as a parameter; returns its name.</summary>
    private static string Bind(SqliteCommand command, ColumnVector column, int row)
    {
        var name = "$p" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        object value = column switch
        {
            PrimitiveVector<long> v => v.Values[row],
            PrimitiveVector<int> v => (long)v.Values[row],
            PrimitiveVector<short> v => (long)v.Values[row],
            PrimitiveVector<sbyte> v => (long)v.Values[row],
            PrimitiveVector<bool> v => v.Values[row] ? 1L : 0L,
            PrimitiveVector<double> v => v.Values[row],
            PrimitiveVector<float> v => (double)v.Values[row],
            BinaryVector v => v.GetString(row),
            _ => throw new TarnException(SqlStates.InternalError, $"a lookup key of type {column.Type.ToSql()} cannot be sent to SQLite"),
        };
        command.Parameters.AddWithValue(name, value);
        return name;
    }

    public IEnumerable<ColumnBatch> ScanAll() => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = _select;
        Queries++;
        using var reader = command.ExecuteReader();
        return _reader.ReadAll(reader, 4096);
    });

    /// <summary>Runs <paramref name="query"/> on a fresh pooled connection, retrying SQLite and I/O failures.</summary>
    private List<ColumnBatch> Run(Func<SqliteConnection, List<ColumnBatch>> query)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var connection = _sqlite.Open();
                return query(connection);
            }
            catch (Exception e) when (e is SqliteException || e is TarnException { SqlState: SqlStates.IoError })
            {
                if (attempt >= _sqlite.MaxRetries)
                    throw new TarnException(SqlStates.IoError,
                        $"lookup in SQLite table '{_sqlite.SqliteTableName}' of '{_sqlite.FilePath}' (table '{_sqlite.TableName}') failed after {attempt + 1} attempt{(attempt == 0 ? "" : "s")}: {e.Message}", e)
                    { FilePath = _sqlite.FilePath };
                using (var stale = new SqliteConnection(_sqlite.ConnectionString)) SqliteConnection.ClearPool(stale);
                _sleep(Math.Min(1000, 100 * (attempt + 1)));
            }
        }
    }

    public void Dispose() { }
}
