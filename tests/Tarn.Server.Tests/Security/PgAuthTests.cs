using System.Diagnostics;
using System.Net;
using Npgsql;
using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.Security;

/// <summary>SCRAM-SHA-256 and TLS on the PostgreSQL endpoint with Npgsql and psql; grants enforced per user.</summary>
public sealed class PgAuthTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tarn-pgauth-" + Guid.NewGuid().ToString("N"));
    private readonly TestCertificate _certificate = new();
    private readonly TarnServer _server;
    private readonly int _port;

    public PgAuthTests()
    {
        var database = TarnDatabase.Open(_directory);
        database.Execute("CREATE TABLE t (id INT, name STRING)");
        database.Execute("CREATE TABLE secret (id INT)");
        database.Execute("INSERT INTO t VALUES (1, 'a')");
        database.Execute("CREATE USER alice PASSWORD 'wonder land'");
        database.Execute("CREATE USER root PASSWORD 'r00t' SUPERUSER");
        database.Execute("GRANT SELECT ON t TO alice");
        _server = new TarnServer(database, new ServerOptions { TlsCertificatePath = _certificate.CertificatePath, TlsKeyPath = _certificate.KeyPath });
        _port = _server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0)).EndPoint.Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    private string ConnectionString(string user, string password, string sslMode = "Disable") =>
        $"Host=127.0.0.1;Port={_port};Username={user};Password={password};Database=tarn;Server Compatibility Mode=NoTypeLoading;Pooling=false;Timeout=10;SSL Mode={sslMode}";

    [Fact]
    public async Task Npgsql_authenticates_with_scram_and_the_user_gets_its_grants()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("alice", "wonder land"));
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand("SELECT name FROM t", connection))
            Assert.Equal("a", await command.ExecuteScalarAsync());
        await using (var command = new NpgsqlCommand("SELECT * FROM secret", connection))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());
            Assert.Equal("42501", e.SqlState);
        }
        await using (var command = new NpgsqlCommand("INSERT INTO t VALUES (2, 'b')", connection))
            Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync())).SqlState);
        await using (var command = new NpgsqlCommand("CREATE USER eve PASSWORD 'x'", connection))
            Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync())).SqlState);

        await using var root = new NpgsqlConnection(ConnectionString("root", "r00t"));
        await root.OpenAsync();
        await using (var command = new NpgsqlCommand("SELECT count(*) FROM secret", root))
            Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_fail_alike_with_28P01()
    {
        var wrong = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var c = new NpgsqlConnection(ConnectionString("alice", "wrong"));
            await c.OpenAsync();
        });
        Assert.Equal("28P01", wrong.SqlState);
        Assert.Equal("password authentication failed for user \"alice\"", wrong.MessageText);
        var unknown = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var c = new NpgsqlConnection(ConnectionString("mallory", "wrong"));
            await c.OpenAsync();
        });
        Assert.Equal("28P01", unknown.SqlState);
        Assert.Equal("password authentication failed for user \"mallory\"", unknown.MessageText);
    }

    [Fact]
    public async Task Npgsql_connects_over_tls()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("alice", "wonder land", "Require"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM t", connection);
        Assert.Equal(1, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Psql_authenticates_with_pgpassword_plain_and_over_tls()
    {
        var (exit, output, error) = await PsqlAsync("alice", "wonder land", "disable", "SELECT name FROM t");
        Assert.True(exit == 0, error);
        Assert.Equal("a", output.Trim());

        (exit, output, error) = await PsqlAsync("alice", "wonder land", "require", "SELECT id FROM t");
        Assert.True(exit == 0, error);
        Assert.Equal("1", output.Trim());

        (exit, _, error) = await PsqlAsync("alice", "bad", "disable", "SELECT 1");
        Assert.NotEqual(0, exit);
        Assert.Contains("password authentication failed for user \"alice\"", error, StringComparison.Ordinal);

        (exit, _, error) = await PsqlAsync("alice", "wonder land", "disable", "SELECT * FROM secret");
        Assert.NotEqual(0, exit);
        Assert.Contains("permission denied", error, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Output, string Error)> PsqlAsync(string user, string password, string sslMode, string sql) =>
        PgWire.PsqlProcess.RunAsAsync(_port, user, password, sslMode, "-A", "-t", "-c", sql);
}

/// <summary>Without users every client is trusted, so listeners beyond loopback must not start.</summary>
public sealed class NonLoopbackListenerTests
{
    [Fact]
    public async Task A_non_loopback_listener_needs_a_user_first()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tarn-nonloop-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = new TarnServer(TarnDatabase.Open(directory));
            var pg = Assert.Throws<InvalidOperationException>(() => server.StartPgWire(new IPEndPoint(IPAddress.Any, 0)));
            Assert.Contains("CREATE USER", pg.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => server.StartKafka(new IPEndPoint(IPAddress.Any, 0)));
            // Trust on loopback stays as it was.
            var loopback = server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0));
            await using (var c = new NpgsqlConnection($"Host=127.0.0.1;Port={loopback.EndPoint.Port};Username=tarn;Database=tarn;Server Compatibility Mode=NoTypeLoading;Pooling=false;Timeout=10"))
                await c.OpenAsync();
            await server.Database.ExecuteAsync("CREATE USER admin PASSWORD 'pw' SUPERUSER");
            var any = server.StartPgWire(new IPEndPoint(IPAddress.Any, 0));
            Assert.NotEqual(0, any.EndPoint.Port);
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
        }
    }
}
