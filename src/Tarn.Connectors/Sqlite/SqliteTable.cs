using System.Globalization;
using Microsoft.Data.Sqlite;
using Tarn.Catalog.Model;
using Tarn.Types;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// A table of a SQLite database file, declared as <c>'connector' = 'sqlite'</c> with <c>'path'</c> (the file, a
/// <c>file://</c> URI allowed) or as Flink's <c>'connector' = 'jdbc'</c> with <c>'url' = 'jdbc:sqlite:/path/file.db'</c>;
/// both take <c>'table-name'</c> (default: the Tarn table's name) and the lookup options of
/// <see cref="Planner.Logical.LookupCacheOptions"/> plus <c>lookup.max-retries</c> (default 3). Reads (batch queries,
/// lookup joins) open the file read-only; INSERT INTO and streaming jobs write it through <see cref="SqliteSink"/>
/// (options: <see cref="SqliteSinkOptions"/>).
/// <para>
/// Types: the Tarn column's declared type decides how a SQLite value is read. SQLite INTEGER values read as
/// BOOLEAN (0/1), TINYINT, SMALLINT, INT or BIGINT (out of range is an error), REAL (and INTEGER) values as DOUBLE or
/// FLOAT, TEXT values as STRING/VARCHAR/CHAR (and any value as its text), BLOB values as BYTES/VARBINARY; DECIMAL,
/// DATE, TIME and TIMESTAMP columns read the value's text (<c>'2024-05-01'</c>, <c>'2024-05-01 12:30:00'</c>) with
/// the parsers of CAST. A value that does not fit the declared type fails the query with 22P02/22003.
/// </para>
/// <para>
/// The file, the table and every physical column are checked at CREATE TABLE and again when a query or job opens the
/// table: a missing one is a 58030 (file), 42P01 (table) or 42703 (column) error, never a failure in the middle of a job.
/// </para>
/// </summary>
public sealed record SqliteTable(string TableName, string FilePath, string SqliteTableName, int MaxRetries)
{
    /// <summary>Options the connectors accept besides <c>lookup.*</c> (Flink JDBC's names; the scan/sink tuning ones are accepted and ignored).</summary>
    private static readonly HashSet<string> KnownOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "connector", "connector.type", "path", "url", "table-name", "driver", "username", "password",
        "connection.max-retry-timeout", "scan.fetch-size", "scan.auto-commit",
        "scan.partition.column", "scan.partition.num", "scan.partition.lower-bound", "scan.partition.upper-bound",
        "sink.buffer-flush.max-rows", "sink.buffer-flush.interval", "sink.max-retries", "sink.parallelism",
        // Flink's legacy JDBC descriptor ('connector.type' = 'jdbc').
        "connector.property-version", "connector.url", "connector.table", "connector.driver", "connector.username", "connector.password",
        "connector.lookup.cache.max-rows", "connector.lookup.cache.ttl", "connector.lookup.max-retries",
        "connector.read.fetch-size", "connector.write.flush.max-rows", "connector.write.flush.interval", "connector.write.max-retries",
        SqliteSinkOptions.CreateIfMissingKey,
    };

    /// <summary>
    /// True when <paramref name="table"/> is a SQLite table: <c>'connector' = 'sqlite'</c>, or <c>'jdbc'</c> with a
    /// <c>jdbc:sqlite:</c> URL. A JDBC table of another database stays in the catalog as before (Flink scripts load
    /// unchanged) and fails with 0A000 when it is read.
    /// </summary>
    public static bool Is(TableDef table) =>
        string.Equals(table.Connector, "sqlite", StringComparison.OrdinalIgnoreCase)
        || string.Equals(table.Connector, "jdbc", StringComparison.OrdinalIgnoreCase) && Url(table) is { } url && url.StartsWith(JdbcPrefix, StringComparison.OrdinalIgnoreCase);

    private const string JdbcPrefix = "jdbc:sqlite:";

    /// <summary>The JDBC URL: <c>url</c>, or the legacy <c>connector.url</c>.</summary>
    private static string? Url(TableDef table) => Get(table, "url") ?? Get(table, "connector.url");

    /// <summary>Reads and checks the options of <paramref name="table"/> (not the file: see <see cref="Check"/>).</summary>
    public static SqliteTable From(TableDef table)
    {
        var jdbc = string.Equals(table.Connector, "jdbc", StringComparison.OrdinalIgnoreCase);
        foreach (var key in table.Options.Keys)
            if (!KnownOptions.Contains(key) && !key.StartsWith("lookup.", StringComparison.OrdinalIgnoreCase))
                throw Invalid($"unsupported option '{key}' for connector '{table.Connector}' on table '{table.Name}'");
        string path;
        if (jdbc)
        {
            var url = Url(table) ?? throw Invalid($"jdbc table '{table.Name}' needs a 'url' option ('jdbc:sqlite:/path/file.db')");
            if (!url.StartsWith(JdbcPrefix, StringComparison.OrdinalIgnoreCase))
                throw new TarnException(SqlStates.FeatureNotSupported,
                    $"jdbc table '{table.Name}': url '{url}' is not supported; this version reads SQLite databases only ('jdbc:sqlite:/path/file.db')");
            path = url[JdbcPrefix.Length..];
            var query = path.IndexOf('?', StringComparison.Ordinal);
            if (query >= 0) path = path[..query];
        }
        else
        {
            path = Get(table, "path") ?? throw Invalid($"sqlite table '{table.Name}' needs a 'path' option (the database file)");
        }
        if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            path = path.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(path).LocalPath : path["file:".Length..];
        if (path.Length == 0 || path.Contains(":memory:", StringComparison.OrdinalIgnoreCase))
            throw Invalid($"table '{table.Name}' needs the path of a SQLite database file, got '{path}'");
        var name = Get(table, "table-name") ?? Get(table, "connector.table") ?? table.Name;
        var retries = 3;
        if ((Get(table, "lookup.max-retries") ?? Get(table, "connector.lookup.max-retries")) is { } r
            && (!int.TryParse(r.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out retries) || retries > 100))
            throw Invalid($"'lookup.max-retries' of table '{table.Name}' must be an integer from 0 to 100, got '{r}'");
        return new SqliteTable(table.Name, Path.GetFullPath(path), name, retries);
    }

    /// <summary>A read-only connection string: a missing file is an error, never an empty new database.</summary>
    public string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = FilePath,
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = true,
        DefaultTimeout = 5,
    }.ToString();

    /// <summary>The table name quoted for SQL.</summary>
    public string QuotedName => Quote(SqliteTableName);

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Opens a connection; 58030 when the file is missing or is not a database.</summary>
    public SqliteConnection Open()
    {
        if (!File.Exists(FilePath))
            throw new TarnException(SqlStates.IoError, $"the SQLite database file '{FilePath}' of table '{TableName}' does not exist") { FilePath = FilePath };
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new TarnException(SqlStates.IoError, $"cannot open the SQLite database '{FilePath}' of table '{TableName}': {e.Message}", e) { FilePath = FilePath };
        }
    }

    /// <summary>
    /// The SQLite columns of the table (declared type by name, case-insensitive); checks that the file holds the
    /// table and every physical column of <paramref name="table"/>.
    /// </summary>
    public Dictionary<string, SqliteAffinity> Check(SqliteConnection connection, TableDef table)
    {
        var columns = new Dictionary<string, SqliteAffinity>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, type FROM pragma_table_info($name)";
            command.Parameters.AddWithValue("$name", SqliteTableName);
            using var reader = command.ExecuteReader();
            while (reader.Read()) columns[reader.GetString(0)] = SqliteAffinities.Of(reader.IsDBNull(1) ? "" : reader.GetString(1));
        }
        catch (SqliteException e)
        {
            throw new TarnException(SqlStates.IoError, $"cannot read the SQLite database '{FilePath}' of table '{TableName}': {e.Message}", e) { FilePath = FilePath };
        }
        if (columns.Count == 0)
            throw new TarnException(SqlStates.UndefinedTable, $"the SQLite database '{FilePath}' has no table '{SqliteTableName}' (table '{TableName}')") { FilePath = FilePath };
        foreach (var column in table.Columns)
        {
            if (!column.IsPhysical) continue;
            if (!columns.ContainsKey(column.Name))
                throw new TarnException(SqlStates.UndefinedColumn,
                    $"the SQLite table '{SqliteTableName}' in '{FilePath}' has no column '{column.Name}' (table '{TableName}'; it has {string.Join(", ", columns.Keys)})") { FilePath = FilePath };
            SqliteColumnReader.CheckSupported(column.Type, column.Name, TableName);
        }
        return columns;
    }

    /// <summary>
    /// Checks the options, the file, the table and its columns (CREATE TABLE); with <c>'sqlite.create-if-missing'</c>
    /// first creates the file and the table when missing.
    /// </summary>
    public static void Validate(TableDef table)
    {
        var sqlite = From(table);
        Planner.Logical.LookupCacheOptions.Parse(table.Options, table.Name);
        if (SqliteSinkOptions.From(table).CreateIfMissing) SqliteFiles.CreateIfMissing(sqlite, table);
        else if (!File.Exists(sqlite.FilePath))
            throw new TarnException(SqlStates.IoError,
                $"the SQLite database file '{sqlite.FilePath}' of table '{table.Name}' does not exist (set '{SqliteSinkOptions.CreateIfMissingKey}' = 'true' to create it)")
            { FilePath = sqlite.FilePath };
        using var connection = sqlite.Open();
        sqlite.Check(connection, table);
    }

    private static string? Get(TableDef table, string key) =>
        table.Options.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private static TarnException Invalid(string message) => new(SqlStates.InvalidParameterValue, message);
}

