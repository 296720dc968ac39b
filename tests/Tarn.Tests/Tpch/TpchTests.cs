namespace Tarn.Tests.Tpch;

/// <summary>
/// The 22 TPC-H queries at scale factor 0.01 against the official answers (loaded once per class through the
/// filesystem connector).
/// </summary>
public sealed class TpchTests(TpchFixture tpch) : IClassFixture<TpchFixture>
{
    /// <summary>All 22 queries must match their answers.</summary>
    public static TheoryData<int> Queries => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Query_matches_the_answer(int q)
    {
        var result = await tpch.Db.ExecuteAsync(TpchData.QueryText(q));
        TpchAnswer.AssertMatches(q, result);
    }

    [Fact]
    public async Task Every_table_is_loaded_completely()
    {
        foreach (var (table, _) in TpchData.Tables)
        {
            var lines = File.ReadLines(Path.Combine(TpchData.DataDir(), table + ".tbl")).LongCount();
            Assert.Equal([lines], await tpch.Db.QueryAsync<long>($"SELECT count(*) FROM {table}"));
        }
    }
}
