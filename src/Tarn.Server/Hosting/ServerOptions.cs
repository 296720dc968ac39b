namespace Tarn.Server.Hosting;

/// <summary>
/// Settings of one server process, shared by its listeners. Built from the command line and the <c>--config</c> file;
/// every limit here is enforced on what clients send before anything is allocated for it.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>Open connections per listener; a client past the limit is refused with an error (PostgreSQL: 53300).</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>Largest message a client may send after authentication (a pgwire frame, a Kafka request).</summary>
    public int MaxMessageBytes { get; init; } = 64 << 20;

    /// <summary>A connection that sends nothing for this long is closed; <see cref="TimeSpan.Zero"/> disables it (PostgreSQL's idle_session_timeout).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>A statement running longer than this is cancelled (57014); <see cref="TimeSpan.Zero"/> disables it (PostgreSQL's statement_timeout).</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>PEM certificate (with its key in <see cref="TlsKeyPath"/>) for TLS on the PostgreSQL endpoint; null: SSLRequest is answered 'N'.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>TCP keepalive probes on accepted connections of both listeners, so dead peers are detected (see <see cref="TcpKeepAlive"/>).</summary>
    public bool TcpKeepAlive { get; init; } = true;

    /// <summary>Silence before the first keepalive probe (PostgreSQL's tcp_keepalives_idle).</summary>
    public TimeSpan TcpKeepAliveIdle { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time between unanswered keepalive probes (tcp_keepalives_interval).</summary>
    public TimeSpan TcpKeepAliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Unanswered probes before the connection is considered dead (tcp_keepalives_count).</summary>
    public int TcpKeepAliveCount { get; init; } = 6;

    /// <summary>The defaults: loopback development settings.</summary>
    public static ServerOptions Default { get; } = new();
}
