using Microsoft.Data.Sqlite;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Sqlite;

/// <summary>Reads the rows of a SQLite query (its columns in order) into column batches of the Tarn columns' types.</summary>
internal sealed class SqliteBatchReader
{
    private readonly SqliteColumnReader[] _columns;

    public SqliteBatchReader(IReadOnlyList<string> names, IReadOnlyList<DataType> types, string table, TimeZoneInfo zone, int capacity)
    {
        _columns = new SqliteColumnReader[types.Count];
        for (var i = 0; i < _columns.Length; i++) _columns[i] = new SqliteColumnReader(types[i], names[i], table, zone, capacity);
        Types = types;
    }

    public IReadOnlyList<DataType> Types { get; }

    /// <summary>Up to <paramref name="maxRows"/> rows from <paramref name="reader"/>; null when it has none left.</summary>
    public ColumnBatch? Read(SqliteDataReader reader, int maxRows)
    {
        var rows = 0;
        while (rows < maxRows && reader.Read())
        {
            for (var c = 0; c < _columns.Length; c++) _columns[c].Append(reader, c);
            rows++;
        }
        if (rows == 0) return null;
        var vectors = new ColumnVector[_columns.Length];
        for (var c = 0; c < vectors.Length; c++) vectors[c] = _columns[c].Finish(Math.Min(maxRows, 1024));
        return new ColumnBatch(vectors, rows);
    }

    /// <summary>Every row of <paramref name="reader"/> in batches of <paramref name="batchRows"/>.</summary>
    public List<ColumnBatch> ReadAll(SqliteDataReader reader, int batchRows)
    {
        var batches = new List<ColumnBatch>();
        while (Read(reader, batchRows) is { } batch) batches.Add(batch);
        return batches;
    }

    /// <summary><c>SELECT "a", "b" FROM "t"</c> for the given SQLite column names.</summary>
    public static string Select(IReadOnlyList<string> names, string quotedTable)
    {
        var sql = new System.Text.StringBuilder("SELECT ");
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0) sql.Append(", ");
            sql.Append(SqliteTable.Quote(names[i]));
        }
        if (names.Count == 0) sql.Append('1');
        return sql.Append(" FROM ").Append(quotedTable).ToString();
    }
}
