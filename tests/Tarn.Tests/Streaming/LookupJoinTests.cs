using CsCheck;
using Tarn.Execution.Lookup;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Processing-time lookup joins (FOR SYSTEM_TIME AS OF a PROCTIME() attribute): jobs join each order with the
/// dimension rows current when the order is processed and never revise earlier results; the operator against a
/// nested-loop reference; the PARTIAL and FULL lookup caches under a manual clock; errors.
/// </summary>
public sealed class LookupJoinTests : StreamingTestBase
{
    private static void CreateOrdersAndDim(TarnDatabase db, string dimOptions = "")
    {
        db.Execute("CREATE TABLE orders (id INT, k INT, amount INT, proctime AS PROCTIME())");
        db.Execute($"CREATE TABLE dim (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED){dimOptions}");
        db.Execute("CREATE TABLE sink (id INT, amount INT, name STRING)");
    }

    private const string Join = "INSERT INTO sink SELECT o.id, o.amount, d.name FROM orders AS o JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id";

    private const string LeftJoin = "INSERT INTO sink SELECT o.id, o.amount, d.name FROM orders AS o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id";

    [Fact]
    public async Task Each_order_joins_the_dimension_as_it_was_when_the_order_was_processed()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateOrdersAndDim(db);
        db.Execute("INSERT INTO dim VALUES (1, 'one'), (2, 'two')");
        db.Execute("INSERT INTO orders VALUES (10, 1, 5), (11, 2, 6), (12, 3, 7)");
        Streaming(db);
        db.Execute(Join);
        Batch(db);
        await db.WaitForJobsAsync();
        Assert.Equal("10|5|one\n11|6|two", Sorted(db.Execute("SELECT * FROM sink")));

