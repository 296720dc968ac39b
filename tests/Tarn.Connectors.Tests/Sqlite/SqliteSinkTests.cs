using System.Globalization;
using CsCheck;
using Microsoft.Data.Sqlite;
using Tarn.Catalog.Model;
using Tarn.Connectors.Sinks;
using Tarn.Connectors.Sqlite;
using Tarn.Connectors.Tests.Sinks;
using Tarn.Types;

namespace Tarn.Connectors.Tests.Sqlite;

/// <summary>
/// The SQLite sink against real files: random changelogs applied epoch by epoch equal a model dictionary (with an
/// ON CONFLICT target and with the UPDATE-then-INSERT fallback), appends without a key, recovery of staged epochs
/// exactly once, and the errors of a missing file, table or column.
/// </summary>
public sealed class SqliteSinkTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-sqlsink-" + Guid.NewGuid().ToString("N")[..10]);

    public SqliteSinkTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string NewFile() => Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8] + ".db");

    private static void Exec(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Rows(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary><c>t (k BIGINT, v STRING)</c>, keyed on k when <paramref name="keyed"/>.</summary>
    private static TableDef Table(string file, bool keyed, params (string Key, string Value)[] options)
    {
        var dict = new Dictionary<string, string> { ["connector"] = "sqlite", ["path"] = file, ["table-name"] = "t" };
        foreach (var (k, v) in options) dict[k] = v;
        return new TableDef("t", 0, [new ColumnDef(1, "k", keyed ? DataType.BigInt.WithNullable(false) : DataType.BigInt), new ColumnDef(2, "v", DataType.String)],
            keyed ? ["k"] : [], [], null, dict, null);
    }

    private SinkContext Context(string job = "job") => new(job, 0, Path.Combine(_dir, "stage-" + job), 0);

    [Theory]
    [InlineData("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)", true)]
    [InlineData("CREATE TABLE t (k INTEGER, v TEXT, UNIQUE (k))", true)]
    [InlineData("CREATE TABLE t (k INTEGER, v TEXT)", false)]
    public void Random_changelogs_applied_by_epoch_equal_a_model(string ddl, bool onConflict)
    {
        var change = Gen.Select(Gen.SByte[0, 3], Gen.Long[0, 12], Gen.String["ab'é"].Null());
        change.Array[0, 30].Array[1, 5].Sample(epochs =>
        {
            var file = NewFile();
            Exec(file, ddl);
            var table = Table(file, keyed: true);
            var job = Guid.NewGuid().ToString("N");
            var model = new Dictionary<long, string?>();
            using (var sink = new SqliteSink(table, Context(job)))
            {
                long epoch = 0;
                foreach (var changes in epochs)
                {
                    epoch++;
                    sink.Write(StagedEpochsTests.Batch([.. changes.Select(c => (c.Item1, (long?)c.Item2, c.Item3))]));
                    sink.PreCommit(epoch);
                    sink.Commit(epoch);
                    foreach (var (kind, k, v) in changes)
                        if (kind is 0 or 2) model[k] = v;
                        else if (kind == 3) model.Remove(k);
                }
                using var writer = SqliteWriterProbe(table);
                Assert.Equal(onConflict, writer.UsesOnConflict);
            }
            var expected = model.Select(e => $"{e.Key}|{e.Value ?? "null"}").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, Rows(file, "SELECT k, v FROM t"));
            // The marker names the last epoch that had changes (an empty epoch writes nothing).
            var last = Array.FindLastIndex(epochs, e => e.Length > 0);
            Assert.Equal(last < 0 ? [] : [$"{last + 1}"], Rows(file, $"SELECT epoch FROM tarn_sink_epochs WHERE job = '{job}' AND sink = 0"));
        }, iter: 20, threads: 1);
    }

    private static SqliteWriter SqliteWriterProbe(TableDef table) => SqliteWriter.Open(SqliteTable.From(table), table, TimeZoneInfo.Utc);

    [Fact]
    public void Without_a_key_rows_are_appended_duplicates_included()
    {
        var file = NewFile();
        Exec(file, "CREATE TABLE t (k INTEGER, v TEXT, extra TEXT DEFAULT 'x')");
        using (var sink = new SqliteSink(Table(file, keyed: false), Context()))
        {
            sink.Write(StagedEpochsTests.Batch([(0, 1, "a"), (0, 1, "a"), (0, null, null)]));
            sink.PreCommit(1);
            sink.Commit(1);
            sink.Write(StagedEpochsTests.Batch([(0, 2, "b")]));
            sink.Discard(); // a replayed epoch: already committed, not written again
            sink.Commit(2);
        }
        Assert.Equal(["1|a|x", "1|a|x", "null|null|x"], Rows(file, "SELECT k, v, extra FROM t"));
    }

    [Fact]
    public void Dictionary_encoded_strings_from_segments_are_written_as_their_values()
    {
        // A native table's segments hand low-cardinality strings to the sink as dictionary codes.
        var file = NewFile();
        Exec(file, "CREATE TABLE t (k INTEGER, v TEXT, extra TEXT DEFAULT 'x')");
        var dictionary = new Tarn.Vectors.BinaryVector(Types.DataType.String, 2);
        dictionary.Append("red");
        dictionary.Append("blue");
        var keys = new Tarn.Vectors.PrimitiveVector<long>(Types.DataType.BigInt, 4);
        foreach (var k in new long[] { 1, 2, 3, 4 }) keys.Append(k);
        var names = new Tarn.Vectors.DictionaryVector(dictionary, [1, 0, 0, 1], 4, [0, 0, 1, 0]);
        using (var sink = new SqliteSink(Table(file, keyed: false), Context()))
        {
            sink.Write(new Execution.Streaming.ChangeBatch(new Tarn.Vectors.ColumnBatch([keys, names], 4)));
            sink.PreCommit(1);
            sink.Commit(1);
        }
        Assert.Equal(["1|blue|x", "2|red|x", "3|null|x", "4|blue|x"], Rows(file, "SELECT k, v, extra FROM t ORDER BY k"));
    }

    [Theory]
    [InlineData(false, false)] // killed before the job committed epoch 2: dropped, the job replays it
    [InlineData(true, false)]  // killed after the job's commit, before SQLite applied it: applied on restart
    [InlineData(true, true)]   // killed after SQLite applied it, before the staged file was deleted: not applied twice
    public void Recovery_applies_each_committed_epoch_exactly_once(bool jobCommitted, bool sqliteApplied)
    {
        var file = NewFile();
        Exec(file, "CREATE TABLE t (k INTEGER, v TEXT)");
        var table = Table(file, keyed: false);
        var context = Context();
        var sink = new SqliteSink(table, context);
        sink.Write(StagedEpochsTests.Batch([(0, 1, "a")]));
        sink.PreCommit(1);
        sink.Commit(1);
        sink.Write(StagedEpochsTests.Batch([(0, 2, "b")]));
        sink.PreCommit(2);
        var staged = Directory.GetFiles(context.StagingDirectory, "*.stage").Single();
        var copy = File.ReadAllBytes(staged);
        if (sqliteApplied)
        {
            sink.Commit(2);
            File.WriteAllBytes(staged, copy); // as if the process died before deleting the staged file
        }
        sink.Dispose();
        using (new SqliteSink(table, context with { CommittedEpoch = jobCommitted ? 2 : 1 })) { }
        Assert.Equal(jobCommitted ? ["1|a", "2|b"] : ["1|a"], Rows(file, "SELECT k, v FROM t"));
        Assert.Empty(Directory.GetFiles(context.StagingDirectory, "*.stage"));
    }

    [Fact]
    public void A_missing_file_table_or_column_fails_when_the_sink_opens()
    {
        var missing = Path.Combine(_dir, "none.db");
        Assert.Equal(SqlStates.IoError, Assert.Throws<TarnException>(() => SqliteSink.Validate(Table(missing, true))).SqlState);
        Assert.False(File.Exists(missing));
        var file = NewFile();
        Exec(file, "CREATE TABLE other (k INTEGER)");
        Assert.Equal(SqlStates.UndefinedTable, Assert.Throws<TarnException>(() => new SqliteSink(Table(file, true), Context())).SqlState);
        Exec(file, "CREATE TABLE t (k INTEGER PRIMARY KEY)");
        Assert.Equal(SqlStates.UndefinedColumn, Assert.Throws<TarnException>(() => SqliteSink.Validate(Table(file, true))).SqlState);
        var notNull = NewFile();
        Exec(notNull, "CREATE TABLE t (k INTEGER, v TEXT, required TEXT NOT NULL)");
        Assert.Equal(SqlStates.NotNullViolation, Assert.Throws<TarnException>(() => SqliteSink.Validate(Table(notNull, false))).SqlState);
        var bad = Table(file, true, ("sink.buffer-flush.max-rows", "many"));
        Assert.Equal(SqlStates.InvalidParameterValue, Assert.Throws<TarnException>(() => SqliteTable.Validate(bad)).SqlState);
    }

    [Fact]
    public void Create_if_missing_creates_the_file_and_a_keyed_table()
    {
        var file = Path.Combine(_dir, "sub", "new.db");
        var table = Table(file, true, (SqliteSinkOptions.CreateIfMissingKey, "true"));
        SqliteTable.Validate(table);
        Assert.True(File.Exists(file));
        Assert.Equal(["k|INTEGER|1|1", "v|TEXT|0|0"], Rows(file, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('t')"));
        Assert.Equal(["wal"], Rows(file, "PRAGMA journal_mode"));
        SqliteTable.Validate(table); // a second CREATE TABLE leaves the table as it is
    }

    [Theory]
    [InlineData("CREATE TABLE t (k INTEGER PRIMARY KEY)")]
    [InlineData("CREATE TABLE t (k INTEGER)")]
    public void A_table_of_key_columns_only_keeps_one_row_per_key(string ddl)
    {
        var file = NewFile();
        Exec(file, ddl);
        var table = new TableDef("t", 0, [new ColumnDef(1, "k", DataType.BigInt.WithNullable(false))], ["k"], [], null,
            new Dictionary<string, string> { ["connector"] = "sqlite", ["path"] = file }, null);
        using (var sink = new SqliteSink(table, Context()))
        {
            var k = new Tarn.Vectors.PrimitiveVector<long>(DataType.BigInt, [1, 2, 1, 2, 3, 3], 6);
            sink.Write(new Execution.Streaming.ChangeBatch(new Tarn.Vectors.ColumnBatch([k], 6), [0, 0, 2, 3, 0, 0]));
            sink.PreCommit(1);
            sink.Commit(1);
        }
        Assert.Equal(["1", "3"], Rows(file, "SELECT k FROM t"));
    }
}
