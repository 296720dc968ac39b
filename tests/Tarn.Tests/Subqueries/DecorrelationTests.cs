namespace Tarn.Tests.Subqueries;

/// <summary>
/// The subquery shapes of TPC-H (and the common EXISTS / IN / scalar-aggregate forms) must be decorrelated into
/// joins: no per-row apply may remain in the optimized plan. Results are checked by the sqllogictests under
/// sql/subquery; this guards the plans.
/// </summary>
public sealed class DecorrelationTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-subq-" + Guid.NewGuid().ToString("N")[..10]);
    private TarnDatabase? _db;

    public async Task InitializeAsync()
    {
        _db = await TarnDatabase.OpenAsync(_dir);
        await _db.ExecuteAsync("CREATE TABLE part (p_partkey INT, p_brand STRING, p_size INT)");
        await _db.ExecuteAsync("CREATE TABLE partsupp (ps_partkey INT, ps_suppkey INT, ps_availqty INT, ps_supplycost DECIMAL(15,2))");
        await _db.ExecuteAsync("CREATE TABLE supplier (s_suppkey INT, s_comment STRING)");
        await _db.ExecuteAsync("CREATE TABLE lineitem (l_orderkey INT, l_partkey INT, l_suppkey INT, l_quantity DECIMAL(15,2), l_commitdate DATE, l_receiptdate DATE)");
        await _db.ExecuteAsync("CREATE TABLE orders (o_orderkey INT, o_custkey INT)");
        await _db.ExecuteAsync("CREATE TABLE customer (c_custkey INT, c_acctbal DECIMAL(15,2))");
    }

    public async Task DisposeAsync()
    {
        if (_db is not null) await _db.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Theory]
    [InlineData("SELECT p_partkey FROM part, partsupp WHERE p_partkey = ps_partkey AND ps_supplycost = (SELECT min(ps_supplycost) FROM partsupp, supplier WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey)")]
    [InlineData("SELECT o_orderkey FROM orders WHERE EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate)")]
    [InlineData("SELECT p_brand, count(DISTINCT ps_suppkey) FROM partsupp, part WHERE p_partkey = ps_partkey AND ps_suppkey NOT IN (SELECT s_suppkey FROM supplier WHERE s_comment LIKE '%Complaints%') GROUP BY p_brand")]
    [InlineData("SELECT sum(l_quantity) FROM lineitem, part WHERE p_partkey = l_partkey AND l_quantity < (SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)")]
    [InlineData("SELECT o_orderkey FROM orders WHERE o_orderkey IN (SELECT l_orderkey FROM lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 300)")]
    [InlineData("SELECT s_suppkey FROM supplier WHERE s_suppkey IN (SELECT ps_suppkey FROM partsupp WHERE ps_partkey IN (SELECT p_partkey FROM part WHERE p_brand LIKE 'forest%') AND ps_availqty > (SELECT 0.5 * sum(l_quantity) FROM lineitem WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey))")]
    [InlineData("SELECT l1.l_suppkey FROM lineitem l1 WHERE EXISTS (SELECT * FROM lineitem l2 WHERE l2.l_orderkey = l1.l_orderkey AND l2.l_suppkey <> l1.l_suppkey) AND NOT EXISTS (SELECT * FROM lineitem l3 WHERE l3.l_orderkey = l1.l_orderkey AND l3.l_suppkey <> l1.l_suppkey AND l3.l_receiptdate > l3.l_commitdate)")]
    [InlineData("SELECT count(*) FROM customer WHERE c_acctbal > (SELECT avg(c_acctbal) FROM customer WHERE c_acctbal > 0.00) AND NOT EXISTS (SELECT * FROM orders WHERE o_custkey = c_custkey)")]
    [InlineData("SELECT p_partkey, (SELECT count(*) FROM partsupp WHERE ps_partkey = p_partkey), p_partkey IN (SELECT l_partkey FROM lineitem), EXISTS (SELECT 1 FROM lineitem WHERE l_partkey = p_partkey) FROM part")]
    [InlineData("SELECT p_partkey FROM part WHERE p_size > ALL (SELECT ps_availqty FROM partsupp WHERE ps_partkey = p_partkey) OR p_size < ANY (SELECT ps_availqty FROM partsupp)")]
    [InlineData("SELECT o_orderkey FROM orders WHERE EXISTS (SELECT 1 FROM lineitem WHERE l_orderkey = o_orderkey AND l_partkey IN (SELECT p_partkey FROM part WHERE p_size > 3))")]
    [InlineData("SELECT o_orderkey, (SELECT count(*) FROM lineitem WHERE l_orderkey = o_orderkey AND NOT EXISTS (SELECT 1 FROM part WHERE p_partkey = l_partkey)) FROM orders")]
    public async Task Subquery_shapes_become_joins(string sql)
    {
        var plan = string.Join('\n', await _db!.QueryAsync<string>("EXPLAIN " + sql));
        var optimized = plan[plan.IndexOf("== Optimized Logical Plan ==", StringComparison.Ordinal)..];
        optimized = optimized[..optimized.IndexOf("== Physical Plan ==", StringComparison.Ordinal)];
        Assert.DoesNotContain("Apply", optimized, StringComparison.Ordinal);
        Assert.Contains("Join", optimized, StringComparison.Ordinal);
    }

    public sealed record Row(int PartKey, long? Total);

    [Fact]
    public async Task Non_equality_correlation_under_an_aggregate_falls_back_to_per_value_evaluation()
    {
        await _db!.ExecuteAsync("INSERT INTO part VALUES (1, 'a', 5), (2, 'b', 7), (3, 'c', NULL)");
        await _db.ExecuteAsync("INSERT INTO partsupp VALUES (1, 10, 3, 1.00), (2, 10, 6, 2.00), (2, 11, 9, 3.00)");
        const string sql = "SELECT p_partkey AS partkey, (SELECT sum(ps_availqty) FROM partsupp WHERE ps_availqty < p_size) AS total FROM part ORDER BY p_partkey";
        var plan = string.Join('\n', await _db.QueryAsync<string>("EXPLAIN " + sql));
        Assert.Contains("Apply Scalar", plan[plan.IndexOf("== Optimized Logical Plan ==", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var rows = await _db.QueryAsync<Row>(sql);
        Assert.Equal([new Row(1, 3), new Row(2, 9), new Row(3, null)], rows);
    }
}
