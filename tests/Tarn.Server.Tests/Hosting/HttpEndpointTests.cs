using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.Hosting;

/// <summary>The --http endpoint of an in-process server: health, readiness, Prometheus metrics and SQL as JSON.</summary>
public sealed partial class HttpEndpointTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-http-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _log = new();
    private ServerHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var settings = new ServerSettings
        {
            DatabasePath = _dir,
            PgWire = new IPEndPoint(IPAddress.Loopback, 0),
            Kafka = null,
            Http = new IPEndPoint(IPAddress.Loopback, 0),
            ShutdownGrace = TimeSpan.FromSeconds(30),
        };
        _host = await ServerHost.StartAsync(settings, new ServerLog(TextWriter.Synchronized(_log)));
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_host.Http!.LocalEndPoint.Port}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> SqlAsync(string body, string contentType = "text/plain")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await _http.PostAsync("sql", content);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    [Fact]
    public async Task Health_answers_ok()
    {
        using var response = await _http.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_is_200_when_started_and_503_while_shutting_down()
    {
        using (var ready = await _http.GetAsync("ready")) Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        // A request in flight holds the shutdown in its drain phase, during which the HTTP endpoint still answers.
        var inFlight = _host.Server.Metrics.BeginRequest();
        var shutdown = _host.ShutdownAsync("test");
        Assert.True(_host.IsShuttingDown);
        using (var draining = await _http.GetAsync("ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, draining.StatusCode);
            Assert.Equal("shutting down\n", await draining.Content.ReadAsStringAsync());
        }
        using (var health = await _http.GetAsync("health")) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        inFlight.Dispose();
        await shutdown;
        Assert.Contains("event=shutdown phase=drained", _log.ToString());
        Assert.Contains("requests_aborted=0", _log.ToString());
        Assert.Contains("event=shutdown phase=closed", _log.ToString());
    }

    [Fact]
    public async Task Sql_runs_statements_and_answers_columns_rows_and_row_count()
    {
        var (status, created) = await SqlAsync("CREATE TABLE t (id BIGINT, name STRING, price DECIMAL(10, 2), ok BOOLEAN)");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, created.GetProperty("rowCount").GetInt64());

        (status, var inserted) = await SqlAsync("INSERT INTO t VALUES (1, 'a', 1.50, true), (2, 'b', NULL, false); INSERT INTO t VALUES (3, 'c''s', 2.25, NULL)");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, inserted.GetProperty("rowCount").GetInt64()); // the script's last statement

        (status, var rows) = await SqlAsync("""{"sql": "SELECT id, name, price, ok FROM t WHERE id >= ? ORDER BY id", "params": [2]}""", "application/json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["id", "name", "price", "ok"], rows.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("BIGINT", rows.GetProperty("columns")[0].GetProperty("type").GetString());
        Assert.Equal(2, rows.GetProperty("rowCount").GetInt64());
        Assert.Equal("""[[2,"b",null,false],[3,"c's",2.25,null]]""", rows.GetProperty("rows").GetRawText());
    }

    [Fact]
    public async Task Sql_errors_answer_400_with_sqlstate_message_and_position()
    {
        await SqlAsync("CREATE TABLE e (x INT)");

        var (status, error) = await SqlAsync("SELECT 1;\nSELECT nope FROM e");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var body = error.GetProperty("error");
        Assert.Equal("42703", body.GetProperty("code").GetString());
        Assert.Contains("nope", body.GetProperty("message").GetString());
        Assert.Equal(18, body.GetProperty("position").GetInt32()); // 1-based offset of 'nope' in the whole body

        (status, error) = await SqlAsync("{\"params\": []}", "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("42601", error.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_help_and_type_for_every_family()
    {
        await SqlAsync("CREATE TABLE src (id BIGINT)");
        await SqlAsync("CREATE TABLE dst (id BIGINT)");
        await _host.Server.Database.ExecuteAsync("SET 'execution.runtime-mode' = 'streaming'");
        await _host.Server.Database.ExecuteAsync("INSERT INTO dst SELECT id FROM src");
        await _host.Server.Database.ExecuteAsync("SET 'execution.runtime-mode' = 'batch'");
        var connection = $"Host=127.0.0.1;Port={_host.Server.PgWire!.EndPoint.Port};Username=tarn;Database=tarn;Server Compatibility Mode=NoTypeLoading;Pooling=false;Timeout=10;Command Timeout=30";
        await using (var pg = new NpgsqlConnection(connection))
        {
            await pg.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO src VALUES (1), (2), (3)", pg);
            await insert.ExecuteNonQueryAsync();
            await using var bad = new NpgsqlCommand("SELECT missing FROM src", pg);
            await Assert.ThrowsAsync<PostgresException>(() => bad.ExecuteScalarAsync());
        }
        await SqlAsync("INSERT INTO src VALUES (4)");
        await _host.Server.Database.WaitForJobsAsync();

        using var response = await _http.GetAsync("metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var samples = ParseExposition(await response.Content.ReadAsStringAsync());

        Assert.Equal(1, samples["tarn_ready"]);
        Assert.Equal(4, samples["tarn_rows_ingested_total{table=\"src\",via=\"sql\"}"]);
        Assert.Equal(1, samples["tarn_connections_total{protocol=\"pgwire\"}"]);
        Assert.Equal(0, samples["tarn_connections_open{protocol=\"pgwire\"}"]);
        Assert.True(samples["tarn_connections_total{protocol=\"http\"}"] >= 1);
        Assert.Equal(2, samples["tarn_queries_total{protocol=\"pgwire\"}"]);
        Assert.Equal(1, samples["tarn_query_errors_total{protocol=\"pgwire\"}"]);
        Assert.Equal(1, samples["tarn_streaming_jobs{status=\"running\"}"]);
        var job = (string)(await _host.Server.Database.ExecuteAsync("SELECT job_id FROM tarn_jobs")).GetValue(0, 0)!;
        Assert.Equal(0, samples[$"tarn_streaming_job_lag_records{{job=\"{job}\"}}"]);
        Assert.Equal(4, samples[$"tarn_streaming_job_rows_out_total{{job=\"{job}\"}}"]);
        Assert.True(samples[$"tarn_streaming_job_last_checkpoint_duration_seconds{{job=\"{job}\"}}"] >= 0);
        Assert.True(samples[$"tarn_streaming_job_state_bytes{{job=\"{job}\"}}"] >= 0);
        Assert.True(samples["tarn_database_size_bytes"] > 0);
        Assert.Contains("event=connection_opened protocol=pgwire remote=127.0.0.1:", _log.ToString());
        Assert.Contains("event=connection_closed protocol=pgwire", _log.ToString());
    }

    /// <summary>
    /// Parses the text format strictly: HELP then TYPE (a known type) once per family before its samples, sample lines
    /// 'name{labels} value' with a float value; returns the samples by 'name{labels}'.
    /// </summary>
    private static Dictionary<string, double> ParseExposition(string text)
    {
        Assert.EndsWith("\n", text);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var helped = new HashSet<string>(StringComparer.Ordinal);
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text[..^1].Split('\n'))
        {
            var help = HelpLine().Match(line);
            if (help.Success)
            {
                Assert.True(helped.Add(help.Groups[1].Value), $"second HELP for {help.Groups[1].Value}");
                continue;
            }
            var type = TypeLine().Match(line);
            if (type.Success)
            {
                Assert.Contains(type.Groups[1].Value, helped);
                Assert.True(typed.Add(type.Groups[1].Value), $"second TYPE for {type.Groups[1].Value}");
                continue;
            }
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a sample line: '{line}'");
            Assert.Contains(sample.Groups[1].Value, typed);
            samples.Add(sample.Groups[1].Value + sample.Groups[2].Value, double.Parse(sample.Groups[3].Value, CultureInfo.InvariantCulture));
        }
        return samples;
    }

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\[\\""n])*"",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$")]
    private static partial Regex SampleLine();
}