/// <summary>SQLite's column affinity (section 3.1 of its datatype documentation), which decides how comparisons convert values.</summary>
public enum SqliteAffinity { Integer, Text, Blob, Real, Numeric }

internal static class SqliteAffinities
{
    /// <summary>The affinity of a declared column type, by SQLite's rules in their order.</summary>
    public static SqliteAffinity Of(string declared)
    {
        var t = declared.ToUpperInvariant();
        if (t.Contains("INT", StringComparison.Ordinal)) return SqliteAffinity.Integer;
        if (t.Contains("CHAR", StringComparison.Ordinal) || t.Contains("CLOB", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal)) return SqliteAffinity.Text;
        if (t.Length == 0 || t.Contains("BLOB", StringComparison.Ordinal)) return SqliteAffinity.Blob;
        if (t.Contains("REAL", StringComparison.Ordinal) || t.Contains("FLOA", StringComparison.Ordinal) || t.Contains("DOUB", StringComparison.Ordinal)) return SqliteAffinity.Real;
        return SqliteAffinity.Numeric;
    }

    /// <summary>
    /// Whether SQLite compares a column of this affinity with a parameter of <paramref name="type"/> the way Tarn
    /// compares the value it reads (so a comparison may run in SQLite): numbers with numeric affinities, text with TEXT.
    /// </summary>
    public static bool ComparesLikeTarn(SqliteAffinity affinity, DataType type) =>
        type.IsIntegral ? affinity == SqliteAffinity.Integer
        : type.Kind == TypeKind.Double ? affinity is SqliteAffinity.Integer or SqliteAffinity.Real or SqliteAffinity.Numeric
        : type.Kind == TypeKind.Varchar && type.Collation is null && affinity == SqliteAffinity.Text;
}
