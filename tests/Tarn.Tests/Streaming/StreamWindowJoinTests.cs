using System.Globalization;
using System.Text;
using CsCheck;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Operators;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.State;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Window joins (both inputs window TVFs or window aggregates, joined on window_end): parity with batch on random
/// out-of-order inputs, insert-only output (a LEFT window join into a sink without primary key), state freed when a
/// window fires, late rows counted.
/// </summary>
public sealed class StreamWindowJoinTests : StreamingTestBase
{
    private const int DelayMillis = 3000;

    private sealed record Row(int Key, int Value, long Millis, int Noise);

    /// <summary>Rows with increasing times (gaps up to 6 s) in arrival order: time + noise below the watermark delay.</summary>
    private static readonly Gen<List<Row>> s_rows =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 50], Gen.Int[1, 6000], Gen.Int[0, DelayMillis - 1]).List[0, 25].Select(rows =>
        {
            var list = new List<Row>();
            long time = 0;
            foreach (var (key, value, gap, noise) in rows)
            {
                time += gap;
                list.Add(new Row(key, value, time, noise));
            }
            return list.OrderBy(r => r.Millis + r.Noise).ToList();
        });

    private static string Timestamp(long millis) =>
        new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMilliseconds(millis).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static void Create(TarnDatabase db)
    {
        foreach (var t in new[] { "l", "r" })
            db.Execute($"CREATE TABLE {t} (k INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '{DelayMillis / 1000}' SECOND)");
    }

    private static void Insert(TarnDatabase db, string table, List<Row> rows)
    {
        if (rows.Count == 0) return;
        var sb = new StringBuilder($"INSERT INTO {table} VALUES ");
        for (var i = 0; i < rows.Count; i++)
            sb.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({(rows[i].Key == 3 ? "NULL" : rows[i].Key.ToString(CultureInfo.InvariantCulture))}, {rows[i].Value}, TIMESTAMP '{Timestamp(rows[i].Millis)}')");
        db.Execute(sb.ToString());
    }

    private static string Tvf(string table, string window) => window == "TUMBLE"
        ? $"(SELECT * FROM TABLE(TUMBLE(TABLE {table}, DESCRIPTOR(ts), INTERVAL '10' SECOND)))"
        : $"(SELECT * FROM TABLE(HOP(TABLE {table}, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)))";

    private static string TvfJoin(string kind, string window) =>
        $"SELECT a.k, a.v, a.ts, b.k AS bk, b.v AS bv, b.ts AS bts, a.window_start, a.window_end, b.window_end AS bend FROM {Tvf("l", window)} a {kind} JOIN {Tvf("r", window)} b " +
        "ON a.k = b.k AND a.window_start = b.window_start AND a.window_end = b.window_end";

    private static string Agg(string table, string window) =>
        $"(SELECT k, COUNT(*) AS n, SUM(v) AS s, window_start, window_end FROM TABLE({(window == "TUMBLE" ? $"TUMBLE(TABLE {table}, DESCRIPTOR(ts), INTERVAL '10' SECOND)" : $"HOP(TABLE {table}, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)")}) GROUP BY k, window_start, window_end)";

    private static string AggJoin(string kind, string window) =>
        $"SELECT a.k, a.n, a.s, b.k AS bk, b.n AS bn, b.s AS bs, a.window_start, a.window_end, b.window_start AS bstart FROM {Agg("l", window)} a {kind} JOIN {Agg("r", window)} b " +
        "ON a.k = b.k AND a.window_start = b.window_start AND a.window_end = b.window_end AND a.s >= b.s - 20";

    private static readonly string[] s_kinds = ["", "LEFT", "RIGHT", "FULL"];

    /// <summary>Each query in batch and as a one-off streaming query over the same random tables: equal answers.</summary>
    private void AssertParity(IEnumerable<string> queries)
    {
        var list = queries.ToList();
        Gen.Select(s_rows, s_rows).Sample((left, right) =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            using var db = TarnDatabase.Open(dir);
            Create(db);
            Insert(db, "l", left);
            Insert(db, "r", right);
            foreach (var query in list)
            {
                Batch(db);
                var batch = Sorted(db.Execute(query));
                Streaming(db);
                var streaming = Sorted(db.Execute(query));
                Batch(db);
                Assert.True(batch == streaming, $"{query}\n-- batch:\n{batch}\n-- streaming:\n{streaming}");
            }
        }, iter: 8, threads: 1);
    }

    [Fact]
    public void Tumble_tvf_joins_equal_batch() => AssertParity(s_kinds.Select(k => TvfJoin(k, "TUMBLE")));

    [Fact]
    public void Hop_tvf_joins_equal_batch() => AssertParity(s_kinds.Select(k => TvfJoin(k, "HOP")));

    [Fact]
    public void Window_aggregate_joins_equal_batch() => AssertParity(s_kinds.Select(k => AggJoin(k, "TUMBLE")).Append(AggJoin("", "HOP")).Append(AggJoin("FULL", "HOP")));

    /// <summary>Nexmark q5's shape: per-key window counts joined with the per-window maximum of those counts (a cascaded window aggregate).</summary>
    private const string HotItems =
        "SELECT a.k, a.n, a.window_end FROM (SELECT k, COUNT(*) AS n, window_start, window_end FROM TABLE(HOP(TABLE l, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end) a " +
        "JOIN (SELECT MAX(c.n) AS maxn, c.window_start, c.window_end FROM (SELECT k, COUNT(*) AS n, window_start, window_end FROM TABLE(HOP(TABLE l, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end) c GROUP BY c.window_start, c.window_end) m " +
        "ON a.window_start = m.window_start AND a.window_end = m.window_end AND a.n >= m.maxn";

    [Fact]
    public void Cascaded_window_aggregate_join_equals_batch() => AssertParity([HotItems]);

    [Fact]
    public void Semi_and_anti_window_joins_equal_batch() => AssertParity([
        $"SELECT a.k, a.v, a.window_end FROM {Tvf("l", "TUMBLE")} a WHERE EXISTS (SELECT 1 FROM {Tvf("r", "TUMBLE")} b WHERE a.k = b.k AND a.window_start = b.window_start AND a.window_end = b.window_end)",
        $"SELECT a.k, a.v, a.window_end FROM {Tvf("l", "TUMBLE")} a WHERE NOT EXISTS (SELECT 1 FROM {Tvf("r", "TUMBLE")} b WHERE a.k = b.k AND a.window_start = b.window_start AND a.window_end = b.window_end)",
    ]);

    [Fact]
    public void Window_join_is_insert_only_in_explain()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "explain"));
        Create(db);
        Streaming(db);
        var plan = string.Join("\n", db.Execute("EXPLAIN " + TvfJoin("LEFT", "TUMBLE")).Rows.Select(r => (string)r[0]!));
        Assert.Matches(@"Join[^\n]* changelogMode=\[I\]\n", plan);
        foreach (var q in new[] { AggJoin("FULL", "HOP"), TvfJoin("RIGHT", "HOP"), HotItems,
                     $"SELECT a.k FROM {Tvf("l", "TUMBLE")} a WHERE NOT EXISTS (SELECT 1 FROM {Tvf("r", "TUMBLE")} b WHERE a.k = b.k AND a.window_start = b.window_start AND a.window_end = b.window_end)",
                     $"SELECT a.k FROM {Tvf("l", "TUMBLE")} a WHERE a.k IN (SELECT b.k FROM {Tvf("r", "TUMBLE")} b WHERE a.window_start = b.window_start AND a.window_end = b.window_end)" })
            Assert.Matches(@"Join[^\n]* changelogMode=\[I\]\n", string.Join("\n", db.Execute("EXPLAIN " + q).Rows.Select(r => (string)r[0]!)));
        // a regular LEFT join (no window_end equality) retracts its padded rows
        var regular = string.Join("\n", db.Execute("EXPLAIN SELECT * FROM l LEFT JOIN r ON l.k = r.k").Rows.Select(r => (string)r[0]!));
        Assert.Matches(@"Join[^\n]* changelogMode=\[I,UB,UA,D\]", regular);
    }

    /// <summary>
    /// A LEFT window join runs as a job into a sink without primary key (a regular outer join would retract), with the
    /// rows arriving over several commits and the database reopened half-way; a last row far in the future closes
    /// every window. The sink then holds the batch answer for the windows before it.
    /// </summary>
    [Fact]
    public void Left_window_join_job_into_sink_without_primary_key_equals_batch()
    {
        Gen.Select(s_rows, s_rows).Sample((left, right) =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            var query = TvfJoin("LEFT", "TUMBLE");
            var last = Math.Max(left.Count == 0 ? 0 : left.Max(r => r.Millis), right.Count == 0 ? 0 : right.Max(r => r.Millis));
            var sentinel = Timestamp(last + 3_600_000);
            using (var db = TarnDatabase.Open(dir))
            {
                Create(db);
                db.Execute($"CREATE TABLE sink AS SELECT * FROM ({query}) t WHERE false");
                Streaming(db);
                db.Execute($"INSERT INTO sink {query}");
                Batch(db);
                Insert(db, "l", left[..(left.Count / 2)]);
                Insert(db, "r", right[..(right.Count / 2)]);
                db.WaitForJobsAsync().GetAwaiter().GetResult();
            }
            using (var db = TarnDatabase.Open(dir))
            {
                Insert(db, "l", left[(left.Count / 2)..]);
                Insert(db, "r", right[(right.Count / 2)..]);
                db.Execute($"INSERT INTO l VALUES (0, 0, TIMESTAMP '{sentinel}')");
                db.Execute($"INSERT INTO r VALUES (0, 0, TIMESTAMP '{sentinel}')");
                db.WaitForJobsAsync().GetAwaiter().GetResult();
                var batch = Sorted(db.Execute($"SELECT * FROM ({query}) t WHERE t.window_end < TIMESTAMP '{sentinel}'"));
                var streaming = Sorted(db.Execute("SELECT * FROM sink"));
                Assert.True(batch == streaming, $"-- batch:\n{batch}\n-- streaming job:\n{streaming}");
            }
        }, iter: 4, threads: 1);
    }

    /// <summary>A row of a window the join already fired is late: counted in tarn_jobs and written to the late-row table.</summary>
    [Fact]
    public async Task A_late_row_of_a_job_is_counted_and_routed_to_the_late_table()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "late"));
        Create(db);
        db.Execute("CREATE TABLE joined (k INT, v INT, bv INT, window_end TIMESTAMP(3))");
        db.Execute("CREATE TABLE late_rows (job_id STRING, operator STRING, event_time TIMESTAMP(3), watermark TIMESTAMP(3), row_data STRING)");
        db.Execute("SET 'table.exec.late-rows.table' = 'late_rows'");
        Streaming(db);
        db.Execute($"INSERT INTO joined SELECT a.k, a.v, b.v, a.window_end FROM {Tvf("l", "TUMBLE")} a JOIN {Tvf("r", "TUMBLE")} b ON a.k = b.k AND a.window_start = b.window_start AND a.window_end = b.window_end");
        Batch(db);
        db.Execute("INSERT INTO l VALUES (1, 1, TIMESTAMP '2024-01-01 00:00:01'), (1, 2, TIMESTAMP '2024-01-01 00:00:20')");
        db.Execute("INSERT INTO r VALUES (1, 10, TIMESTAMP '2024-01-01 00:00:02'), (1, 20, TIMESTAMP '2024-01-01 00:00:25')");
        await db.WaitForJobsAsync();
        Assert.Equal("1|1|10|01/01/2024 00:00:10", Sorted(db.Execute("SELECT * FROM joined"))); // merged watermark 17 s
        db.Execute("INSERT INTO l VALUES (1, 3, TIMESTAMP '2024-01-01 00:00:04')"); // [0 s, 10 s) has fired: late
        await db.WaitForJobsAsync();
        Assert.Equal(1L, Convert.ToInt64(db.Execute("SELECT late_rows FROM tarn_jobs").Rows.Single()[0], CultureInfo.InvariantCulture));
        Assert.Equal("01/01/2024 00:00:10|01/01/2024 00:00:17", Sorted(db.Execute("SELECT event_time, watermark FROM late_rows")));
        Assert.Contains("\"v\":3", (string)db.Execute("SELECT row_data FROM late_rows").Rows.Single()[0]!, StringComparison.Ordinal);
        Assert.Equal("1|1|10|01/01/2024 00:00:10", Sorted(db.Execute("SELECT * FROM joined")));
    }

    /// <summary>
    /// One window key with more row bytes than a state record may hold (8,192 rows of 1,000 characters, one batch):
    /// the join stores them in several chunks and still joins every row.
    /// </summary>
    [Fact]
    public async Task A_window_with_more_rows_than_one_state_record_holds_joins_every_row()
    {
        using var db = TarnDatabase.Open(Path.Combine(Dir, "big"));
        db.Execute("CREATE TABLE big (k INT, s STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)");
        db.Execute("CREATE TABLE one (k INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)");
        db.Execute("CREATE TABLE joined (k INT, len INT)");
        db.Execute("INSERT INTO big WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8192) SELECT 1, REPEAT('x', 1000), TIMESTAMP '2024-01-01 00:00:01' FROM n");
        db.Execute("INSERT INTO one VALUES (1, TIMESTAMP '2024-01-01 00:00:02'), (1, TIMESTAMP '2024-01-01 00:01:00')");
        Streaming(db);
        db.Execute("""
            INSERT INTO joined SELECT a.k, CHAR_LENGTH(a.s)
            FROM TABLE(TUMBLE(TABLE big, DESCRIPTOR(ts), INTERVAL '10' SECOND)) a
            JOIN TABLE(TUMBLE(TABLE one, DESCRIPTOR(ts), INTERVAL '10' SECOND)) b
            ON a.k = b.k AND a.window_start = b.window_start AND a.window_end = b.window_end
            """);
        db.Execute("INSERT INTO big VALUES (2, 'closes the window', TIMESTAMP '2024-01-01 00:01:00')");
        await db.WaitForJobsAsync();
        Batch(db);
        Assert.Equal([[8192L, 1000]], db.Execute("SELECT count(*), min(len) FROM joined").Rows.ToList());
    }

    /// <summary>Nexmark q5 (two HOP window aggregates joined on window_start/window_end) runs as a window join.</summary>
    [Fact]
    public void Nexmark_q5_is_a_window_join()
    {
        var queries = Path.Combine(Tarn.Tests.SqlLogic.ConformanceRun.RepositoryRoot(AppContext.BaseDirectory), "..", "shared", "nexmark", "queries");
        using var db = TarnDatabase.Open(Path.Combine(Dir, "q5"));
        db.Execute(File.ReadAllText(Path.Combine(queries, "ddl_gen.sql"))
            .Replace("${TPS}", "10000", StringComparison.Ordinal).Replace("${EVENTS_NUM}", "100", StringComparison.Ordinal)
            .Replace("${PERSON_PROPORTION}", "1", StringComparison.Ordinal).Replace("${AUCTION_PROPORTION}", "3", StringComparison.Ordinal)
            .Replace("${BID_PROPORTION}", "46", StringComparison.Ordinal));
        db.Execute(File.ReadAllText(Path.Combine(queries, "ddl_views.sql")).Replace("${NEXMARK_TABLE}", "datagen", StringComparison.Ordinal));
        var text = File.ReadAllText(Path.Combine(queries, "q5.sql"));
        var select = text[text.IndexOf("SELECT AuctionBids.auction", StringComparison.Ordinal)..].TrimEnd().TrimEnd(';');
        Streaming(db);
        var plan = string.Join("\n", db.Execute("EXPLAIN " + select).Rows.Select(r => (string)r[0]!));
        Assert.Matches(@"Join[^\n]* changelogMode=\[I\]\n", plan);
    }

    private static readonly DataType Ts = DataType.Timestamp(3);

    private sealed class Collector : IChangeConsumer
    {
        public List<string> Rows { get; } = [];

        public void Push(ChangeBatch batch)
        {
            for (var r = 0; r < batch.RowCount; r++)
                Rows.Add(string.Join("|", batch.Rows.Columns.Select(c => c.GetValue(r)?.ToString() ?? "NULL")) + " " + batch.KindOf(r));
        }

        public void Watermark(long watermark) { }

        public void Flush() { }

        public void Finish() { }
    }

    /// <summary>(key, window end) with the window end given in seconds.</summary>
    private static ChangeBatch Rows(params (long Key, long EndSeconds)[] rows)
    {
        var k = new PrimitiveVector<long>(DataType.BigInt, rows.Length);
        var end = new PrimitiveVector<long>(Ts, rows.Length);
        foreach (var (key, e) in rows)
        {
            k.Append(key);
            end.Append(e * 1_000_000);
        }
        return new ChangeBatch(new ColumnBatch([k, end], rows.Length));
    }

    private static int StateEntries(StateSession session, int operatorId)
    {
        var prefix = new Tarn.Storage.Format.ByteWriter(8);
        prefix.WriteInt32(operatorId);
        prefix.WriteByte(1); // the rows' namespace
        using var scan = session.ScanPrefix(prefix.WrittenSpan);
        var n = 0;
        while (scan.MoveNext()) n++;
        return n;
    }

    [Fact]
    public void Left_join_fires_at_the_watermark_frees_state_and_counts_late_rows()
    {
        using var store = StateStore.Open(new StateStoreOptions { Directory = Dir });
        using var session = store.NewSession();
        var output = new Collector();
        var state = new StreamStateContext(session).ForNextOperator();
        BoundExpression[] keys = [BoundExpressions.Column(0, DataType.BigInt), BoundExpressions.Column(1, Ts)];
        DataType[] types = [DataType.BigInt, Ts];
        var op = new StreamWindowJoin(LogicalJoinKind.Left, types, types, keys, keys, null, 1, 1,
            [DataType.BigInt, Ts, DataType.BigInt.WithNullable(true), Ts.WithNullable(true)], state, new Tarn.Execution.ExecutionContext(), output);
        op.Left.Push(Rows((1, 10), (2, 10), (1, 20)));
        op.Right.Push(Rows((1, 10), (1, 10), (1, 20)));
        Assert.Equal(3, op.OpenGroups);
        Assert.True(StateEntries(session, state.OperatorId) > 0);
        op.Left.Watermark(9_999);
        Assert.Empty(output.Rows); // the min of the inputs has not moved
        op.Right.Watermark(9_999);
        Assert.Equal(3, output.Rows.Count); // key 1 twice, key 2 padded
        Assert.Single(output.Rows, r => r.Contains("NULL", StringComparison.Ordinal));
        Assert.Equal(1, op.OpenGroups);
        op.Left.Push(Rows((3, 10)));
        op.Right.Push(Rows((3, 10), (3, 30)));
        Assert.Equal(2, op.LateRows);
        op.Left.Watermark(long.MaxValue);
        op.Right.Watermark(long.MaxValue);
        Assert.Equal(4, output.Rows.Count); // + (1, 20) matched; (3, 30) has no left row
        Assert.Equal(0, op.OpenGroups);
        Assert.Equal(0, StateEntries(session, state.OperatorId));
        Assert.All(output.Rows, r => Assert.EndsWith("Insert", r, StringComparison.Ordinal));
    }

    /// <summary>State is complete after Flush: an operator restarted on it fires the same windows, and nothing fires twice.</summary>
    [Fact]
    public void A_restarted_full_join_continues_from_its_flushed_state()
    {
        using var store = StateStore.Open(new StateStoreOptions { Directory = Dir });
        using var session = store.NewSession();
        BoundExpression[] keys = [BoundExpressions.Column(0, DataType.BigInt), BoundExpressions.Column(1, Ts)];
        DataType[] types = [DataType.BigInt, Ts];
        DataType[] outputTypes = [DataType.BigInt.WithNullable(true), Ts.WithNullable(true), DataType.BigInt.WithNullable(true), Ts.WithNullable(true)];
        StreamWindowJoin Start(Collector output) => new(LogicalJoinKind.Full, types, types, keys, keys, null, 1, 1, outputTypes,
            new StreamStateContext(session).ForNextOperator(), new Tarn.Execution.ExecutionContext(), output);
        var first = new Collector();
        var op = Start(first);
        op.Left.Push(Rows((1, 10), (2, 20)));
        op.Right.Push(Rows((1, 10), (3, 20)));
        op.Left.Watermark(15_000);
        op.Right.Watermark(15_000);
        op.Left.Push(Rows((3, 20)));
        op.Left.Flush();
        Assert.Single(first.Rows); // (1, 10) matched
        var second = new Collector();
        var restarted = Start(second);
        restarted.Left.Push(Rows((4, 10))); // the restored watermark makes it late
        Assert.Equal(1, restarted.LateRows);
        restarted.Left.Watermark(long.MaxValue);
        restarted.Right.Watermark(long.MaxValue);
        Assert.Equal(2, second.Rows.Count); // (2, 20) padded, (3, 20) matched
        Assert.Single(second.Rows, r => r.Contains("NULL", StringComparison.Ordinal));
        Assert.Equal(0, restarted.OpenGroups);
    }
}
