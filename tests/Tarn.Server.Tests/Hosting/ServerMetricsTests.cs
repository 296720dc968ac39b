using System.Net;
using System.Net.Sockets;
using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.Hosting;

/// <summary>Query counting and its log events, and a listener that cannot start.</summary>
public sealed class ServerMetricsTests
{
    [Fact]
    public async Task Statements_are_counted_and_slow_or_failing_ones_logged()
    {
        using var log = new StringWriter();
        var metrics = new ServerMetrics(new ServerLog(log, LogFormat.Logfmt, LogLevel.Debug)) { SlowQueryThreshold = TimeSpan.FromTicks(1) };
        var inserted = new TarnResult(StatementKind.Insert, [], [], rowsAffected: 3);

        var result = await metrics.MeasureAsync(ServerProtocol.PgWire, "INSERT INTO orders VALUES (1), (2), (3)", async () =>
        {
            await Task.Delay(5);
            return inserted;
        });
        await Assert.ThrowsAsync<TarnException>(() => metrics.MeasureAsync(ServerProtocol.Http, "SELECT x", () => throw new TarnException("42703", "column 'x' does not exist")));

        Assert.Same(inserted, result);
        Assert.Equal(1, metrics.Queries(ServerProtocol.PgWire));
        Assert.Equal(0, metrics.QueryErrors(ServerProtocol.PgWire));
        Assert.Equal(1, metrics.Queries(ServerProtocol.Http));
        Assert.Equal(1, metrics.QueryErrors(ServerProtocol.Http));
        Assert.Equal([("orders", "sql", 3L)], metrics.IngestedRows());
        var text = log.ToString();
        Assert.Contains("level=warn event=slow_query protocol=pgwire duration_ms=", text);
        Assert.Contains("sql=\"INSERT INTO orders VALUES (1), (2), (3)\"", text);
        Assert.Contains("level=debug event=query_error protocol=http sqlstate=42703", text);
    }

    [Fact]
    public async Task A_port_in_use_exits_1_with_a_logged_error()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dir = Path.Combine(Path.GetTempPath(), "tarn-busy-" + Guid.NewGuid().ToString("N"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        try
        {
            var code = await ServerCommand.RunAsync([dir, "--pg", $"127.0.0.1:{port}", "--kafka", "off"], stdout, stderr, "tarn serve");

            Assert.Equal(1, code);
            Assert.Contains("event=listener_failed", stderr.ToString());
            Assert.Contains("event=start_failed", stderr.ToString());
            // The database was closed again: it opens here.
            await using var db = await TarnDatabase.OpenAsync(dir);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        }
    }
}
