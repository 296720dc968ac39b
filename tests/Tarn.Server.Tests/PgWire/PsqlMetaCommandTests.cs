namespace Tarn.Server.Tests.PgWire;

/// <summary>psql's meta-commands (\l, \dt, \d, \dn) answered from the live catalog through the endpoint's pg_catalog.</summary>
public sealed class PsqlMetaCommandTests
{
    private const string Schema =
        "CREATE TABLE orders (id BIGINT, customer VARCHAR(40) NOT NULL, amount DECIMAL(12, 2), placed TIMESTAMP_LTZ(6), note STRING, PRIMARY KEY (id) NOT ENFORCED);"
        + "CREATE TABLE events (flag BOOLEAN, small SMALLINT, n INT, f FLOAT, d DOUBLE, day DATE, at TIME, ts TIMESTAMP(6), raw BYTES);"
        + "CREATE DATABASE sales";

    [Fact]
    public async Task ListDatabasesShowsTheCatalogsDatabases()
    {
        await using var server = new PgServerFixture();
        await Setup(server);
        var (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "\\l");
        Assert.True(exit == 0, error);
        Assert.Contains("List of databases", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^ default_database\s+\| tarn\s+\| UTF8", output);
        Assert.Matches(@"(?m)^ sales\s+\| tarn\s+\| UTF8", output);
        Assert.Contains("(2 rows)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTablesShowsTheCurrentDatabasesTablesInPublic()
    {
        await using var server = new PgServerFixture();
        await Setup(server);
        var (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "\\dt");
        Assert.True(exit == 0, error);
        Assert.Matches(@"(?m)^ public\s+\| events\s+\| table \| tarn\s*$", output);
        Assert.Matches(@"(?m)^ public\s+\| orders\s+\| table \| tarn\s*$", output);
        Assert.Contains("(2 rows)", output, StringComparison.Ordinal);

        // \d without a name lists views too; a pattern narrows the list.
        await server.Server.Database.ExecuteAsync("CREATE VIEW big_orders AS SELECT id FROM orders WHERE amount > 100");
        (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "\\d");
        Assert.True(exit == 0, error);
        Assert.Matches(@"(?m)^ public\s+\| big_orders\s+\| view\s+\| tarn\s*$", output);
        Assert.Contains("(3 rows)", output, StringComparison.Ordinal);
        (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "\\d big_orders");
        Assert.True(exit == 0, error);
        Assert.Contains("View \"public.big_orders\"", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^ id\s+\| bigint\s+\|", output);
        (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "\\dt ord*");
        Assert.True(exit == 0, error);
        Assert.Contains("orders", output, StringComparison.Ordinal);
        Assert.DoesNotContain("events", output, StringComparison.Ordinal);
        Assert.Contains("(1 row)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeTableShowsPostgresTypesNullabilityAndPrimaryKey()
    {
        await using var server = new PgServerFixture();
        await Setup(server);
        var (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "\\d orders");
        Assert.True(exit == 0, error);
        Assert.Contains("Table \"public.orders\"", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^ id\s+\| bigint\s+\|\s+\| not null \|", output);
        Assert.Matches(@"(?m)^ customer\s+\| character varying\(40\)\s+\|\s+\| not null \|", output);
        Assert.Matches(@"(?m)^ amount\s+\| numeric\(12,2\)\s+\|\s+\|\s+\|", output);
        Assert.Matches(@"(?m)^ placed\s+\| timestamp with time zone\s+\|", output);
        Assert.Matches(@"(?m)^ note\s+\| text\s+\|", output);
        Assert.Contains("\"orders_pkey\" PRIMARY KEY, btree (id)", output, StringComparison.Ordinal);

        (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "\\d events");
        Assert.True(exit == 0, error);
        foreach (var (column, type) in ((string, string)[])[("flag", "boolean"), ("small", "smallint"), ("n", "integer"), ("f", "real"), ("d", "double precision"),
                     ("day", "date"), ("at", "time without time zone"), ("ts", "timestamp without time zone"), ("raw", "bytea")])
            Assert.Matches($@"(?m)^ {column}\s+\| {type}\s+\|", output);
        Assert.DoesNotContain("Indexes:", output, StringComparison.Ordinal);

        (exit, _, error) = await PsqlProcess.RunAsync(server.Port, "-c", "\\d nope");
        Assert.Equal(1, exit);
        Assert.Contains("Did not find any relation named \"nope\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSchemasAndConnectToAnotherDatabase()
    {
        await using var server = new PgServerFixture();
        await Setup(server);
        await server.Server.Database.ExecuteAsync("CREATE TABLE sales.invoices (no INT, total DOUBLE)");
        var (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-c", "\\dn");
        Assert.True(exit == 0, error);
        Assert.Matches(@"(?m)^ public \| tarn\s*$", output);
        Assert.Contains("(1 row)", output, StringComparison.Ordinal);

        // Connecting to 'sales' makes its tables the ones psql lists and describes.
        (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-d", "sales", "-c", "\\dt", "-c", "\\d invoices");
        Assert.True(exit == 0, error);
        Assert.Matches(@"(?m)^ public\s+\| invoices \| table \| tarn\s*$", output);
        Assert.DoesNotContain("orders", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^ total\s+\| double precision\s+\|", output);
        (exit, output, error) = await PsqlProcess.RunAsync(server.Port, "-d", "sales", "-A", "-t", "-c", "SELECT current_database()");
        Assert.True(exit == 0, error);
        Assert.Equal("sales", output.Trim());
    }

    private static async Task Setup(PgServerFixture server)
    {
        var (exit, _, error) = await PsqlProcess.RunAsync(server.Port, "-c", Schema);
        Assert.True(exit == 0, error);
    }
}
