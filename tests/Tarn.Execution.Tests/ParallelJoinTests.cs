using CsCheck;
using Tarn.Execution.Joins;
using Tarn.Execution.Operators;
using Tarn.Execution.Parallel;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

/// <summary>
/// Hash joins probed inside parallel pipelines (<see cref="SharedHashJoin"/> stages of a <see cref="JoinPipelineSource"/>)
/// against the serial <see cref="HashJoinOperator"/> on the same rows, compared as multisets: duplicate and unique
/// build keys, NULL keys, empty sides, residual conditions, several workers, and build sides that outgrow the memory
/// limit (the pipeline then falls back to one serial, spilling join).
/// </summary>
public sealed class ParallelJoinTests : IDisposable
{
    // both sides: BIGINT key, STRING key, INT payload (the residual compares the payloads)
    private static readonly DataType[] s_side = [DataType.BigInt, DataType.String, DataType.Int];
    private const int Width = 3;
    private static readonly JoinKind[] s_kinds = [JoinKind.Inner, JoinKind.Left, JoinKind.Semi, JoinKind.Anti, JoinKind.Mark, JoinKind.Single];
    private static readonly string[] s_strings = ["a", "b", "", "é", "long string value!", "c", "d", "e"];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-pjoin-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private sealed record Case(List<object?[]> Left, List<object?[]> Right, JoinKind Kind, int Key, bool Residual,
        int PerMorsel, int RightBatch, int Workers, int BatchSize, long MemoryLimit)
    {
        public override string ToString() =>
            $"{Kind} on #{Key} residual={Residual} left={Left.Count} right={Right.Count} perMorsel={PerMorsel} rightBatch={RightBatch} workers={Workers} batch={BatchSize} limit={MemoryLimit}";
    }

    private static List<object?[]> Rows(Random rnd, int count, int distinct, int nullPercent, bool unique)
    {
        var rows = new List<object?[]>();
        for (var i = 0; i < count; i++)
        {
            bool Null() => rnd.Next(100) < nullPercent;
            var key = unique ? i : rnd.Next(distinct);
            rows.Add(
            [
                Null() ? null : key * 1_000_000_007L,
                Null() ? null : unique ? "k" + i : s_strings[key % s_strings.Length],
                Null() ? null : rnd.Next(10),
            ]);
        }
        return rows;
    }

    private static Case Generate(int seed)
    {
        var rnd = new Random(seed);
        var distinct = rnd.Next(1, 12);
        var nulls = rnd.Next(4) == 0 ? 0 : rnd.Next(5, 30);
        var left = Rows(rnd, rnd.Next(6) == 0 ? rnd.Next(3) : rnd.Next(1, 300), distinct, nulls, unique: false);
        var right = Rows(rnd, rnd.Next(6) == 0 ? rnd.Next(3) : rnd.Next(1, 100), distinct, nulls, unique: rnd.Next(2) == 0);
        var limit = rnd.Next(4) == 0 ? rnd.Next(1, 8) * 1024L : 1L << 34;
        return new Case(left, right, s_kinds[rnd.Next(s_kinds.Length)], rnd.Next(2), rnd.Next(3) == 0,
            rnd.Next(1, 80), rnd.Next(1, 40), rnd.Next(1, 5), rnd.Next(1, 64), limit);
    }

