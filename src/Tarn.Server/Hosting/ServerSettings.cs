using System.Globalization;
using System.Net;

namespace Tarn.Server.Hosting;

/// <summary>
/// Everything a server process is started with: the database, the listeners, the limits (<see cref="ServerOptions"/>),
/// logging and shutdown. Filled from the <c>--config</c> file first, then from command-line flags, which override it.
/// Every setting has one name: <c>max_connections</c> in the file is <c>--max-connections</c> on the command line.
/// </summary>
public sealed class ServerSettings
{
    public string? DatabasePath { get; set; }

    /// <summary>PostgreSQL endpoint; null: off.</summary>
    public IPEndPoint? PgWire { get; set; } = new(IPAddress.Loopback, 5432);

    /// <summary>Kafka endpoint; null: off.</summary>
    public IPEndPoint? Kafka { get; set; } = new(IPAddress.Loopback, 9092);

    /// <summary>HTTP endpoint (health, readiness, metrics, SQL as JSON); null: off, which is the default.</summary>
    public IPEndPoint? Http { get; set; }

    public int MaxConnections { get; set; } = ServerOptions.Default.MaxConnections;

    public int MaxMessageBytes { get; set; } = ServerOptions.Default.MaxMessageBytes;

    public TimeSpan IdleTimeout { get; set; } = ServerOptions.Default.IdleTimeout;

    public TimeSpan QueryTimeout { get; set; } = ServerOptions.Default.QueryTimeout;

    /// <summary>Silence before TCP keepalive probes on accepted connections; zero turns keepalive off.</summary>
    public TimeSpan TcpKeepAliveIdle { get; set; } = ServerOptions.Default.TcpKeepAliveIdle;

    public string? TlsCertificatePath { get; set; }

    public string? TlsKeyPath { get; set; }

    public LogFormat LogFormat { get; set; } = LogFormat.Logfmt;

    public LogLevel LogLevel { get; set; } = LogLevel.Info;

    /// <summary>Statements slower than this are logged as <c>slow_query</c>; zero: never.</summary>
    public TimeSpan SlowQuery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On SIGTERM/SIGINT, how long requests in flight may take to finish before their connections are closed.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>On shutdown, how long the streaming jobs may take to process what was committed before they stop.</summary>
    public TimeSpan JobsGrace { get; set; } = TimeSpan.FromSeconds(10);

    public ServerOptions ToOptions() => new()
    {
        MaxConnections = MaxConnections,
        MaxMessageBytes = MaxMessageBytes,
        IdleTimeout = IdleTimeout,
        QueryTimeout = QueryTimeout,
        TlsCertificatePath = TlsCertificatePath,
        TlsKeyPath = TlsKeyPath,
        TcpKeepAlive = TcpKeepAliveIdle > TimeSpan.Zero,
        TcpKeepAliveIdle = TcpKeepAliveIdle > TimeSpan.Zero ? TcpKeepAliveIdle : ServerOptions.Default.TcpKeepAliveIdle,
    };

