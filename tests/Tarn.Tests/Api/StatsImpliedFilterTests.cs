namespace Tarn.Tests.Api;

/// <summary>
/// Row groups whose statistics prove that every row passes a range filter skip the filter. The answers must equal
/// a row-by-row evaluation, including row groups with NULLs (never skipped) and the partly covered groups at the
/// range's ends.
/// </summary>
public sealed class StatsImpliedFilterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-statsfilter-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Range_filters_over_flushed_row_groups_count_exactly()
    {
        const int rows = 300_000; // several 65,536-row groups
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE m (ts BIGINT, v BIGINT)");
        var ts = new long?[rows];
        using (var appender = db.CreateAppender("m"))
        {
            for (var i = 0; i < rows; i++)
            {
                // Sorted keys; a few NULLs inside the second row group, which must neither count nor be skipped over.
                ts[i] = i is >= 70_000 and < 70_010 ? null : i;
                if (ts[i] is { } t) appender.Append(t); else appender.AppendNull();
                appender.Append((long)(i % 7));
                appender.EndRow();
            }
        }
        db.Checkpoint();
        var session = db.CreateSession();
        foreach (var (low, high) in new[] { (0L, 300_000L), (1_000L, 290_000L), (65_536L, 196_608L), (65_535L, 131_073L), (70_005L, 70_020L), (299_999L, 400_000L), (5L, 5L) })
        {
            long count = 0, sum = 0, sumTs = 0;
            var minTsPerV = new long?[7];
            for (var i = 0; i < rows; i++)
            {
                if (ts[i] is { } t && t >= low && t < high)
                {
                    count++;
                    sum += i % 7;
                    sumTs += t;
                    minTsPerV[i % 7] ??= t;
                }
            }
            // The filter column is not decoded where the filter is skipped unless something above reads it.
            var result = await session.ExecuteAsync($"SELECT count(*), sum(v) FROM m WHERE ts >= {low} AND ts < {high}");
            var row = result.Rows.Single();
            Assert.Equal(count, Convert.ToInt64(row[0]));
            Assert.Equal(count == 0 ? null : (long?)sum, row[1] is null ? null : (long?)Convert.ToInt64(row[1]));
            var withTs = (await session.ExecuteAsync($"SELECT sum(ts), count(*) FROM m WHERE ts >= {low} AND ts < {high}")).Rows.Single();
            Assert.Equal(count == 0 ? null : (long?)sumTs, withTs[0] is null ? null : (long?)Convert.ToInt64(withTs[0]));
            var grouped = await session.ExecuteAsync($"SELECT v, min(t2) FROM (SELECT v, ts + 0 AS t2 FROM m WHERE ts >= {low} AND ts < {high}) GROUP BY v ORDER BY v");
            var expected = Enumerable.Range(0, 7).Where(v => minTsPerV[v] is not null).Select(v => $"{v}:{minTsPerV[v]}");
            Assert.Equal(expected, grouped.Rows.Select(r => $"{r[0]}:{r[1]}"));
        }
        // Equality and IN lists go through the same statistics predicates.
        var eq = (await session.ExecuteAsync("SELECT count(*) FROM m WHERE ts IN (3, 70003, 200000)")).Rows.Single();
        Assert.Equal(2L, Convert.ToInt64(eq[0]));
    }
}
