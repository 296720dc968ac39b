using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using Tarn.Server.Hosting;
using Tarn.Server.PgWire.Catalog;

namespace Tarn.Server.Tests.PgWire;

/// <summary>
/// Who a connection is, as PostgreSQL clients ask: current_user/session_user/user, ParameterStatus is_superuser and
/// session_authorization, pg_roles/pg_user and psql's \du; under trust (no users) and with SCRAM users.
/// </summary>
public sealed class PgIdentityTests
{
    [Fact]
    public async Task Under_trust_the_startup_user_is_current_user_and_a_superuser()
    {
        await using var server = new PgServerFixture();
        var connectionString = server.ConnectionString(prepare: false).Replace("Username=tarn", "Username=carol", StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal("on", connection.PostgresParameters["is_superuser"]);
        Assert.Equal("carol", connection.PostgresParameters["session_authorization"]);
        Assert.Equal(["carol", "carol", "carol"], await RowAsync(connection, "SELECT current_user, session_user, user"));
        Assert.Equal(["carol"], await RowAsync(connection, "SELECT CURRENT_USER"));
        Assert.Equal(["on", "carol"], await RowAsync(connection, "SELECT current_setting('is_superuser'), current_setting('session_authorization')"));
        Assert.Equal(["carol|TRUE", "tarn|TRUE"], await ColumnAsync(connection, "SELECT rolname || '|' || CAST(rolsuper AS STRING) FROM pg_catalog.pg_roles ORDER BY rolname"));
        Assert.Equal(["carol"], await ColumnAsync(connection, "SELECT usename FROM pg_user WHERE usename = current_user"));
        // The extended protocol (prepared) sees the same.
        await using (var command = new NpgsqlCommand("SELECT session_user", connection))
        {
            await command.PrepareAsync();
            Assert.Equal("carol", await command.ExecuteScalarAsync());
        }

        var (exit, output, error) = await PsqlAsync(server.Port, "dave", null, "\\du");
        Assert.True(exit == 0, error);
        Assert.Matches(@"(?m)^dave\|Superuser, Create role, Create DB\|\{\}$", output);
        Assert.Matches(@"(?m)^tarn\|Superuser, Create role, Create DB\|\{\}$", output);
        (exit, output, error) = await PsqlAsync(server.Port, "dave", null, "SELECT current_user, session_user");
        Assert.True(exit == 0, error);
        Assert.Equal("dave|dave", output.Trim());
    }

    [Fact]
    public async Task With_users_the_authenticated_user_is_reported_and_listed()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tarn-pgidentity-" + Guid.NewGuid().ToString("N"));
        var database = TarnDatabase.Open(directory);
        await database.ExecuteAsync("CREATE USER alice PASSWORD 'wonder land'");
        await database.ExecuteAsync("CREATE USER root PASSWORD 'r00t' SUPERUSER");
        var server = new TarnServer(database, new ServerOptions());
        var port = server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0)).EndPoint.Port;
        try
        {
            string ConnectionString(string user, string password) =>
                $"Host=127.0.0.1;Port={port};Username={user};Password={password};Database=tarn;Pooling=false;Timeout=10";

            await using (var alice = new NpgsqlConnection(ConnectionString("alice", "wonder land")))
            {
                await alice.OpenAsync(); // with Npgsql's type loading, as a user without grants
                Assert.Equal("off", alice.PostgresParameters["is_superuser"]);
                Assert.Equal("alice", alice.PostgresParameters["session_authorization"]);
                Assert.Equal(["alice", "alice"], await RowAsync(alice, "SELECT current_user, session_user"));
                Assert.Equal(["off"], await RowAsync(alice, "SHOW is_superuser"));
                Assert.Equal(["alice|FALSE", "root|TRUE", "tarn|TRUE"],
                    await ColumnAsync(alice, "SELECT rolname || '|' || CAST(rolsuper AS STRING) FROM pg_roles ORDER BY 1"));
                Assert.Equal(["FALSE"], await ColumnAsync(alice, "SELECT CAST(usesuper AS STRING) FROM pg_user WHERE usename = current_user"));
            }
            await using (var root = new NpgsqlConnection(ConnectionString("root", "r00t")))
            {
                await root.OpenAsync();
                Assert.Equal("on", root.PostgresParameters["is_superuser"]);
                Assert.Equal(["root"], await RowAsync(root, "SELECT user"));
            }

            var (exit, output, error) = await PsqlAsync(port, "alice", "wonder land", "\\du");
            Assert.True(exit == 0, error);
            Assert.Matches(@"(?m)^alice\|\|\{\}$", output);
            Assert.Matches(@"(?m)^root\|Superuser, Create role, Create DB\|\{\}$", output);
            Assert.Equal(3, output.Trim().Split('\n').Length);
            (exit, output, error) = await PsqlAsync(port, "root", "r00t", "\\du ro*");
            Assert.True(exit == 0, error);
            Assert.Equal("root|Superuser, Create role, Create DB|{}", output.Trim());
        }
        finally
        {
            await server.DisposeAsync();
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
        }
    }

    [Fact]
    public void The_user_keywords_are_rewritten_only_where_they_are_values()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tarn-pgidentity-" + Guid.NewGuid().ToString("N"));
        using var db = TarnDatabase.Open(directory);
        using var session = db.CreateSession();
        var snapshot = PgCatalogSnapshot.Take(session, new PgSessionUser("o'neil", true));
        Assert.Equal("SELECT CAST('o''neil' AS STRING) AS `current_user`", PgCatalogRewriter.Rewrite("SELECT current_user", () => snapshot));
        Assert.Equal("SELECT a FROM t WHERE owner = CAST('o''neil' AS STRING)", PgCatalogRewriter.Rewrite("SELECT a FROM t WHERE owner = session_user", () => snapshot));
        // "user" may be a Tarn column: only a bare item of a query without FROM is the keyword.
        Assert.Null(PgCatalogRewriter.Rewrite("SELECT user FROM t", () => snapshot));
        Assert.Null(PgCatalogRewriter.Rewrite("SELECT t.current_user, \"current_user\" FROM t", () => snapshot));
        Assert.Equal("SELECT CAST('o''neil' AS STRING) AS `user`", PgCatalogRewriter.Rewrite("SELECT user", () => snapshot));
        Assert.True(PgCatalogRewriter.MayNameUserKeyword("select user;"));
        Assert.False(PgCatalogRewriter.MayNameUserKeyword("SELECT username FROM users"));
        Assert.False(PgCatalogRewriter.MayNameUserKeyword("INSERT INTO t VALUES ('user')"));
    }

    private static async Task<string[]> RowAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = new string[reader.FieldCount];
        for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
        Assert.False(await reader.ReadAsync());
        return row;
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.IsDBNull(0) ? "NULL" : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        return values;
    }

    /// <summary>psql -A -t (unaligned, tuples only) as <paramref name="user"/>, with PGPASSWORD when given.</summary>
    private static Task<(int Exit, string Output, string Error)> PsqlAsync(int port, string user, string? password, string command) =>
        PsqlProcess.RunAsAsync(port, user, password, "disable", "-A", "-t", "-c", command);
}