    /// <summary>
    /// The settings by name, each with its value parser; its third argument resolves relative paths (the
    /// config file's directory, or the working directory for flags). A bad value throws <see cref="FormatException"/>
    /// with a message naming what was expected.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, (string Help, Action<ServerSettings, string, string> Apply)> Keys =
        new Dictionary<string, (string, Action<ServerSettings, string, string>)>(StringComparer.Ordinal)
        {
            ["database"] = ("DIR       the database directory", (s, v, b) => s.DatabasePath = Path.GetFullPath(NonEmpty(v), b)),
            ["pg"] = ("HOST:PORT the PostgreSQL endpoint, or off (default 127.0.0.1:5432)", (s, v, _) => s.PgWire = EndPoint(v)),
            ["kafka"] = ("HOST:PORT the Kafka endpoint, or off (default 127.0.0.1:9092)", (s, v, _) => s.Kafka = EndPoint(v)),
            ["http"] = ("HOST:PORT health, metrics and SQL over HTTP, or off (default off; e.g. 127.0.0.1:8080)", (s, v, _) => s.Http = EndPoint(v)),
            ["max_connections"] = ("N         open connections per listener (default 1024)", (s, v, _) => s.MaxConnections = Positive(v)),
            ["max_message_bytes"] = ("BYTES     largest client message, e.g. 64MB (default 64MB)", (s, v, _) => s.MaxMessageBytes = Bytes(v)),
            ["idle_timeout"] = ("DURATION  close connections idle this long, e.g. 10m; 0 = never (default 0)", (s, v, _) => s.IdleTimeout = Duration(v)),
            ["query_timeout"] = ("DURATION  cancel statements running this long; 0 = never (default 0)", (s, v, _) => s.QueryTimeout = Duration(v)),
            ["tcp_keepalives_idle"] = ("DURATION  TCP keepalive probes after this much silence, so dead clients are dropped; 0 = off (default 60s)", (s, v, _) => s.TcpKeepAliveIdle = Duration(v)),
            ["tls_cert"] = ("FILE      PEM certificate for TLS on the PostgreSQL endpoint", (s, v, b) => s.TlsCertificatePath = Path.GetFullPath(NonEmpty(v), b)),
            ["tls_key"] = ("FILE      PEM private key of tls_cert", (s, v, b) => s.TlsKeyPath = Path.GetFullPath(NonEmpty(v), b)),
            ["log_format"] = ("FORMAT    logfmt (default) or json: one event per line on stderr", (s, v, _) => s.LogFormat = Enum<LogFormat>(v, "logfmt or json")),
            ["log_level"] = ("LEVEL     debug, info (default), warn or error", (s, v, _) => s.LogLevel = Enum<LogLevel>(v, "debug, info, warn or error")),
            ["slow_query"] = ("DURATION  log statements slower than this; 0 = never (default 1s)", (s, v, _) => s.SlowQuery = Duration(v)),
            ["shutdown_grace"] = ("DURATION  on SIGTERM, time for requests in flight to finish (default 10s)", (s, v, _) => s.ShutdownGrace = Duration(v)),
            ["jobs_grace"] = ("DURATION  on SIGTERM, time for streaming jobs to catch up before they stop (default 10s)", (s, v, _) => s.JobsGrace = Duration(v)),
        };

    private static string NonEmpty(string value) =>
        value.Length > 0 ? value : throw new FormatException("expected a path, got an empty value");

    private static IPEndPoint? EndPoint(string value)
    {
        if (value.Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        var colon = value.LastIndexOf(':');
        if (colon > 0 && value[..colon] == "localhost") value = "127.0.0.1" + value[colon..];
        if (colon <= 0 || !IPEndPoint.TryParse(value, out var endpoint) || endpoint.Port == 0 && value[(colon + 1)..] != "0")
            throw new FormatException($"expected HOST:PORT such as 127.0.0.1:5432 (or off), got '{value}'");
        return endpoint;
    }

    private static int Positive(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new FormatException($"expected a positive integer, got '{value}'");

    /// <summary>A byte count: digits with an optional KB, MB or GB suffix (powers of 1024).</summary>
    internal static int Bytes(string value)
    {
        var text = value.Trim();
        long unit = 1;
        foreach (var (suffix, size) in new[] { ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30), ("B", 1L) })
        {
            if (!text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            unit = size;
            text = text[..^suffix.Length].TrimEnd();
            break;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n * unit <= int.MaxValue) return (int)(n * unit);
        throw new FormatException($"expected a size such as 1048576, 512KB or 64MB (at most 2GB - 1), got '{value}'");
    }

    /// <summary>A duration: digits with ms, s, m or h (a bare 0 is allowed: off).</summary>
    internal static TimeSpan Duration(string value)
    {
        var text = value.Trim();
        if (text == "0") return TimeSpan.Zero;
        foreach (var (suffix, unit) in new[] { ("ms", TimeSpan.FromMilliseconds(1)), ("s", TimeSpan.FromSeconds(1)), ("m", TimeSpan.FromMinutes(1)), ("h", TimeSpan.FromHours(1)) })
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal)) continue;
            if (long.TryParse(text[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= int.MaxValue) return unit * n;
            break;
        }
        throw new FormatException($"expected a duration such as 500ms, 30s, 5m or 1h (0 = off), got '{value}'");
    }

    private static T Enum<T>(string value, string expected) where T : struct, Enum =>
        System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && !int.TryParse(value, out _) ? parsed
            : throw new FormatException($"expected {expected}, got '{value}'");
}
