namespace Tarn.Tests.Api;

public sealed class ColumnDefaultTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-def-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public void Show_create_table_prints_defaults_that_read_back()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id INT, v INT DEFAULT 5 NOT NULL, s STRING DEFAULT 'it''s')");
        var text = (string)db.Execute("SHOW CREATE TABLE t").GetValue(0, 0)!;
        Assert.Contains("`v` INT NOT NULL DEFAULT 5", text, StringComparison.Ordinal);
        Assert.Contains("`s` STRING DEFAULT 'it''s'", text, StringComparison.Ordinal);
        db.Execute("DROP TABLE t");
        db.Execute(text);
        db.Execute("INSERT INTO t (id) VALUES (1)");
        Assert.Equal("1|5|it's", string.Join('|', db.Execute("SELECT * FROM t").Rows.Single()));
    }
}
