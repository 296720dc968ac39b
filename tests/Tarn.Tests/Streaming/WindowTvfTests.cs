using CsCheck;
using Tarn.Execution;
using Tarn.Execution.WindowTvf;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>The window TVF operators against a brute-force reference, and where the optimizer puts filters around them.</summary>
public sealed class WindowTvfTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-window-tvf-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>Every window [start, end) of the function that holds <paramref name="t"/>, by trying every start (milliseconds).</summary>
    private static List<(long Start, long End)> BruteForce(WindowTvfKind kind, long t, long size, long step, long offset)
    {
        static bool Aligned(long s, long offset, long grid) => ((s - offset) % grid + grid) % grid == 0;
        var windows = new List<(long, long)>();
        switch (kind)
        {
            case WindowTvfKind.Tumble:
                for (var s = t - size + 1; s <= t; s++) if (Aligned(s, offset, size)) windows.Add((s, s + size));
                break;
            case WindowTvfKind.Hop:
                for (var s = t - size + 1; s <= t; s++) if (Aligned(s, offset, step)) windows.Add((s, s + size));
                break;
            default:
                for (var s = t - size + 1; s <= t; s++)
                    if (Aligned(s, offset, size))
                        for (var e = s + step; e <= s + size; e += step)
                            if (e > t) windows.Add((s, e));
                break;
        }
        return windows;
    }

    private static readonly Gen<(WindowTvfKind Kind, long Size, long Step, long Offset)> s_windows =
        Gen.Select(Gen.Int[0, 2], Gen.Long[1, 12], Gen.Long[1, 40], Gen.Long[-50, 50]).Select((k, a, b, offset) =>
        {
            var kind = (WindowTvfKind)k;
            return kind switch
            {
                WindowTvfKind.Tumble => (kind, b, 0L, offset),
                WindowTvfKind.Hop => (kind, b, a, offset),
                _ => (kind, a * (1 + b % 5), a, offset), // CUMULATE: size a multiple of the step
            };
        });

    [Fact]
    public void Assignment_matches_brute_force()
    {
        Gen.Select(s_windows, Gen.Long[-1000, 1000]).Sample(((WindowTvfKind Kind, long Size, long Step, long Offset) w, long t) =>
        {
            var expected = BruteForce(w.Kind, t, w.Size, w.Step, w.Offset).Order().ToList();
            var count = WindowAssignment.Count(w.Kind, t, w.Size, w.Step, w.Offset);
            var actual = Enumerable.Range(0, count).Select(i => WindowAssignment.Window(w.Kind, t, w.Size, w.Step, w.Offset, i)).Order().ToList();
            return expected.SequenceEqual(actual);
        });
    }

    /// <summary>Batches of one TIMESTAMP(3) column (NULL for null) and an INT row number.</summary>
    private sealed class Source(List<long?[]> batches) : IBatchOperator
    {
        private int _next;
        public IReadOnlyList<DataType> OutputTypes { get; } = [DataType.Timestamp(3), DataType.Int];

        public ColumnBatch? Next()
        {
            if (_next >= batches.Count) return null;
            var times = batches[_next++];
            var ts = new PrimitiveVector<long>(OutputTypes[0], times.Length);
            var ids = new PrimitiveVector<int>(OutputTypes[1], times.Length);
            foreach (var t in times)
            {
                if (t is { } ms) ts.Append(ms * 1000); else ts.AppendNull();
                ids.Append(ids.Count);
            }
            return new ColumnBatch([ts, ids], times.Length);
        }

        public void Dispose() { }
    }

    [Fact]
    public void Operator_emits_each_row_once_per_window_in_batches_of_any_size()
    {
        var times = Gen.Long[-300, 300].Select(t => (long?)t).Array[0, 6];
        var nullable = Gen.Frequency((1, Gen.Const((long?)null)), (6, Gen.Long[-300, 300].Select(t => (long?)t))).Array[0, 6];
        Gen.Select(s_windows, Gen.OneOf(times, nullable).List[1, 4], Gen.Int[1, 5]).Sample(((WindowTvfKind Kind, long Size, long Step, long Offset) w, List<long?[]> batches, int batchSize) =>
        {
            var expected = new List<(long, int, long, long)>();
            foreach (var batch in batches)
                for (var r = 0; r < batch.Length; r++)
                    if (batch[r] is { } t)
                        foreach (var (s, e) in BruteForce(w.Kind, t, w.Size, w.Step, w.Offset)) expected.Add((t, r, s, e));

            var input = new Source(batches);
            var node = new LogicalWindowTvf(new LogicalValues([], [new OutputColumn("ts", DataType.Timestamp(3)), new OutputColumn("id", DataType.Int)]),
                w.Kind, 0, w.Size, w.Step, w.Offset, []);
            using var op = new WindowTvfOperator(input, node, new Tarn.Execution.ExecutionContext { BatchSize = batchSize });
            var actual = new List<(long, int, long, long)>();
            while (op.Next() is { } b)
            {
                if (b.RowCount > batchSize || b.ColumnCount != 5) return false;
                var ts = (PrimitiveVector<long>)b[0];
                var ids = (PrimitiveVector<int>)b[1];
                var starts = (PrimitiveVector<long>)b[2];
                var ends = (PrimitiveVector<long>)b[3];
                var windowTimes = (PrimitiveVector<long>)b[4];
                for (var i = 0; i < b.RowCount; i++)
                {
                    if (windowTimes.Values[i] != ends.Values[i] - 1000) return false;
                    actual.Add((ts.Values[i] / 1000, ids.Values[i], starts.Values[i] / 1000, ends.Values[i] / 1000));
                }
            }
            return expected.Order().SequenceEqual(actual.Order());
        });
    }

    /// <summary>The optimized logical plan of <paramref name="sql"/>.</summary>
    private static string Plan(TarnDatabase db, string sql)
    {
        var explain = string.Join("\n", db.Execute("EXPLAIN " + sql).Rows.Select(r => (string)r[0]!));
        var start = explain.IndexOf("== Optimized Logical Plan ==", StringComparison.Ordinal);
        var end = explain.IndexOf("== Physical Plan ==", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, explain);
        return explain[start..end];
    }

    private static int Depth(string plan, string marker)
    {
        var line = plan.Split('\n').First(l => l.Contains(marker, StringComparison.Ordinal));
        return line.Length - line.TrimStart().Length;
    }

    [Fact]
    public async Task Filters_on_input_columns_move_below_the_window_function_and_filters_on_window_columns_stay_above()
    {
        await using var db = await TarnDatabase.OpenAsync(_dir);
        db.Execute("CREATE TABLE bid (bidtime TIMESTAMP(3), price INT, item STRING)");
        var plan = Plan(db, "SELECT item FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)) WHERE price > 3 AND window_start > TIMESTAMP '2020-01-01 00:00:00'");
        var tvf = Depth(plan, "WindowTvf TUMBLE");
        Assert.True(Depth(plan, "> 3") > tvf, plan);
        Assert.True(Depth(plan, "#3 >") < tvf, plan);

        // SESSION: only PARTITION BY columns may be filtered first; other filters would change the sessions
        plan = Plan(db, "SELECT item FROM TABLE(SESSION(TABLE bid PARTITION BY item, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)) WHERE price > 3 AND item = 'x'");
        tvf = Depth(plan, "WindowTvf SESSION");
        Assert.True(Depth(plan, "> 3") < tvf, plan);
        Assert.True(Depth(plan, "'x'") > tvf, plan);
    }

    [Fact]
    public async Task A_tables_watermark_binds_over_its_declared_columns()
    {
        await using var db = await TarnDatabase.OpenAsync(_dir);
        db.Execute("CREATE TABLE src (ts STRING, a INT, rowtime AS TO_TIMESTAMP(ts), proctime AS PROCTIME(), WATERMARK FOR rowtime AS rowtime - INTERVAL '1' SECOND) WITH ('connector' = 'values')");
        db.Execute("CREATE TABLE plain (a INT)");
        var catalog = db.DefaultSession.Core.Catalog;
        var binder = new Tarn.Planner.Binding.Binder(new Tarn.Planner.Binding.BindContext(catalog, "default_catalog", "default_database", null, null, TimeZoneInfo.Utc));

        var watermark = binder.BindWatermark(catalog.FindTable(new Tarn.Catalog.ObjectPath("default_catalog", "default_database", "src"))!);
        Assert.NotNull(watermark);
        Assert.Equal(2, watermark.Column);
        Assert.Equal(TypeKind.Timestamp, watermark.Expression.Type.Kind);
        Assert.Equal([2], watermark.Expression.ReferencedColumns());
        Assert.Null(binder.BindWatermark(catalog.FindTable(new Tarn.Catalog.ObjectPath("default_catalog", "default_database", "plain"))!));
    }

    [Fact]
    public async Task Window_aggregation_results_do_not_depend_on_parallelism()
    {
        const int rows = 150_000; // several 65,536-row groups: the window function runs in each worker's pipeline
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE ev (ts TIMESTAMP(3), k BIGINT, v BIGINT)");
        using (var appender = db.CreateAppender("ev"))
        {
            var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
            for (var i = 0; i < rows; i++)
            {
                if (i % 101 == 0) appender.AppendNull(); else appender.Append(start.AddMilliseconds(i * 7919L % 3_600_000));
                appender.Append((long)(i % 7)).Append((long)i);
                appender.EndRow();
            }
        }
        db.Checkpoint();
        string[] queries =
        [
            "SELECT window_start, window_end, count(*), sum(v) FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) WHERE k <> 3 GROUP BY window_start, window_end ORDER BY window_start",
            "SELECT k, window_start, count(*), max(v) FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' MINUTES, INTERVAL '15' MINUTES)) GROUP BY k, window_start ORDER BY k, window_start",
            "SELECT window_end, count(*) FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' MINUTES, INTERVAL '1' HOUR, INTERVAL '3' MINUTES)) GROUP BY window_end ORDER BY window_end",
        ];
        var session = db.CreateSession();
        foreach (var sql in queries)
        {
            await session.ExecuteAsync("SET 'parallelism' = '1'");
            var single = (await session.ExecuteAsync(sql)).Rows.Select(r => string.Join("|", r)).ToList();
            await session.ExecuteAsync("SET 'parallelism' = '4'");
            var parallel = (await session.ExecuteAsync(sql)).Rows.Select(r => string.Join("|", r)).ToList();
            Assert.True(single.Count > 0, sql);
            Assert.Equal(single, parallel);
        }
        var total = (long)db.Execute("SELECT count(*) FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' MINUTES, INTERVAL '15' MINUTES))").Rows.Single()[0]!;
        Assert.Equal(3L * (rows - (rows + 100) / 101), total); // every row with a time is in size / slide = 3 windows
    }

    [Fact]
    public async Task Session_windows_match_a_brute_force_merge()
    {
        await using var db = await TarnDatabase.OpenAsync(_dir);
        var table = 0;
        var row = Gen.Select(Gen.Int[-1, 2], Gen.Int[-1, 60]); // -1: NULL
        Gen.Select(row.Array[0, 25], Gen.Int[1, 10], Gen.Bool).Sample((rows, gap, partitioned) =>
        {
            var name = $"s{table++}";
            db.Execute($"CREATE TABLE {name} (k INT, ts TIMESTAMP(3))");
            if (rows.Length > 0)
                db.Execute($"INSERT INTO {name} VALUES " + string.Join(", ", rows.Select(r =>
                    $"({(r.Item1 < 0 ? "NULL" : r.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture))}, {(r.Item2 < 0 ? "CAST(NULL AS TIMESTAMP(3))" : $"TIMESTAMP '2020-01-01 00:00:00' + INTERVAL '{r.Item2}' SECOND")})")));

            // Brute force: per partition, each row's [t, t + gap) merges with every window it touches.
            var expected = new List<(int, int, int, int)>();
            foreach (var group in rows.Where(r => r.Item2 >= 0).GroupBy(r => partitioned ? r.Item1 : 0))
            {
                var times = group.Select(r => r.Item2).Order().ToList();
                var windows = new List<(int Start, int End, int Count)>();
                foreach (var t in times)
                {
                    if (windows.Count > 0 && t <= windows[^1].End) windows[^1] = (windows[^1].Start, Math.Max(windows[^1].End, t + gap), windows[^1].Count + 1);
                    else windows.Add((t, t + gap, 1));
                }
                foreach (var r in group)
                {
                    var w = windows.Single(w => r.Item2 >= w.Start && r.Item2 < w.End);
                    expected.Add((r.Item1, r.Item2, w.Start, w.End));
                }
            }

            var sql = $"SELECT k, ts, window_start, window_end, window_time FROM TABLE(SESSION(TABLE {name}{(partitioned ? " PARTITION BY k" : "")}, DESCRIPTOR(ts), INTERVAL '{gap}' SECOND))";
            var epoch = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
            int Seconds(object? v) => (int)((DateTime)v! - epoch).TotalSeconds;
            var actual = new List<(int, int, int, int)>();
            foreach (var r in db.Execute(sql).Rows)
            {
                if ((DateTime)r[4]! != ((DateTime)r[3]!).AddMilliseconds(-1)) return false;
                actual.Add((r[0] is int k ? k : -1, Seconds(r[1]), Seconds(r[2]), Seconds(r[3])));
            }
            db.Execute($"DROP TABLE {name}");
            return expected.Order().SequenceEqual(actual.Order());
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void A_session_continues_across_input_batches()
    {
        Gen.Select(Gen.Long[0, 100].Array[0, 30], Gen.Int[1, 6], Gen.Long[1, 15]).Sample((times, batchSize, gap) =>
        {
            Array.Sort(times);
            var batches = times.Chunk(batchSize).Select(c => c.Select(t => (long?)t).ToArray()).ToList();
            var expected = new List<(long, long, long)>();
            var windows = new List<(long Start, long End)>();
            foreach (var t in times)
            {
                if (windows.Count > 0 && t <= windows[^1].End) windows[^1] = (windows[^1].Start, t + gap);
                else windows.Add((t, t + gap));
            }
            foreach (var t in times) expected.Add((t, windows.Single(w => t >= w.Start && t < w.End).Start, windows.Single(w => t >= w.Start && t < w.End).End));

            var node = new LogicalWindowTvf(new LogicalValues([], [new OutputColumn("ts", DataType.Timestamp(3)), new OutputColumn("id", DataType.Int)]),
                WindowTvfKind.Session, 0, gap, 0, 0, []);
            using var op = new SessionWindowOperator(new Source(batches), node, new Tarn.Execution.ExecutionContext());
            var actual = new List<(long, long, long)>();
            while (op.Next() is { } b)
                for (var i = 0; i < b.RowCount; i++)
                    actual.Add((((PrimitiveVector<long>)b[0]).Values[i] / 1000, ((PrimitiveVector<long>)b[2]).Values[i] / 1000, ((PrimitiveVector<long>)b[3]).Values[i] / 1000));
            return expected.Order().SequenceEqual(actual.Order());
        });
    }
}
