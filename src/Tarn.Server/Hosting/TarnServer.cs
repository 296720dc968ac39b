using System.Net;
using Tarn.Server.Kafka;
using Tarn.Server.PgWire;

namespace Tarn.Server.Hosting;

/// <summary>Owns the database and the protocol listeners of one server process.</summary>
public sealed class TarnServer : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _listeners = [];

    public TarnServer(TarnDatabase database, ServerOptions? options = null)
    {
        Database = database;
        Options = options ?? ServerOptions.Default;
    }

    public TarnDatabase Database { get; }

    /// <summary>Limits and security settings every listener of this server enforces.</summary>
    public ServerOptions Options { get; }

    /// <summary>Counters and the structured log shared by this server's listeners (GET /metrics).</summary>
    public ServerMetrics Metrics { get; init; } = new();

    /// <summary>The PostgreSQL endpoint, once started.</summary>
    public PgListener? PgWire { get; private set; }

    /// <summary>Starts the PostgreSQL wire protocol listener (port 0 picks a free port; see <see cref="PgListener.EndPoint"/>).</summary>
    public PgListener StartPgWire(IPEndPoint endpoint)
    {
        Security.ServerSecurity.CheckListenAddress(Database, endpoint, "PostgreSQL");
        var listener = new PgListener(Database, endpoint, Options) { Metrics = Metrics };
        _listeners.Add(listener);
        PgWire = listener;
        return listener;
    }

    /// <summary>The Kafka endpoint, once started.</summary>
    public KafkaListener? Kafka { get; private set; }

    /// <summary>Starts the Kafka protocol listener (port 0 picks a free port; see <see cref="KafkaListener.LocalEndPoint"/>).</summary>
    public KafkaListener StartKafka(IPEndPoint endpoint)
    {
        Security.ServerSecurity.CheckListenAddress(Database, endpoint, "Kafka");
        var listener = new KafkaListener(Database, endpoint, Options) { Metrics = Metrics };
        listener.Start();
        _listeners.Add(listener);
        Kafka = listener;
        return listener;
    }

    /// <summary>Closes every listener and its connections (requests still running are cancelled); the database stays open.</summary>
    public async ValueTask StopListenersAsync()
    {
        foreach (var listener in _listeners) await listener.DisposeAsync();
        _listeners.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners) await listener.DisposeAsync();
        _listeners.Clear();
        await Database.DisposeAsync();
    }
}
