using CsCheck;
using Microsoft.Data.Sqlite;
using Tarn.Catalog.Model;
using Tarn.Connectors.Sqlite;
using Tarn.Execution.Lookup;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.Sqlite;

/// <summary>
/// The SQLite lookup source against a real file: answers equal a reference over the rows written, through the
/// PARTIAL and FULL caches under a manual clock; retries; which filter conjuncts go to SQLite.
/// </summary>
public sealed class SqliteLookupSourceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-sqlite-" + Guid.NewGuid().ToString("N")[..10]);

    public SqliteLookupSourceTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string NewFile() => Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8] + ".db");

    private static void Exec(string file, string sql, params object[] args)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++) command.Parameters.AddWithValue("$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), args[i]);
        command.ExecuteNonQuery();
    }

    private static TableDef Table(string file, params (string Name, DataType Type)[] columns) =>
        new("dim", 0, [.. columns.Select((c, i) => new ColumnDef(i + 1, c.Name, c.Type))], [], [], null,
            new Dictionary<string, string> { ["connector"] = "sqlite", ["path"] = file, ["table-name"] = "t", ["lookup.max-retries"] = "2" }, null);

    /// <summary>A source over <c>t (id, name)</c> keyed on id.</summary>
    private static SqliteLookupSource Source(string file, List<int>? sleeps = null)
    {
        var table = Table(file, ("id", DataType.BigInt), ("name", DataType.String));
        return new SqliteLookupSource(SqliteTable.From(table), table, ["id", "name"], [DataType.BigInt, DataType.String], [0], TimeZoneInfo.Utc, ms => sleeps?.Add(ms));
    }

    private static string[] Lookup(LookupCache cache, params long[] keys)
    {
        var vector = new PrimitiveVector<long>(DataType.BigInt, [.. keys], keys.Length);
        var batch = new ColumnBatch([vector], keys.Length);
        var encoded = new byte[keys.Length][];
        var w = new ByteWriter();
        for (var i = 0; i < keys.Length; i++)
        {
            LookupKeyCodec.TryWrite(w, batch, [0], i);
            encoded[i] = w.ToArray();
        }
        var results = new LookupRow[keys.Length][];
        cache.Lookup(batch, encoded, results);
        return [.. results.Select(rows => string.Join(",", rows.Select(r => ((BinaryVector)r.Batch.Columns[1]).IsNull(r.Row) ? "NULL" : ((BinaryVector)r.Batch.Columns[1]).GetString(r.Row)).Order(StringComparer.Ordinal)))];
    }

    [Fact]
    public void Lookups_return_the_rows_of_each_key_as_written()
    {
        var row = Gen.Select(Gen.Long[-3, 600], Gen.String["abé'\""].Null());
        Gen.Select(row.List[0, 40], Gen.Long[-3, 600].Array[1, 300]).Sample((rows, probe) =>
        {
            var file = NewFile();
            Exec(file, "CREATE TABLE t (id INTEGER, name TEXT)"); // no key: ids may repeat, as a connector table's may
            foreach (var (id, name) in rows) Exec(file, "INSERT INTO t VALUES ($0, $1)", id, (object?)name ?? DBNull.Value);
            var keys = probe.Distinct().ToArray();
            using var cache = LookupCache.Create(Source(file), LookupCacheOptions.NoCache);
            var expected = keys.Select(k => string.Join(",", rows.Where(r => r.Item1 == k).Select(r => r.Item2 ?? "NULL").Order(StringComparer.Ordinal))).ToArray();
            Assert.Equal(expected, Lookup(cache, keys));
        }, iter: 30);
    }

    [Fact]
    public void Composite_text_and_integer_keys_match_by_value()
    {
        var file = NewFile();
        Exec(file, "CREATE TABLE t (region TEXT, sku INTEGER, price REAL)");
        Exec(file, "INSERT INTO t VALUES ('eu', 1, 1.5), ('eu', 2, 2.5), ('us', 1, 3.5), ('EU', 1, 9.0)");
        var table = Table(file, ("region", DataType.String), ("sku", DataType.Int), ("price", DataType.Double));
        using var source = new SqliteLookupSource(SqliteTable.From(table), table, ["price", "region", "sku"], [DataType.Double, DataType.String, DataType.Int], [1, 2], TimeZoneInfo.Utc);
        var regions = new BinaryVector(DataType.String, 3);
        regions.Append("eu");
        regions.Append("us");
        regions.Append("eu");
        var skus = new PrimitiveVector<int>(DataType.Int, [2, 1, 7], 3);
        var keys = new ColumnBatch([regions, skus], 3);
        var encoded = new byte[3][];
        var w = new ByteWriter();
        for (var i = 0; i < 3; i++)
        {
            LookupKeyCodec.TryWrite(w, keys, [0, 1], i);
            encoded[i] = w.ToArray();
        }
        var results = new LookupRow[3][];
        source.Lookup(keys, encoded, results);
        Assert.Equal([2.5], results[0].Select(r => ((PrimitiveVector<double>)r.Batch.Columns[0]).Values[r.Row]));
        Assert.Equal([3.5], results[1].Select(r => ((PrimitiveVector<double>)r.Batch.Columns[0]).Values[r.Row]));
        Assert.Empty(results[2]);
        Assert.Equal(1, source.Queries);
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Partial_cache_serves_changed_rows_stale_until_they_expire_and_evicts_beyond_max_rows()
    {
        var file = NewFile();
        Exec(file, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        Exec(file, "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        var clock = new ManualClock();
        var source = Source(file);
        using var cache = LookupCache.Create(source, new LookupCacheOptions(LookupCacheMode.Partial, MaxRows: 2, ExpireAfterWrite: TimeSpan.FromMinutes(10)), clock);
        Assert.Equal(["one", "two", ""], Lookup(cache, 1, 2, 4)); // 4 is missing: cached as missing, 1 evicted (max 2 keys)
        Assert.Equal(1, source.Queries);
        Exec(file, "UPDATE t SET name = upper(name)");
        Exec(file, "INSERT INTO t VALUES (4, 'four')");
        Assert.Equal(["two", ""], Lookup(cache, 2, 4)); // both cached: stale and missing
        Assert.Equal(["ONE"], Lookup(cache, 1)); // evicted: loaded fresh
        clock.Now += TimeSpan.FromMinutes(10);
        Assert.Equal(["TWO", "four"], Lookup(cache, 2, 4)); // 4 expired after write (2 was evicted when 1 came back)
    }

    [Fact]
    public void Full_cache_reload_picks_up_changes_to_the_file()
    {
        var file = NewFile();
        Exec(file, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        Exec(file, "INSERT INTO t VALUES (1, 'one')");
        var clock = new ManualClock();
        var source = Source(file);
        using var cache = LookupCache.Create(source, new LookupCacheOptions(LookupCacheMode.Full, ReloadInterval: TimeSpan.FromMinutes(5)), clock);
        Assert.Equal(["one", ""], Lookup(cache, 1, 2));
        Exec(file, "UPDATE t SET name = 'ONE'");
        Exec(file, "INSERT INTO t VALUES (2, 'two')");
        clock.Now += TimeSpan.FromMinutes(4);
        Assert.Equal(["one", ""], Lookup(cache, 1, 2));
        clock.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(["ONE", "two"], Lookup(cache, 1, 2));
        Assert.Equal(2, source.Queries); // two full loads, no key queries
    }

    [Fact]
    public void A_failing_lookup_is_retried_max_retries_times_then_fails_with_the_cause()
    {
        var file = NewFile();
        Exec(file, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        var sleeps = new List<int>();
        using var cache = LookupCache.Create(Source(file, sleeps), LookupCacheOptions.NoCache);
        Assert.Equal([""], Lookup(cache, 1));
        Exec(file, "DROP TABLE t");
        var e = Assert.Throws<TarnException>(() => Lookup(cache, 1));
        Assert.Equal(SqlStates.IoError, e.SqlState);
        Assert.Contains("after 3 attempts", e.Message, StringComparison.Ordinal);
        Assert.Contains("no such table", e.Message, StringComparison.Ordinal);
        Assert.Equal([100, 200], sleeps);

        // A table that comes back before the retries run out is read again.
        Exec(file, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        Exec(file, "INSERT INTO t VALUES (1, 'back')");
        Assert.Equal(["back"], Lookup(cache, 1));
    }

    [Fact]
    public void Only_conjuncts_sqlite_compares_like_tarn_are_pushed()
    {
        var names = new[] { "id", "code", "name", "weight" };
        var types = new[] { DataType.BigInt, DataType.BigInt, DataType.String, DataType.Double };
        var affinities = new Dictionary<string, SqliteAffinity>
        {
            ["id"] = SqliteAffinity.Integer, ["code"] = SqliteAffinity.Text, ["name"] = SqliteAffinity.Text, ["weight"] = SqliteAffinity.Real,
        };
        BoundExpression Col(int i) => new BoundColumnRef(i, types[i]);
        BoundExpression Cmp(ComparisonOperator op, BoundExpression l, BoundExpression r) => new BoundComparison(op, l, r, DataType.Boolean);
        var predicate = BoundExpressions.And([
            Cmp(ComparisonOperator.Greater, Col(0), BoundLiteral.Of(5L)),
            Cmp(ComparisonOperator.GreaterOrEqual, Col(1), BoundLiteral.Of(10L)), // TEXT affinity: compared as text in SQLite
            Cmp(ComparisonOperator.Less, BoundLiteral.Of(2.5), Col(3)),
            Cmp(ComparisonOperator.Equal, Col(2), BoundLiteral.Of("o'k")),
            new BoundIsNull(Col(2), true, DataType.Boolean),
            Cmp(ComparisonOperator.IsDistinctFrom, Col(0), BoundLiteral.Of(1L)),
        ]);
        var (sql, parameters) = SqliteFilter.Translate(predicate, names, types, affinities)!.Value;
        Assert.Equal("\"id\" > $f0 AND \"weight\" > $f1 AND \"name\" COLLATE BINARY = $f2 AND \"name\" IS NOT NULL", sql);
        Assert.Equal([5L, 2.5, "o'k"], parameters);
        Assert.Null(SqliteFilter.Translate(Cmp(ComparisonOperator.Equal, Col(1), BoundLiteral.Of(1L)), names, types, affinities));
    }
}