        // The dimension changes: earlier results stay, later orders see the new rows.
        db.Execute("UPDATE dim SET name = 'ONE' WHERE id = 1");
        db.Execute("INSERT INTO dim VALUES (3, 'three')");
        db.Execute("DELETE FROM dim WHERE id = 2");
        await db.WaitForJobsAsync();
        db.Execute("INSERT INTO orders VALUES (13, 1, 8), (14, 2, 9), (15, 3, 10)");
        await db.WaitForJobsAsync();
        Assert.Equal("10|5|one\n11|6|two\n13|8|ONE\n15|10|three", Sorted(db.Execute("SELECT * FROM sink")));
    }

    [Fact]
    public async Task Left_lookup_join_pads_missing_keys_and_does_not_revise_them_when_the_key_appears()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateOrdersAndDim(db);
        db.Execute("INSERT INTO dim VALUES (1, 'one')");
        db.Execute("INSERT INTO orders VALUES (10, 1, 5), (11, 2, 6), (12, NULL, 7)");
        Streaming(db);
        db.Execute(LeftJoin);
        Batch(db);
        await db.WaitForJobsAsync();
        Assert.Equal("10|5|one\n11|6|NULL\n12|7|NULL", Sorted(db.Execute("SELECT * FROM sink")));

        db.Execute("INSERT INTO dim VALUES (2, 'two')");
        await db.WaitForJobsAsync();
        db.Execute("INSERT INTO orders VALUES (13, 2, 8)");
        await db.WaitForJobsAsync();
        Assert.Equal("10|5|one\n11|6|NULL\n12|7|NULL\n13|8|two", Sorted(db.Execute("SELECT * FROM sink")));
    }

    [Fact]
    public async Task An_updating_probe_side_passes_its_changes_through_joined_with_the_dimension_at_processing_time()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE orders (id INT, k INT, amount INT, proctime AS PROCTIME(), PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("CREATE TABLE dim (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("CREATE TABLE sink (id INT, amount INT, name STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO dim VALUES (1, 'one'), (2, 'two')");
        db.Execute("INSERT INTO orders VALUES (10, 1, 5), (11, 2, 6)");
        Streaming(db);
        db.Execute(LeftJoin);
        Batch(db);
        await db.WaitForJobsAsync();
        Assert.Equal("10|5|one\n11|6|two", Sorted(db.Execute("SELECT * FROM sink")));
        db.Execute("UPDATE dim SET name = 'TWO' WHERE id = 2");
        await db.WaitForJobsAsync();
        // The order moves to key 2 (looked up now: TWO); the other order is deleted.
        db.Execute("UPDATE orders SET k = 2, amount = 7 WHERE id = 10");
        db.Execute("DELETE FROM orders WHERE id = 11");
        await db.WaitForJobsAsync();
        Assert.Equal("10|7|TWO", Sorted(db.Execute("SELECT * FROM sink")));
    }

    [Fact]
    public async Task Partial_cache_serves_cached_keys_stale_until_they_expire_and_loads_new_keys_fresh()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateOrdersAndDim(db, " WITH ('lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '100', 'lookup.partial-cache.expire-after-write' = '1 h')");
        db.Execute("INSERT INTO dim VALUES (1, 'one'), (2, 'two')");
        db.Execute("INSERT INTO orders VALUES (10, 1, 5)");
        Streaming(db);
        db.Execute(Join);
        Batch(db);
        await db.WaitForJobsAsync();
        db.Execute("UPDATE dim SET name = 'ONE' WHERE id = 1");
        db.Execute("UPDATE dim SET name = 'TWO' WHERE id = 2");
        await db.WaitForJobsAsync();
        db.Execute("INSERT INTO orders VALUES (11, 1, 6), (12, 2, 7)");
        await db.WaitForJobsAsync();
        // Key 1 was cached before the update (stale for an hour); key 2 is looked up for the first time.
        Assert.Equal("10|5|one\n11|6|one\n12|7|TWO", Sorted(db.Execute("SELECT * FROM sink")));
    }

    [Fact]
    public async Task Full_cache_joins_the_table_as_loaded_until_the_reload_interval_passes()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateOrdersAndDim(db, " WITH ('lookup.cache' = 'FULL', 'lookup.full-cache.periodic-reload.interval' = '1 h')");
        db.Execute("INSERT INTO dim VALUES (1, 'one')");
        db.Execute("INSERT INTO orders VALUES (10, 1, 5)");
        Streaming(db);
        db.Execute(Join);
        Batch(db);
        await db.WaitForJobsAsync();
        db.Execute("UPDATE dim SET name = 'ONE' WHERE id = 1");
        db.Execute("INSERT INTO dim VALUES (2, 'two')");
        await db.WaitForJobsAsync();
        db.Execute("INSERT INTO orders VALUES (11, 1, 6), (12, 2, 7)");
        await db.WaitForJobsAsync();
        Assert.Equal("10|5|one\n11|6|one", Sorted(db.Execute("SELECT * FROM sink")));
    }

    [Fact]
    public void With_a_static_dimension_the_job_equals_the_batch_answer()
    {
        Gen.Select(Gen.Int[0, 6].Array[0, 30], Gen.Int[0, 6].Array[0, 8]).Sample((orderKeys, dimKeys) =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            using var db = TarnDatabase.Open(dir);
            db.Execute("CREATE TABLE orders (id INT, k INT, amount INT, proctime AS PROCTIME())");
            db.Execute("CREATE TABLE dim (id BIGINT, name STRING, weight INT, PRIMARY KEY (id) NOT ENFORCED)");
            db.Execute("CREATE TABLE inner_sink (id INT, k INT, name STRING, weight INT)");
            db.Execute("CREATE TABLE left_sink (id INT, k INT, name STRING, weight INT)");
            for (var i = 0; i < dimKeys.Length; i++) db.Execute($"INSERT INTO dim VALUES ({dimKeys[i]}, 'n{i}', {i})");
            for (var i = 0; i < orderKeys.Length; i++)
                db.Execute($"INSERT INTO orders VALUES ({i}, {(orderKeys[i] == 6 ? "NULL" : orderKeys[i].ToString(System.Globalization.CultureInfo.InvariantCulture))}, {i % 4})");
            const string inner = "SELECT o.id, o.k, d.name, d.weight FROM orders AS o JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id AND d.weight >= o.amount";
            const string left = "SELECT o.id, o.k, d.name, d.weight FROM orders AS o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON d.id = o.k AND d.weight >= o.amount";
            Streaming(db);
            db.Execute("INSERT INTO inner_sink " + inner);
            db.Execute("INSERT INTO left_sink " + left);
            Batch(db);
            db.WaitForJobsAsync().GetAwaiter().GetResult();
            Assert.Equal(Sorted(db.Execute(inner)), Sorted(db.Execute("SELECT * FROM inner_sink")));
            Assert.Equal(Sorted(db.Execute(left)), Sorted(db.Execute("SELECT * FROM left_sink")));
        }, iter: 8);
    }

    [Fact]
    public void Jobs_reject_dimensions_without_primary_key_non_equality_keys_and_bad_cache_options()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateOrdersAndDim(db);
        db.Execute("CREATE TABLE nokey (id BIGINT, name STRING)");
        db.Execute("CREATE TABLE badcache (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('lookup.cache' = 'FULL', 'lookup.full-cache.periodic-reload.interval' = 'soon')");
        Streaming(db);
        var noKey = Assert.Throws<TarnException>(() => db.Execute("INSERT INTO sink SELECT o.id, o.amount, d.name FROM orders AS o JOIN nokey FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id"));
        Assert.Equal("0A000", noKey.SqlState);
        Assert.Contains("PRIMARY KEY", noKey.Message, StringComparison.Ordinal);
        var inequality = Assert.Throws<TarnException>(() => db.Execute("INSERT INTO sink SELECT o.id, o.amount, d.name FROM orders AS o JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k < d.id"));
        Assert.Equal("0A000", inequality.SqlState);
        Assert.Contains("equality", inequality.Message, StringComparison.Ordinal);
        var badCache = Assert.Throws<TarnException>(() => db.Execute("INSERT INTO sink SELECT o.id, o.amount, d.name FROM orders AS o JOIN badcache FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id"));
        Assert.Equal("22023", badCache.SqlState);
        Assert.Contains("periodic-reload.interval", badCache.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_side_conditions_of_where_are_applied_before_the_lookup()
    {
        using var db = TarnDatabase.Open(Dir);
        CreateOrdersAndDim(db);
        var plan = string.Join("\n", db.Execute("EXPLAIN SELECT o.id, d.name FROM orders AS o JOIN dim FOR SYSTEM_TIME AS OF o.proctime AS d ON o.k = d.id WHERE o.amount > 4 AND d.name <> 'x'")
            .Rows.Select(r => string.Join(" ", r)));
        var lines = plan.Split('\n');
        var join = Array.FindIndex(lines, l => l.Contains("LookupJoin", StringComparison.Ordinal));
        Assert.True(join >= 0, plan);
        Assert.Contains(lines[(join + 1)..], l => l.Contains("Filter", StringComparison.Ordinal) && l.Contains("> 4", StringComparison.Ordinal));
        Assert.Contains(lines[..join], l => l.Contains("Filter", StringComparison.Ordinal) && l.Contains("'x'", StringComparison.Ordinal));
    }

    [Fact]
    public void Cache_options_are_parsed_and_validated()
    {
        static Dictionary<string, string> O(params string[] kv)
        {
            var d = new Dictionary<string, string>();
            for (var i = 0; i < kv.Length; i += 2) d[kv[i]] = kv[i + 1];
            return d;
        }
        Assert.Equal(LookupCacheOptions.NoCache, LookupCacheOptions.Parse(O(), "t"));
        var partial = LookupCacheOptions.Parse(O("lookup.cache", "partial", "lookup.partial-cache.max-rows", "10", "lookup.partial-cache.expire-after-access", "2 min",
            "lookup.partial-cache.cache-missing-key", "false"), "t");
        Assert.Equal(new LookupCacheOptions(LookupCacheMode.Partial, 10, null, TimeSpan.FromMinutes(2), false), partial);
        Assert.Equal(TimeSpan.FromHours(1), LookupCacheOptions.Parse(O("lookup.cache", "FULL"), "t").ReloadInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), LookupCacheOptions.Parse(O("lookup.cache", "FULL", "lookup.full-cache.periodic-reload.interval", "30 s"), "t").ReloadInterval);
        Assert.Equal(new LookupCacheOptions(LookupCacheMode.Partial, 50, TimeSpan.FromSeconds(10)),
            LookupCacheOptions.Parse(O("lookup.cache.max-rows", "50", "lookup.async", "true"), "t"));
        Assert.Equal(new LookupCacheOptions(LookupCacheMode.Partial, 50, TimeSpan.FromMinutes(1), null, false),
            LookupCacheOptions.Parse(O("lookup.cache.max-rows", "50", "lookup.cache.ttl", "1 min", "lookup.cache.caching-missing-key", "false"), "t"));
        Assert.Equal(LookupCacheOptions.NoCache, LookupCacheOptions.Parse(O("lookup.cache.ttl", "1 min"), "t"));
        string[][] bad =
        [
            ["lookup.cache", "SOME"],
            ["lookup.cache", "PARTIAL"],
            ["lookup.cache", "PARTIAL", "lookup.partial-cache.max-rows", "0"],
            ["lookup.cache", "PARTIAL", "lookup.partial-cache.expire-after-write", "-1 s"],
            ["lookup.cache", "PARTIAL", "lookup.partial-cache.max-rows", "5", "lookup.partial-cache.cache-missing-key", "maybe"],
            ["lookup.partial-cache.max-rows", "5"],
            ["lookup.cache", "FULL", "lookup.full-cache.reload-strategy", "TIMED"],
            ["lookup.cache", "NONE", "lookup.full-cache.periodic-reload.interval", "1 h"],
            ["lookup.cache", "NONE", "lookup.partial-cache.max-row", "1"],
            ["lookup.cache.max-rows", "many"],
            ["lookup.async", "sometimes"],
        ];
        foreach (var options in bad)
        {
            var e = Assert.Throws<TarnException>(() => LookupCacheOptions.Parse(O(options), "t"));
            Assert.Equal("22023", e.SqlState);
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A dimension of (id BIGINT, w BIGINT) rows that may repeat ids (as a connector's table may), answering from its current rows.</summary>
    private sealed class FakeSource : ILookupSource
    {
        public List<(long Id, long W)> Rows { get; } = [];
        public int Calls { get; private set; }
        public int KeysAsked { get; private set; }
        public IReadOnlyList<DataType> RowTypes { get; } = [DataType.BigInt, DataType.BigInt];
        public IReadOnlyList<int> KeyColumns { get; } = [0];

        public void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results)
        {
            Calls++;
            KeysAsked += keys.RowCount;
            var all = ScanAll().Single();
            var ids = (PrimitiveVector<long>)keys.Columns[0];
            Assert.Equal(keys.RowCount, encodedKeys.Distinct(Tarn.Execution.Streaming.State.ByteKeyComparer.Instance).Count());
            for (var i = 0; i < keys.RowCount; i++)
            {
                var found = new List<LookupRow>();
                for (var r = 0; r < Rows.Count; r++)
                    if (Rows[r].Id == ids.Values[i]) found.Add(new LookupRow(all, r));
                results[i] = [.. found];
            }
        }

        public IEnumerable<ColumnBatch> ScanAll() =>
            [new ColumnBatch([new PrimitiveVector<long>(DataType.BigInt, [.. Rows.Select(r => r.Id)], Rows.Count), new PrimitiveVector<long>(DataType.BigInt, [.. Rows.Select(r => r.W)], Rows.Count)], Rows.Count)];

        public void Dispose() { }
    }

    private sealed class Collector : IChangeConsumer
    {
        public List<string> Rows { get; } = [];

        public void Push(ChangeBatch batch)
        {
            for (var r = 0; r < batch.RowCount; r++)
                Rows.Add($"{(int)batch.KindOf(r)}:" + string.Join(",", batch.Rows.Columns.Select(c => c.GetValue(r)?.ToString() ?? "N")));
        }

        public void Watermark(long watermark) => Rows.Add($"wm {watermark}");
        public void Flush() { }
        public void Finish() { }
    }

    private static ColumnBatch Probe((long? K, long V)[] rows)
    {
        var k = new PrimitiveVector<long>(DataType.BigInt, [.. rows.Select(r => r.K ?? 0)], rows.Length);
        for (var i = 0; i < rows.Length; i++) if (rows[i].K is null) k.SetNull(i);
        return new ColumnBatch([k, new PrimitiveVector<long>(DataType.BigInt, [.. rows.Select(r => r.V)], rows.Length)], rows.Length);
    }

    private static List<string> Reference((long? K, long V)[] probe, sbyte[] kinds, List<(long Id, long W)> dim, bool residual, bool left)
    {
        var rows = new List<string>();
        for (var r = 0; r < probe.Length; r++)
        {
            var (k, v) = probe[r];
            var key = k?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "N";
            var matched = false;
            foreach (var (id, w) in dim)
            {
                if (k != id || (residual && !(v < w))) continue;
                rows.Add($"{kinds[r]}:{key},{v},{id},{w}");
                matched = true;
            }
            if (!matched && left) rows.Add($"{kinds[r]}:{key},{v},N,N");
        }
        return rows;
    }

    [Fact]
    public void Operator_equals_a_nested_loop_join_with_kinds_nulls_duplicates_and_a_residual()
    {
        var probeRow = Gen.Select(Gen.Int[0, 5], Gen.Long[0, 9]).Select((k, v) => (K: k == 5 ? (long?)null : k, V: v));
        var dimRow = Gen.Select(Gen.Long[0, 4], Gen.Long[0, 9]).Select((id, w) => (Id: id, W: w));
        Gen.Select(probeRow.Array[0, 20].Array[1, 4], dimRow.List[0, 8], Gen.Bool, Gen.Bool, Gen.Int[0, 3].Array[80]).Sample((batches, dim, residual, left, kindPool) =>
        {
            var source = new FakeSource();
            source.Rows.AddRange(dim);
            var output = new Collector();
            BoundExpression? condition = residual
                ? BoundExpressions.Compare(ComparisonOperator.Less, BoundExpressions.Column(1, DataType.BigInt), BoundExpressions.Column(3, DataType.BigInt))
                : null;
            var join = new StreamLookupJoin([BoundExpressions.Column(0, DataType.BigInt)], condition, left, LookupCache.Create(source, LookupCacheOptions.NoCache),
                [DataType.BigInt.WithNullable(true), DataType.BigInt.WithNullable(true)], new Tarn.Execution.ExecutionContext(), output);
            var expected = new List<string>();
            var used = 0;
            foreach (var batch in batches)
            {
                var kinds = new sbyte[batch.Length];
                for (var i = 0; i < kinds.Length; i++) kinds[i] = (sbyte)kindPool[used++ % kindPool.Length];
                join.Push(new ChangeBatch(Probe(batch), kinds));
                expected.AddRange(Reference(batch, kinds, dim, residual, left));
            }
            join.Watermark(42);
            expected.Add("wm 42");
            Assert.Equal(expected, output.Rows);
        });
    }

    [Fact]
    public void Partial_cache_expires_after_write_and_after_access_and_evicts_the_least_recently_used()
    {
        var clock = new ManualClock();
        var source = new FakeSource();
        source.Rows.Add((1, 10));
        source.Rows.Add((2, 20));
        var options = new LookupCacheOptions(LookupCacheMode.Partial, MaxRows: 2, ExpireAfterWrite: TimeSpan.FromMinutes(10), ExpireAfterAccess: TimeSpan.FromMinutes(3));
        var cache = (PartialLookupCache)LookupCache.Create(source, options, clock);
        long W(long key) => Lookup(cache, key) is [var row] ? ((PrimitiveVector<long>)row.Batch.Columns[1]).Values[row.Row] : -1;

        Assert.Equal(10, W(1));
        source.Rows[0] = (1, 11);
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(10, W(1)); // cached, stale
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(10, W(1)); // accessed two minutes ago: still fresh
        clock.Now += TimeSpan.FromMinutes(4);
        Assert.Equal(11, W(1)); // idle for four minutes: expired after access
        for (var i = 0; i < 4; i++)
        {
            clock.Now += TimeSpan.FromMinutes(2);
            source.Rows[0] = (1, 100 + i);
            Assert.Equal(11, W(1)); // kept alive by access ...
        }
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(103, W(1)); // ... until ten minutes after it was written

        // Max rows: the least recently used key goes first; missing keys are cached (cache-missing-key defaults to true).
        Assert.Equal(20, W(2));
        Assert.Equal(-1, W(3));
        Assert.Equal(2, cache.Count);
        var calls = source.Calls;
        Assert.Equal(-1, W(3));
        Assert.Equal(calls, source.Calls);
        source.Rows[0] = (1, 7);
        Assert.Equal(7, W(1)); // key 1 was evicted as least recently used
    }

    [Fact]
    public void Partial_cache_without_missing_keys_asks_again_for_absent_keys()
    {
        var source = new FakeSource();
        var cache = LookupCache.Create(source, new LookupCacheOptions(LookupCacheMode.Partial, MaxRows: 10, CacheMissingKey: false), new ManualClock());
        Assert.Empty(Lookup(cache, 5));
        source.Rows.Add((5, 50));
        Assert.Single(Lookup(cache, 5));
        source.Rows.Clear();
        Assert.Single(Lookup(cache, 5)); // present rows are cached
    }

    [Fact]
    public void Full_cache_loads_once_and_reloads_after_the_interval()
    {
        var clock = new ManualClock();
        var source = new FakeSource();
        source.Rows.Add((1, 10));
        var cache = (FullLookupCache)LookupCache.Create(source, new LookupCacheOptions(LookupCacheMode.Full, ReloadInterval: TimeSpan.FromMinutes(5)), clock);
        Assert.Single(Lookup(cache, 1));
        Assert.Empty(Lookup(cache, 2));
        source.Rows.Add((2, 20));
        clock.Now += TimeSpan.FromMinutes(4);
        Assert.Empty(Lookup(cache, 2));
        Assert.Equal(1, cache.Loads);
        clock.Now += TimeSpan.FromMinutes(1);
        Assert.Single(Lookup(cache, 2));
        Assert.Equal(2, cache.Loads);
        Assert.Equal(0, source.Calls); // a full cache never asks for single keys
    }

    private static LookupRow[] Lookup(LookupCache cache, long key)
    {
        var keys = new ColumnBatch([new PrimitiveVector<long>(DataType.BigInt, [key], 1)], 1);
        var w = new Tarn.Storage.Format.ByteWriter();
        LookupKeyCodec.TryWrite(w, keys, [0], 0);
        var results = new LookupRow[1][];
        cache.Lookup(keys, [w.ToArray()], results);
        return results[0];
    }
}
