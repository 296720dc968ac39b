using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.PgWire;

/// <summary>CancelRequest, the query and idle timeouts, and MaxConnections on the PostgreSQL endpoint.</summary>
public sealed class PgLimitsTests
{
    /// <summary>Cross joins of this table run for minutes unless cancelled (the engine checks once per batch).</summary>
    private const string SlowQuery = "SELECT count(*) FROM big a, big b, big c";

    [Fact]
    public async Task CancelStopsARunningQueryWith57014AndTheConnectionStaysUsable()
    {
        await using var server = new LimitedServer(ServerOptions.Default);
        await using var conn = await server.OpenAsync();
        await CreateBigAsync(conn);
        await using var cmd = new NpgsqlCommand(SlowQuery, conn);
        var running = cmd.ExecuteScalarAsync();
        await Task.Delay(300);
        cmd.Cancel();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => running);
        var postgres = error as PostgresException ?? error.InnerException as PostgresException;
        Assert.NotNull(postgres);
        Assert.Equal("57014", postgres.SqlState);
        Assert.Equal("canceling statement due to user request", postgres.MessageText);
        Assert.Equal(1, await PgCopyTests.ScalarAsync(conn, "SELECT 1"));
    }

    [Fact]
    public async Task CancelRequestWithAWrongSecretDoesNothing()
    {
        await using var server = new LimitedServer(ServerOptions.Default);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(RawStartup());
        var (processId, secret) = await ReadKeyDataAsync(stream);
        await stream.WriteAsync(Query("CREATE TABLE big (x BIGINT)"));
        await ReadUntilReadyAsync(stream);
        await stream.WriteAsync(Query("INSERT INTO big SELECT * FROM (VALUES " + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"({i})")) + ")"));
        await ReadUntilReadyAsync(stream);
        await stream.WriteAsync(Query(SlowQuery));
        await Task.Delay(200);
        await SendCancelAsync(server.Port, processId, secret + 1);
        await Task.Delay(300);
        Assert.False(stream.DataAvailable); // still running
        await SendCancelAsync(server.Port, processId, secret);
        var reply = await ReadUntilReadyAsync(stream);
        Assert.Contains("57014", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryTimeoutAndStatementTimeoutCancelWith57014()
    {
        await using var server = new LimitedServer(new ServerOptions { QueryTimeout = TimeSpan.FromMilliseconds(300) });
        await using var conn = await server.OpenAsync();
        // Filled through the embedded API: on a busy machine even the setup could run into a 300 ms limit.
        await server.Database.ExecuteAsync("CREATE TABLE big (x BIGINT)");
        using (var appender = server.Database.CreateAppender("big"))
        {
            for (var i = 0; i < 2000; i++) { appender.Append(i); appender.EndRow(); }
        }
        var error = await Assert.ThrowsAsync<PostgresException>(() => PgCopyTests.ScalarAsync(conn, SlowQuery));
        Assert.Equal("57014", error.SqlState);
        Assert.Equal("canceling statement due to statement timeout", error.MessageText);
        Assert.Equal(1, await PgCopyTests.ScalarAsync(conn, "SELECT 1"));

        await using var server2 = new LimitedServer(ServerOptions.Default);
        await using var conn2 = await server2.OpenAsync();
        await CreateBigAsync(conn2);
        await PgCopyTests.ExecAsync(conn2, "SET statement_timeout = '250ms'");
        error = await Assert.ThrowsAsync<PostgresException>(() => PgCopyTests.ScalarAsync(conn2, SlowQuery));
        Assert.Equal("57014", error.SqlState);
        Assert.Contains("statement timeout", error.MessageText, StringComparison.Ordinal);
        await PgCopyTests.ExecAsync(conn2, "SET statement_timeout TO 0");
        Assert.Equal(2000L, await PgCopyTests.ScalarAsync(conn2, "SELECT count(*) FROM big"));
    }

    [Fact]
    public async Task ConnectionsPastTheLimitAreRefusedWith53300()
    {
        await using var server = new LimitedServer(new ServerOptions { MaxConnections = 2 });
        await using var first = await server.OpenAsync();
        await using var second = await server.OpenAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => server.OpenAsync());
        Assert.Equal("53300", error.SqlState);
        await first.CloseAsync();
        await WaitUntilAsync(() => server.Listener.OpenConnections < 2);
        await using var third = await server.OpenAsync();
        Assert.Equal(1, await PgCopyTests.ScalarAsync(third, "SELECT 1"));
    }

    [Fact]
    public async Task IdleConnectionsAreClosedWith57P05()
    {
        await using var server = new LimitedServer(new ServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(RawStartup());
        await ReadKeyDataAsync(stream);
        await stream.WriteAsync(Query("SELECT 1"));
        await ReadUntilReadyAsync(stream);
        var rest = await ReadToEndAsync(stream); // the server speaks first: FATAL, then the close
        Assert.Contains("57P05", rest, StringComparison.Ordinal);
        Assert.Contains("idle-session timeout", rest, StringComparison.Ordinal);
    }

    private static async Task CreateBigAsync(NpgsqlConnection conn)
    {
        await PgCopyTests.ExecAsync(conn, "CREATE TABLE big (x BIGINT)");
        await using var importer = await conn.BeginBinaryImportAsync("COPY big FROM STDIN (FORMAT binary)");
        for (var i = 0; i < 2000; i++) await importer.WriteRowAsync(default, (long)i);
        await importer.CompleteAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(25);
    }

    internal static byte[] RawStartup()
    {
        var body = new List<byte>();
        body.AddRange([0, 3, 0, 0]);
        foreach (var s in (string[])["user", "tarn", "database", "tarn", ""]) { body.AddRange(Encoding.UTF8.GetBytes(s)); body.Add(0); }
        var frame = new byte[4 + body.Count];
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    internal static byte[] Query(string sql)
    {
        var text = Encoding.UTF8.GetBytes(sql);
        var frame = new byte[1 + 4 + text.Length + 1];
        frame[0] = (byte)'Q';
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), 4 + text.Length + 1);
        text.CopyTo(frame, 5);
        return frame;
    }

    private static async Task SendCancelAsync(int port, int processId, int secret)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var frame = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(frame, 16);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), 80877102);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), processId);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(12), secret);
        await client.GetStream().WriteAsync(frame);
        await ReadToEndAsync(client.GetStream()); // the server answers a CancelRequest by closing
    }

    /// <summary>Reads messages up to ReadyForQuery and returns BackendKeyData's process id and secret.</summary>
    internal static async Task<(int ProcessId, int Secret)> ReadKeyDataAsync(NetworkStream stream)
    {
        var key = (0, 0);
        while (true)
        {
            var (type, body) = await ReadMessageAsync(stream);
            if (type == 'K') key = (BinaryPrimitives.ReadInt32BigEndian(body), BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(4)));
            if (type == 'Z') return key;
        }
    }

    /// <summary>Reads messages up to ReadyForQuery; returns the text of ErrorResponse fields seen on the way.</summary>
    internal static async Task<string> ReadUntilReadyAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        while (true)
        {
            var (type, body) = await ReadMessageAsync(stream);
            if (type == 'E') text.Append(Encoding.UTF8.GetString(body));
            if (type == 'Z') return text.ToString();
        }
    }

    internal static async Task<(char Type, byte[] Body)> ReadMessageAsync(NetworkStream stream)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
        await stream.ReadExactlyAsync(body);
        return ((char)header[0], body);
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var all = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) all.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // a reset after the last bytes is an ending too
        }
        return Encoding.UTF8.GetString(all.ToArray());
    }

    /// <summary>A server with explicit options over a fresh database.</summary>
    private sealed class LimitedServer : IAsyncDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "tarn-pglimits-" + Guid.NewGuid().ToString("N"));
        private readonly TarnServer _server;

        public LimitedServer(ServerOptions options)
        {
            _server = new TarnServer(TarnDatabase.Open(_directory), options);
            Listener = _server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0));
        }

        public Tarn.Server.PgWire.PgListener Listener { get; }

        public TarnDatabase Database => _server.Database;

        public int Port => Listener.EndPoint.Port;

        public async Task<NpgsqlConnection> OpenAsync()
        {
            var conn = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=tarn;Database=tarn;Server Compatibility Mode=NoTypeLoading;Pooling=false;Timeout=10;Command Timeout=60");
            try
            {
                await conn.OpenAsync();
                return conn;
            }
            catch
            {
                await conn.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _server.DisposeAsync();
            try { Directory.Delete(_directory, recursive: true); }
            catch (IOException) { }
        }
    }
}