    private ExecutionContext Context(Case c, int workers) => new()
    {
        Parallelism = workers,
        MemoryLimitBytes = c.MemoryLimit,
        BatchSize = c.BatchSize,
        SpillDirectory = _dir,
        QueryStart = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero),
    };

    private static BoundExpression[] Keys(Case c) => [BoundExpressions.Column(c.Key, s_side[c.Key])];

    private static BoundExpression? Residual(Case c) => c.Residual
        ? BoundExpressions.Compare(ComparisonOperator.Less, BoundExpressions.Column(2, s_side[2]), BoundExpressions.Column(Width + 2, s_side[2]))
        : null;

    private static List<Func<IBatchOperator>> RowGroups(List<object?[]> rows, int perMorsel)
    {
        var groups = new List<Func<IBatchOperator>>();
        for (var start = 0; start < rows.Count; start += perMorsel)
        {
            var chunk = rows.GetRange(start, Math.Min(perMorsel, rows.Count - start));
            groups.Add(() => TestData.Source(s_side, chunk, perMorsel));
        }
        return groups;
    }

    /// <summary>The output rows, or the SQLSTATE of the failure.</summary>
    private static (List<string> Rows, string? Error) Run(Func<IBatchOperator> create, ExecutionContext context)
    {
        try
        {
            // Drain disposes the operator
            var rows = TestData.Drain(create()).Select(TestData.Show).Order(StringComparer.Ordinal).ToList();
            return (rows, null);
        }
        catch (TarnException e)
        {
            return ([], e.SqlState);
        }
        finally
        {
            Assert.Equal(0, context.Memory.Used);
        }
    }

    private (List<string> Rows, string? Error) Serial(Case c)
    {
        var context = Context(c, 1);
        return Run(() => new HashJoinOperator(TestData.Source(s_side, c.Left, c.PerMorsel), TestData.Source(s_side, c.Right, c.RightBatch),
            c.Kind, Keys(c), Keys(c), Residual(c), context), context);
    }

    private (List<string> Rows, string? Error) Parallel(Case c)
    {
        var context = Context(c, c.Workers);
        return Run(() =>
        {
            var join = new SharedHashJoin(c.Kind, s_side, TestData.Source(s_side, c.Right, c.RightBatch), Keys(c), Keys(c), Residual(c), context, null);
            var source = new JoinPipelineSource(RowGroups(c.Left, c.PerMorsel), s_side, join.Probe, [join]);
            return new Owning(new ParallelGatherOperator(source, join.OutputTypes, context), source);
        }, context);
    }

    /// <summary>An operator that also disposes the pipeline source it reads (as the planner does after the query).</summary>
    private sealed class Owning(IBatchOperator op, IDisposable owned) : IBatchOperator
    {
        public IReadOnlyList<DataType> OutputTypes => op.OutputTypes;
        public ColumnBatch? Next() => op.Next();

        public void Dispose()
        {
            op.Dispose();
            owned.Dispose();
        }
    }

    [Fact]
    public void Parallel_probe_matches_the_serial_join()
    {
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed);
            var expected = Serial(c);
            var actual = Parallel(c);
            Assert.True(expected.Error == actual.Error, $"{c}: serial error {expected.Error}, parallel error {actual.Error}");
            Assert.True(expected.Rows.SequenceEqual(actual.Rows),
                $"{c}\nexpected ({expected.Rows.Count}):\n{string.Join("\n", expected.Rows)}\nactual ({actual.Rows.Count}):\n{string.Join("\n", actual.Rows)}");
        }, iter: PropertySettings.Iter(400), threads: 1);
    }

    [Fact]
    public void Aggregating_probes_that_reuse_their_output_arrays_match_the_serial_join()
    {
        // as the planner runs them: probes feeding a parallel aggregation, build columns gathered into reused arrays
        Gen.Int.Sample(seed =>
        {
            var c = Generate(seed) with { MemoryLimit = 1L << 34 };
            var rnd = new Random(seed);
            c = c with { Kind = rnd.Next(3) == 0 ? JoinKind.Left : JoinKind.Inner, Residual = rnd.Next(4) == 0 };
            var serialContext = Context(c, 1);
            var serialJoin = new HashJoinOperator(TestData.Source(s_side, c.Left, c.PerMorsel), TestData.Source(s_side, c.Right, c.RightBatch),
                c.Kind, Keys(c), Keys(c), Residual(c), serialContext);
            BoundExpression[] keys = [BoundExpressions.Column(Width + 2, serialJoin.OutputTypes[Width + 2])];
            AggregateCall[] aggregates = [BoundExpressions.Aggregate(AggregateKind.CountStar, null), BoundExpressions.Aggregate(AggregateKind.Sum, BoundExpressions.Column(2, serialJoin.OutputTypes[2]))];
            var expected = Run(() => new HashAggregateOperator(serialJoin, keys, aggregates, serialContext), serialContext);
            var context = Context(c, c.Workers);
            var actual = Run(() =>
            {
                var join = new SharedHashJoin(c.Kind, s_side, TestData.Source(s_side, c.Right, c.RightBatch), Keys(c), Keys(c), Residual(c), context, null)
                {
                    ReuseOutputArrays = true,
                };
                var source = new JoinPipelineSource(RowGroups(c.Left, c.PerMorsel), s_side, join.Probe, [join]);
                return new Owning(new ParallelHashAggregateOperator(source, keys, aggregates, context), source);
            }, context);
            Assert.Null(expected.Error);
            Assert.True(expected.Rows.SequenceEqual(actual.Rows), $"{c}\nexpected:\n{string.Join("\n", expected.Rows)}\nactual:\n{string.Join("\n", actual.Rows)}");
        }, iter: PropertySettings.Iter(200), threads: 1);
    }

    [Fact]
    public void Output_types_are_those_of_the_serial_join()
    {
        foreach (var kind in s_kinds)
        {
            var c = Generate(1) with { Kind = kind };
            var context = Context(c, 1);
            using var serial = new HashJoinOperator(TestData.Source(s_side, [], 1), TestData.Source(s_side, [], 1), kind, Keys(c), Keys(c), null, context);
            using var shared = new SharedHashJoin(kind, s_side, TestData.Source(s_side, [], 1), Keys(c), Keys(c), null, context, null);
            Assert.Equal(serial.OutputTypes, shared.OutputTypes);
        }
    }

    [Fact]
    public void Right_and_full_joins_are_not_probed_in_parallel()
    {
        Assert.False(SharedHashJoin.Supports(JoinKind.Right));
        Assert.False(SharedHashJoin.Supports(JoinKind.Full));
        var context = TestData.Context();
        Assert.Throws<ArgumentException>(() => new SharedHashJoin(JoinKind.Full, s_side, TestData.Source(s_side, [], 1),
            [BoundExpressions.Column(0, DataType.BigInt)], [BoundExpressions.Column(0, DataType.BigInt)], null, context, null));
    }

    [Fact]
    public void A_build_side_beyond_the_memory_limit_joins_serially_with_spilling()
    {
        var right = Enumerable.Range(0, 3000).Select(i => new object?[] { (long)(i % 1000), "value " + i, i / 7 % 10 }).ToList();
        var left = Enumerable.Range(0, 2000).Select(i => new object?[] { i % 3 == 0 ? null : (long)(i % 1200), "o" + i, i % 10 }).ToList();
        var c = new Case(left, right, JoinKind.Inner, 0, true, 300, 256, 3, 512, 32 * 1024);
        var context = Context(c, c.Workers);
        var join = new SharedHashJoin(c.Kind, s_side, TestData.Source(s_side, right, c.RightBatch), Keys(c), Keys(c), Residual(c), context, null);
        var source = new JoinPipelineSource(RowGroups(left, c.PerMorsel), s_side, join.Probe, [join]);
        var rows = TestData.Drain(new ParallelGatherOperator(source, join.OutputTypes, context)).Select(TestData.Show).Order(StringComparer.Ordinal).ToList();
        Assert.False(source.AllBuildsFit);
        source.Dispose();
        Assert.Equal(0, context.Memory.Used);
        Assert.Equal(Serial(c with { MemoryLimit = 1L << 34 }).Rows, rows);
        Assert.NotEmpty(rows);
    }

    [Fact]
    public void Unique_keys_join_whole_row_groups_in_one_batch()
    {
        // a foreign key into a key: each 5,000-row morsel comes out as one batch although the batch size is 1,000
        var right = Enumerable.Range(0, 100).Select(i => new object?[] { (long)i, "u" + i, i % 7 }).ToList();
        var left = Enumerable.Range(0, 20_000).Select(i => new object?[] { (long)(i % 100), "o" + i, i }).ToList();
        var context = TestData.Context(parallelism: 2, batchSize: 1000);
        var join = new SharedHashJoin(JoinKind.Inner, s_side, TestData.Source(s_side, right, 64), [BoundExpressions.Column(0, DataType.BigInt)],
            [BoundExpressions.Column(0, DataType.BigInt)], null, context, null);
        using var source = new JoinPipelineSource(RowGroups(left, 5000), s_side, join.Probe, [join]);
        using var gather = new ParallelGatherOperator(source, join.OutputTypes, context);
        Assert.Null(source.AllBuildsFit);
        var batches = 0;
        long sum = 0;
        while (gather.Next() is { } batch)
        {
            batches++;
            Assert.Equal(5000, batch.RowCount);
            foreach (var row in TestData.Rows(batch)) sum += (long)row[0]! - (long)row[3]!;
        }
        Assert.Equal(4, batches);
        Assert.True(source.AllBuildsFit);
        Assert.Equal(0, sum);
    }
}
