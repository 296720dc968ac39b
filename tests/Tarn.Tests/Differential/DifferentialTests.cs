using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Tarn.Tests.Differential;

/// <summary>
/// Differential testing against SQLite and ternary logic partitioning (TLP, as in SQLancer): random schemas, data and
/// queries from a seed; every query's result must equal SQLite's as a multiset. A failure prints the seed, the query
/// number and both SQL texts; <c>TARN_DIFF_SEED=n</c> (and optionally <c>TARN_DIFF_QUERIES=m</c>) reruns one seed.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private const int QueriesPerSeed = 600;
    private const int PartitioningsPerSeed = 200;

    public static TheoryData<int> Seeds()
    {
        var only = Environment.GetEnvironmentVariable("TARN_DIFF_SEED");
        return only is null ? [.. Enumerable.Range(1, 8)] : [int.Parse(only, System.Globalization.CultureInfo.InvariantCulture)];
    }

    private static int Count(int normal)
    {
        var text = Environment.GetEnvironmentVariable("TARN_DIFF_QUERIES");
        return text is null ? normal : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Tarn_agrees_with_sqlite(int seed)
    {
        using var harness = new DifferentialHarness(seed);
        var generator = new QueryGenerator(harness.Random, harness.Tables);
        var failures = new List<string>();
        var queries = Count(QueriesPerSeed);
        var nonEmpty = 0;
        for (var i = 0; i < queries && failures.Count < 5; i++)
        {
            var sql = generator.Next();
            List<object?[]> expected;
            try
            {
                expected = harness.QuerySqlite(sql.Sqlite);
            }
            catch (SqliteException e)
            {
                failures.Add(harness.Report(i, $"the generator made SQL SQLite rejects: {e.Message}", ("SQLite", sql.Sqlite)));
                continue;
            }
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var actual = harness.QueryTarn(sql.Tarn);
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (actual.Count > 0) nonEmpty++;
                if (elapsed.TotalMilliseconds > 250 || Environment.GetEnvironmentVariable("TARN_DIFF_TRACE") is not null)
                    output.WriteLine($"#{i} {actual.Count} rows {elapsed.TotalMilliseconds:F0} ms: {sql.Tarn}");
                var difference = ResultComparer.Difference(expected, actual);
                if (difference is not null)
                    failures.Add(harness.Report(i, difference, ("Tarn", sql.Tarn), ("SQLite", sql.Sqlite)));
            }
            catch (TarnException e)
            {
                failures.Add(harness.Report(i, $"Tarn failed with {e.SqlState}: {e.Message}", ("Tarn", sql.Tarn), ("SQLite", sql.Sqlite)));
            }
        }
        output.WriteLine($"seed {seed}: {queries} queries, {nonEmpty} with rows");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Ternary_logic_partitioning_holds(int seed)
    {
        using var harness = new DifferentialHarness(seed);
        var generator = new QueryGenerator(harness.Random, harness.Tables);
        var failures = new List<string>();
        var count = Count(PartitioningsPerSeed);
        for (var i = 0; i < count && failures.Count < 5; i++)
        {
            var (query, partitioned) = generator.TernaryLogicPartitioning();
            try
            {
                var difference = ResultComparer.Difference(harness.QueryTarn(query), harness.QueryTarn(partitioned));
                if (difference is not null)
                    failures.Add(harness.Report(i, "TLP: " + difference, ("query", query), ("partitioned", partitioned)));
            }
            catch (TarnException e)
            {
                failures.Add(harness.Report(i, $"Tarn failed with {e.SqlState}: {e.Message}", ("query", query), ("partitioned", partitioned)));
            }
        }
        output.WriteLine($"seed {seed}: {count} partitionings");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
