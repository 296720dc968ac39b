using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Tests.Api;

public sealed class PrimaryKeyDmlTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-pk-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public void Update_and_delete_report_affected_rows()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '2')");
        Assert.Equal(3, db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')").RowsAffected);
        Assert.Equal(2, db.Execute("UPDATE t SET v = 'x' WHERE id >= 2").RowsAffected);
        Assert.Equal(0, db.Execute("UPDATE t SET v = 'x' WHERE id = 9").RowsAffected);
        Assert.Equal(1, db.Execute("DELETE FROM t WHERE v = 'a'").RowsAffected);
        Assert.Equal(2, db.Execute("INSERT OVERWRITE t VALUES (7, 'q'), (8, 'r')").RowsAffected);
        Assert.Equal(2L, db.Execute("SELECT count(*) FROM t").GetValue(0, 0));
    }

    [Fact]
    [Trait("Spec", "DB-050")]
    public void The_stream_reader_returns_the_changelog_with_row_kinds()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        db.Execute("INSERT INTO t VALUES (1, 'a2')");
        db.Execute("UPDATE t SET v = 'b2' WHERE id = 2");
        db.Execute("DELETE FROM t WHERE id = 1");
        var reader = db.OpenStream("t", StreamStart.Earliest);
        var seen = new List<string>();
        while (reader.TryRead() is { } batch)
        {
            for (var r = 0; r < batch.Rows.RowCount; r++)
                seen.Add($"{batch.KindOf(r).ToShortString()}({((PrimitiveVector<int>)batch.Rows.Columns[0]).Values[r]},{batch.Rows.Columns[1].GetValue(r)})");
        }
        Assert.Equal(["+I(1,a)", "+I(2,b)", "-U(1,a)", "+U(1,a2)", "-U(2,b)", "+U(2,b2)", "-D(1,a2)"], seen);
    }

    [Fact]
    public void A_point_lookup_reads_one_bucket()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id BIGINT, name STRING, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '8')");
        db.Execute("CREATE TABLE s (name STRING, v INT, PRIMARY KEY (name) NOT ENFORCED) WITH ('bucket' = '8')");
        for (var i = 0; i < 40; i++)
        {
            db.Execute($"INSERT INTO t VALUES ({i}, 'n{i}', {i})");
            db.Execute($"INSERT INTO s VALUES ('n{i}', {i})");
        }
        for (var i = 0; i < 40; i += 7)
        {
            Assert.Equal($"n{i}", db.Execute($"SELECT name FROM t WHERE id = {i}").GetValue(0, 0));
            Assert.Equal(i, db.Execute($"SELECT v FROM s WHERE name = 'n{i}'").GetValue(0, 0));
        }
        string Plan(string sql) => string.Join("\n", db.Execute("EXPLAIN " + sql).Rows.Select(r => (string)r[0]!));
        Assert.Contains("bucket=", Plan("SELECT name FROM t WHERE id = 5"));
        Assert.Contains("bucket=", Plan("SELECT v FROM s WHERE name = 'n5'"));
        Assert.DoesNotContain("bucket=", Plan("SELECT name FROM t WHERE id > 5"));
    }
}
