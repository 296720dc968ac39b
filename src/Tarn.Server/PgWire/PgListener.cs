using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Tarn.Server.Hosting;
using Tarn.Server.Security;

namespace Tarn.Server.PgWire;

/// <summary>Accepts PostgreSQL clients on one endpoint and runs each connection on its own task.</summary>
public sealed partial class PgListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TarnDatabase _database;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private int _nextProcessId;
    private volatile bool _stoppedAccepting;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _tlsCertificate;

    public PgListener(TarnDatabase database, IPEndPoint endpoint, ServerOptions? options = null)
    {
        _database = database;
        Options = options ?? ServerOptions.Default;
        _tlsCertificate = ServerSecurity.LoadTlsCertificate(Options);
        _listener = new TcpListener(endpoint);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Limits and security settings this listener enforces.</summary>
    public ServerOptions Options { get; }

    /// <summary>The bound endpoint (with the real port when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Counters and events of the server this listener belongs to.</summary>
    public ServerMetrics Metrics { get; init; } = new();

    /// <summary>Graceful shutdown, first step: no new clients; open connections carry on until <see cref="DisposeAsync"/>.</summary>
    public void StopAccepting()
    {
        _stoppedAccepting = true;
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                if (_stop.IsCancellationRequested || _stoppedAccepting) return;
                continue;
            }
            client.NoDelay = true;
            TcpKeepAlive.Apply(client.Client, Options);
            var id = Interlocked.Increment(ref _nextProcessId);
            if (!TryAdmit()) { _connections[id] = RefuseAsync(client).ContinueWith(_ => _connections.TryRemove(id, out Task? _), TaskScheduler.Default); continue; }
            _connections[id] = ServeAsync(client, id);
        }
    }

    private async Task ServeAsync(TcpClient client, int id)
    {
        await Task.Yield(); // run the connection off the accept loop
        try
        {
            using var open = Metrics.Connection(ServerProtocol.PgWire, client.Client);
            await using var connection = new PgConnection(client, _database, id) { Metrics = Metrics, Options = Options, Listener = this, TlsCertificate = _tlsCertificate };
            Register(id, connection);
            await connection.RunAsync(_stop.Token);
        }
        finally
        {
            Release(id);
            _connections.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        // Connections stop at their next read; the database must outlive them (the owner disposes it after this).
        await Task.WhenAll(_connections.Values);
        _stop.Dispose();
        _tlsCertificate?.Dispose();
    }
}
