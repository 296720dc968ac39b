namespace Tarn.Server.Tests.PgWire;

/// <summary>The real psql client (/usr/bin/psql) scripted against the endpoint.</summary>
public sealed class PsqlTests
{
    [Fact]
    public async Task SelectOne()
    {
        await using var server = new PgServerFixture();
        var (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-A", "-t", "-c", "SELECT 1");
        Assert.True(exit == 0, error);
        Assert.Equal("1", output.Trim());
    }

    [Fact]
    public async Task MultiStatementScriptAndErrorWithPosition()
    {
        await using var server = new PgServerFixture();
        var (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-A", "-c",
            "CREATE TABLE s (id INT, name STRING); INSERT INTO s VALUES (1, 'a'), (2, 'b'); SELECT id, name FROM s ORDER BY id");
        Assert.True(exit == 0, error);
        Assert.Equal("CREATE TABLE\nINSERT 0 2\nid|name\n1|a\n2|b\n(2 rows)", output.Trim());

        (exit, _, error) = await PsqlProcess.RunAsync(server.Port, "-c", "SELECT nope FROM s");
        Assert.Equal(1, exit);
        Assert.Contains("ERROR:", error, StringComparison.Ordinal);
        Assert.Contains("LINE 1: SELECT nope FROM s", error, StringComparison.Ordinal);
        Assert.Contains("        ^", error, StringComparison.Ordinal); // psql draws the caret under 'nope' from the P field
    }

    [Fact]
    public async Task SubscribeToBoundedQueryPrintsCopyRows()
    {
        await using var server = new PgServerFixture();
        var (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "SUBSCRIBE (VALUES (1, 'a'), (2, 'b'))");
        Assert.True(exit == 0, error);
        Assert.Contains("+I\t1\ta\n", output, StringComparison.Ordinal);
        Assert.Contains("+I\t2\tb\n", output, StringComparison.Ordinal);
    }
}
