using System.Net;
using System.Text.Json;
using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.Hosting;

/// <summary>The --config file, the command line over it, and the log line formats.</summary>
public sealed class ServerConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tarn-config-").FullName;

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "tarn.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_good_file_sets_every_setting()
    {
        var path = Write("""
            # a server on other ports
            database = "data/main"   # relative to this file
            pg = 127.0.0.1:6432
            kafka = off
            http = "127.0.0.1:8081"

            max_connections = 50
            max_message_bytes = 2MB
            idle_timeout = 10m
            query_timeout = 1500ms
            tls_cert = certs/server.crt
            tls_key = certs/server.key
            log_format = json
            log_level = warn
            slow_query = 0
            shutdown_grace = 3s
            jobs_grace = 1h
            """);

        var settings = ServerCommand.Parse(["--config", path], kafkaByDefault: true, out var help);

        Assert.False(help);
        Assert.Equal(Path.Combine(_dir, "data", "main"), settings.DatabasePath);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6432), settings.PgWire);
        Assert.Null(settings.Kafka);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8081), settings.Http);
        var options = settings.ToOptions();
        Assert.Equal(50, options.MaxConnections);
        Assert.Equal(2 << 20, options.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromMinutes(10), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.QueryTimeout);
        Assert.Equal(Path.Combine(_dir, "certs", "server.crt"), options.TlsCertificatePath);
        Assert.Equal(Path.Combine(_dir, "certs", "server.key"), options.TlsKeyPath);
        Assert.Equal(LogFormat.Json, settings.LogFormat);
        Assert.Equal(LogLevel.Warn, settings.LogLevel);
        Assert.Equal(TimeSpan.Zero, settings.SlowQuery);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.ShutdownGrace);
        Assert.Equal(TimeSpan.FromHours(1), settings.JobsGrace);
    }

    [Fact]
    public void Defaults_are_the_standard_loopback_ports_with_http_off()
    {
        var settings = ServerCommand.Parse([], kafkaByDefault: true, out _);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5432), settings.PgWire);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9092), settings.Kafka);
        Assert.Null(settings.Http);
        Assert.Null(ServerCommand.Parse([], kafkaByDefault: false, out _).Kafka); // tarn-server: Kafka when asked
    }

    [Fact]
    public void The_command_line_overrides_the_file_whatever_the_order()
    {
        var path = Write("pg = 127.0.0.1:6432\nmax_connections = 50\ndatabase = from-file\n");

        var settings = ServerCommand.Parse(["--max-connections=7", "db", "--config", path, "--pg", "localhost:7000"], kafkaByDefault: true, out _);

        Assert.Equal(7, settings.MaxConnections);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7000), settings.PgWire);
        Assert.Equal(Path.GetFullPath("db"), settings.DatabasePath);
    }

    [Fact]
    public void An_unknown_key_is_an_error_with_its_line_number()
    {
        var path = Write("pg = 127.0.0.1:6432\n\n# comment\nmax_conections = 5\n");

        var error = Assert.Throws<ServerConfigException>(() => ServerCommand.Parse(["--config", path], true, out _));

        Assert.StartsWith($"{path}:4: unknown key 'max_conections'", error.Message);
    }

    [Theory]
    [InlineData("max_connections = many", 2, "max_connections: expected a positive integer, got 'many'")]
    [InlineData("max_connections = 0", 2, "expected a positive integer")]
    [InlineData("idle_timeout = 10", 2, "idle_timeout: expected a duration")]
    [InlineData("max_message_bytes = 3GB", 2, "max_message_bytes: expected a size")]
    [InlineData("kafka = 9092", 2, "kafka: expected HOST:PORT")]
    [InlineData("log_format = xml", 2, "log_format: expected logfmt or json, got 'xml'")]
    [InlineData("log_level = 1", 2, "log_level: expected debug, info, warn or error")]
    [InlineData("http = \"127.0.0.1:80", 2, "unterminated string")]
    [InlineData("just a line", 2, "expected 'key = value'")]
    [InlineData("pg = 127.0.0.1:1", 2, "'pg' is set twice")]
    public void A_bad_value_is_an_error_with_its_line_number(string line, int lineNumber, string message)
    {
        var path = Write("pg = 127.0.0.1:6432\n" + line + "\n");

        var error = Assert.Throws<ServerConfigException>(() => ServerCommand.Parse(["--config", path], true, out _));

        Assert.StartsWith($"{path}:{lineNumber}: ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(new[] { "--frobnicate", "1" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "--pg" }, "option '--pg' needs a value")]
    [InlineData(new[] { "--query-timeout", "soon" }, "--query-timeout: expected a duration")]
    [InlineData(new[] { "a", "b" }, "unexpected argument 'b'")]
    [InlineData(new[] { "--http", "10.1.2.3:8080" }, "not a loopback address")]
    [InlineData(new[] { "--config", "/nonexistent/tarn.conf" }, "cannot read the config file")]
    public void Bad_command_lines_are_errors(string[] args, string message)
    {
        var error = Assert.Throws<ServerConfigException>(() => ServerCommand.Parse(args, true, out _));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_bad_command_line_exits_2_with_usage_on_stderr()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await ServerCommand.RunAsync(["--max-connections", "-3"], stdout, stderr, "tarn serve");

        Assert.Equal(2, code);
        Assert.Equal("", stdout.ToString());
        Assert.Contains("tarn serve: --max-connections: expected a positive integer, got '-3'", stderr.ToString());
        Assert.Contains("Usage: tarn serve", stderr.ToString());
    }

    [Fact]
    public void Logfmt_quotes_values_with_spaces_quotes_and_equals()
    {
        var line = ServerLog.LogfmtLine(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), LogLevel.Warn, "slow_query",
            [("duration_ms", 1500L), ("sql", "SELECT \"a\" = 1\nFROM t"), ("empty", ""), ("none", null), ("ok", "plain")]);

        Assert.Equal("ts=2026-01-02T03:04:05.678Z level=warn event=slow_query duration_ms=1500 sql=\"SELECT \\\"a\\\" = 1\\nFROM t\" empty=\"\" none=\"\" ok=plain\n", line);
    }

    [Fact]
    public void Json_lines_are_one_object_with_typed_fields()
    {
        var line = ServerLog.JsonLine(DateTimeOffset.UnixEpoch, LogLevel.Info, "connection_opened", [("remote", "127.0.0.1:5000"), ("connection", 3L), ("tls", false), ("user", null)]);

        Assert.EndsWith("\n", line);
        Assert.DoesNotContain('\n', line.TrimEnd('\n'));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("1970-01-01T00:00:00.000Z", root.GetProperty("ts").GetString());
        Assert.Equal("info", root.GetProperty("level").GetString());
        Assert.Equal("connection_opened", root.GetProperty("event").GetString());
        Assert.Equal("127.0.0.1:5000", root.GetProperty("remote").GetString());
        Assert.Equal(3, root.GetProperty("connection").GetInt64());
        Assert.False(root.GetProperty("tls").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("user").ValueKind);
    }

    [Theory]
    [InlineData("INSERT INTO t VALUES (1)", "t")]
    [InlineData("  insert into cat.db.`my table`(a) SELECT 1", "cat.db.my table")]
    [InlineData("INSERT OVERWRITE sink SELECT * FROM src", "sink")]
    [InlineData("SELECT 1", null)]
    public void The_insert_target_names_the_ingested_table(string sql, string? table) =>
        Assert.Equal(table, ServerMetrics.InsertTarget(sql));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
