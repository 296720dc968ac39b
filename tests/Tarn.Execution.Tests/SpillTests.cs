using CsCheck;
using Tarn.Execution.Operators;
using Tarn.Execution.Parallel;
using Tarn.Execution.Spilling;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

/// <summary>
/// Sort, hash join and hash aggregation under a memory limit small enough to force spilling give the same rows as in
/// memory; spill files are checksummed and removed; what cannot spill fails with 53200; cancellation is 57014.
/// </summary>
public sealed class SpillTests : IDisposable
{
    private static readonly DataType[] s_schema = [DataType.String, DataType.Int, DataType.BigInt, DataType.Double, DataType.Decimal(30, 2), DataType.Boolean];
    private static readonly string[] s_strings = ["", "a", "ab", "abcdefgh", "abcdefghij", "b", "é", "zz"];
    private static readonly double[] s_doubles = [0.0, 1.5, -1.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -7];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-spill-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private ExecutionContext Spilling(long limit, int batchSize = 8192, int parallelism = 1, CancellationToken cancellation = default) => new()
    {
        Parallelism = parallelism,
        MemoryLimitBytes = limit,
        BatchSize = batchSize,
        SpillDirectory = _dir,
        Cancellation = cancellation,
        QueryStart = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero),
    };

    private void AssertNoSpillFiles() =>
        Assert.True(!Directory.Exists(_dir) || Directory.GetFiles(_dir).Length == 0, "spill files are left behind");

    private static List<object?[]> Rows(Random rnd, int count, int distinct)
    {
        bool Chance(int p) => rnd.Next(100) < p;
        var rows = new List<object?[]>(count);
        for (var i = 0; i < count; i++)
        {
            var k = rnd.Next(distinct);
            rows.Add(
            [
                Chance(5) ? null : s_strings[k % s_strings.Length] + (k / s_strings.Length),
                Chance(5) ? null : k,
                Chance(10) ? null : (long)rnd.Next(-1000, 1000),
                Chance(10) ? null : s_doubles[rnd.Next(s_doubles.Length)],
                Chance(10) ? null : (Int128)rnd.Next(-100_000, 100_000),
                Chance(10) ? null : Chance(50),
            ]);
        }
        return rows;
    }

    private static BoundColumnRef Col(int i) => BoundExpressions.Column(i, s_schema[i]);

    private static string Key(object?[] row, int keys) => TestData.Show(row[..keys]);

    private static void AssertSameGroups(List<object?[]> expected, List<object?[]> actual, int keys, string context)
    {
        Assert.True(expected.Count == actual.Count, $"{context}: expected {expected.Count} groups, got {actual.Count}");
        var e = expected.OrderBy(r => Key(r, keys), StringComparer.Ordinal).ToList();
        var a = actual.OrderBy(r => Key(r, keys), StringComparer.Ordinal).ToList();
        for (var i = 0; i < e.Count; i++)
            Assert.True(TestData.SameRow(e[i], a[i], 1e-9), $"{context}: expected {TestData.Show(e[i])}, got {TestData.Show(a[i])}");
    }

    private static void AssertSameMultiset(List<object?[]> expected, List<object?[]> actual, string context)
    {
        var e = expected.Select(TestData.Show).Order(StringComparer.Ordinal).ToList();
        var a = actual.Select(TestData.Show).Order(StringComparer.Ordinal).ToList();
        Assert.True(e.Count == a.Count, $"{context}: expected {e.Count} rows, got {a.Count}");
        Assert.True(e.SequenceEqual(a), context);
    }

    [Fact]
    public void Spilled_aggregation_equals_in_memory_aggregation()
    {
        var spilled = 0;
        Gen.Select(Gen.Int, Gen.Int[1, 4000], Gen.Int[3, 700], Gen.Bool).Sample((seed, distinct, batchSize, parallel) =>
        {
            var rnd = new Random(seed);
            var rows = Rows(rnd, 3000, distinct);
            List<BoundExpression> keys = rnd.Next(3) switch { 0 => [Col(0)], 1 => [Col(1)], _ => [Col(1), Col(5)] };
            List<AggregateCall> aggregates =
            [
                BoundExpressions.Aggregate(AggregateKind.CountStar, null),
                BoundExpressions.Aggregate(AggregateKind.Sum, Col(2)),
                BoundExpressions.Aggregate(AggregateKind.Avg, Col(4)),
                BoundExpressions.Aggregate(AggregateKind.Max, Col(0)),
                BoundExpressions.Aggregate(AggregateKind.Min, Col(3), filter: Col(5)),
                BoundExpressions.Aggregate(AggregateKind.Count, Col(2), distinct: rnd.Next(2) == 0),
            ];
            var expected = TestData.Drain(new HashAggregateOperator(TestData.Source(s_schema, rows, batchSize), keys, aggregates, TestData.Context()));
            IBatchOperator op;
            var context = Spilling(96 * 1024, batchSize: 500, parallelism: parallel ? 3 : 1);
            if (parallel)
            {
                var morsels = TestData.Batches(s_schema, rows, batchSize).Select(b => (Func<IBatchOperator>)(() => new InMemoryOperator(s_schema, [b]))).ToList();
                op = new ParallelHashAggregateOperator(new ListMorselSource(morsels), keys, aggregates, context);
            }
            else op = new HashAggregateOperator(TestData.Source(s_schema, rows, batchSize, dictionaryStrings: rnd.Next(2) == 0), keys, aggregates, context);
            var actual = TestData.Drain(op);
            spilled += op is HashAggregateOperator h ? h.SpilledPartitions : ((ParallelHashAggregateOperator)op).SpilledPartitions;
            AssertSameGroups(expected, actual, keys.Count, $"seed {seed}, {distinct} groups, batches of {batchSize}, parallel={parallel}");
            Assert.Equal(0, context.Memory.Used);
            AssertNoSpillFiles();
        }, iter: PropertySettings.Iter(25), threads: 1);
        Assert.True(spilled > 0, "no case spilled");
    }

    private static readonly DataType[] s_side = [DataType.BigInt, DataType.String, DataType.Int];

    private static List<object?[]> JoinRows(Random rnd, int count, int distinct) =>
        [.. Enumerable.Range(0, count).Select(_ => new object?[]
        {
            rnd.Next(100) < 5 ? null : (long)rnd.Next(distinct),
            rnd.Next(100) < 5 ? null : s_strings[rnd.Next(s_strings.Length)] + rnd.Next(3),
            rnd.Next(10),
        })];

    [Fact]
    public void Grace_hash_join_equals_in_memory_join()
    {
        var spilled = 0;
        Gen.Select(Gen.Int, Gen.Int[0, 5], Gen.Int[60, 3000], Gen.Bool).Sample((seed, kind, distinct, residual) =>
        {
            var rnd = new Random(seed);
            var left = JoinRows(rnd, rnd.Next(0, 2500), distinct);
            var right = JoinRows(rnd, rnd.Next(1500, 4000), distinct);
            var dictionary = rnd.Next(2) == 0;
            var keyColumns = rnd.Next(2) == 0 ? new[] { 0 } : [0, 1];
            HashJoinOperator Join(ExecutionContext context) => new(
                TestData.Source(s_side, left, 300, dictionary), TestData.Source(s_side, right, 200, dictionary), (JoinKind)kind,
                [.. keyColumns.Select(k => BoundExpressions.Column(k, s_side[k]))],
                [.. keyColumns.Select(k => BoundExpressions.Column(k, s_side[k]))],
                residual ? BoundExpressions.Compare(ComparisonOperator.Less, BoundExpressions.Column(2, DataType.Int), BoundExpressions.Column(5, DataType.Int)) : null,
                context);
            var expected = TestData.Drain(Join(TestData.Context()));
            var context = Spilling(64 * 1024, batchSize: 1000);
            var op = Join(context);
            var actual = TestData.Drain(op);
            spilled += op.SpilledPartitions;
            AssertSameMultiset(expected, actual, $"seed {seed}, {(JoinKind)kind}, {distinct} keys, residual={residual}");
            Assert.Equal(0, context.Memory.Used);
            AssertNoSpillFiles();
        }, iter: PropertySettings.Iter(30), threads: 1);
        Assert.True(spilled > 0, "no case spilled");
    }

    private static object? Normalized(object? v) => v is double d && d == 0 ? 0.0 : v;

    [Fact]
    public void External_sort_gives_the_in_memory_order()
    {
        var runs = 0;
        Gen.Select(Gen.Int, Gen.Int[0, 6000], Gen.Int[1, 900]).Sample((seed, count, batchSize) =>
        {
            var rnd = new Random(seed);
            var rows = Rows(rnd, count, rnd.Next(1, 50));
            var keys = Enumerable.Range(0, s_schema.Length).OrderBy(_ => rnd.Next()).Take(rnd.Next(1, 4))
                .Select(c => new BoundSortKey(c == 1 && rnd.Next(3) == 0 ? BoundExpressions.Arithmetic(ArithmeticOperator.Modulo, Col(1), BoundLiteral.Of(3)) : Col(c),
                    rnd.Next(2) == 0, rnd.Next(3) switch { 0 => null, 1 => true, _ => false }))
                .ToList();
            var expected = TestData.Drain(new SortOperator(TestData.Source(s_schema, rows, batchSize), keys, TestData.Context(batchSize: 333)));
            var context = Spilling(48 * 1024, batchSize: 333);
            var op = new SortOperator(TestData.Source(s_schema, rows, batchSize, dictionaryStrings: rnd.Next(2) == 0), keys, context);
            var actual = TestData.Drain(op);
            runs += op.SpilledRuns;
            AssertSameMultiset(expected, actual, $"seed {seed}");
            // ties may come out in another order: compare the sequence of sort key values
            string KeyText(object?[] row) => string.Join("|", keys.Select(k => TestData.Show(Normalized(k.Expression is BoundColumnRef c ? row[c.Index] : row[1] is int i ? i % 3 : null))));
            Assert.Equal(expected.Select(KeyText), actual.Select(KeyText));
            Assert.Equal(0, context.Memory.Used);
            AssertNoSpillFiles();
        }, iter: PropertySettings.Iter(30), threads: 1);
        Assert.True(runs > SortOperator.MergeFanIn, "no case needed a multi-pass merge");
    }

    [Fact]
    public void Spill_files_round_trip_every_type()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 500], Gen.Bool).Sample((seed, count, dictionary) =>
        {
            var rows = Rows(new Random(seed), count, 40);
            var batches = TestData.Batches(s_schema, rows, 97, dictionary);
            using var file = new SpillFile(_dir, s_schema);
            foreach (var b in batches) file.Write(b);
            var back = file.Read().SelectMany(TestData.Rows).ToList();
            Assert.Equal(rows.Select(TestData.Show), back.Select(TestData.Show));
            Assert.Equal(rows.Count, file.RowCount);
        }, iter: PropertySettings.Iter(50));
        AssertNoSpillFiles();
    }

    [Fact]
    public void Corrupt_or_truncated_spill_file_is_data_corrupted()
    {
        var rows = Rows(new Random(7), 200, 10);
        foreach (var damage in new[] { "flip", "truncate" })
        {
            using var file = new SpillFile(_dir, s_schema);
            foreach (var b in TestData.Batches(s_schema, rows, 64)) file.Write(b);
            Assert.Equal(rows.Count, file.Read().Sum(b => b.RowCount));
            using (var raw = new FileStream(file.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
            {
                if (damage == "flip")
                {
                    raw.Position = raw.Length / 2;
                    var b = raw.ReadByte();
                    raw.Position = raw.Length / 2;
                    raw.WriteByte((byte)(b ^ 0x10));
                }
                else raw.SetLength(raw.Length - 5);
            }
            var ex = Assert.Throws<TarnException>(() => file.Read().Sum(b => b.RowCount));
            Assert.Equal(SqlStates.DataCorrupted, ex.SqlState);
            Assert.Contains("spill file", ex.Message, StringComparison.Ordinal);
        }
        AssertNoSpillFiles();
    }

    [Fact]
    public void Join_key_too_skewed_to_split_fails_with_53200_and_cleans_up()
    {
        var right = Enumerable.Range(0, 20_000).Select(i => new object?[] { 1L, "same key " + i, i }).ToList();
        var left = Enumerable.Range(0, 10).Select(i => new object?[] { 1L, "x", i }).ToList();
        var context = Spilling(64 * 1024, batchSize: 1000);
        var op = new HashJoinOperator(TestData.Source(s_side, left, 100), TestData.Source(s_side, right, 500), JoinKind.Inner,
            [BoundExpressions.Column(0, DataType.BigInt)], [BoundExpressions.Column(0, DataType.BigInt)], null, context);
        var ex = Assert.Throws<TarnException>(() => TestData.Drain(op));
        Assert.Equal(SqlStates.OutOfMemory, ex.SqlState);
        Assert.Contains("even after spilling", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, context.Memory.Used);
        AssertNoSpillFiles();
    }

    [Fact]
    public void Operators_that_cannot_spill_still_fail_with_53200()
    {
        var right = Enumerable.Range(0, 20_000).Select(i => new object?[] { (long)i, "row " + i, i }).ToList();
        var context = Spilling(64 * 1024);
        var op = new NestedLoopJoinOperator(TestData.Source(s_side, [[1L, "a", 1]]), TestData.Source(s_side, right, 500), JoinKind.Inner, null, context);
        Assert.Equal(SqlStates.OutOfMemory, Assert.Throws<TarnException>(() => TestData.Drain(op)).SqlState);
        Assert.Equal(0, context.Memory.Used);
    }

    [Fact]
    public async Task Canceled_cross_join_stops_with_57014_and_releases_everything()
    {
        var side = Enumerable.Range(0, 5000).Select(i => new object?[] { (long)i, "v", i }).ToList();
        using var cancel = new CancellationTokenSource();
        var context = Spilling(1L << 30, cancellation: cancel.Token);
        var join = new NestedLoopJoinOperator(TestData.Source(s_side, side), TestData.Source(s_side, side), JoinKind.Inner, null, context);
        var sort = new SortOperator(join, [new BoundSortKey(BoundExpressions.Column(2, DataType.Int))], context);
        var canceler = Task.Run(async () =>
        {
            while (context.Memory.Used == 0) await Task.Delay(5);
            await cancel.CancelAsync();
        });
        var ex = Assert.Throws<TarnException>(() => TestData.Drain(sort));
        await canceler;
        Assert.Equal(SqlStates.QueryCanceled, ex.SqlState);
        Assert.Equal("canceling statement due to user request", ex.Message);
        Assert.Equal(0, context.Memory.Used);
        AssertNoSpillFiles();
    }

    [Fact]
    public void Timeout_is_reported_as_statement_timeout()
    {
        using var timeout = new CancellationTokenSource();
        timeout.Cancel();
        var context = new ExecutionContext { Cancellation = timeout.Token, Timeout = timeout.Token };
        var ex = Assert.Throws<TarnException>(context.ThrowIfCanceled);
        Assert.Equal(SqlStates.QueryCanceled, ex.SqlState);
        Assert.Equal("canceling statement due to statement timeout", ex.Message);
    }
}
