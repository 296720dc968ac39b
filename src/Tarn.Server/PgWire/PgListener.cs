using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Tarn.Server.Hosting;
using Tarn.Server.Security;

namespace Tarn.Server.PgWire;

/// <summary>Accepts PostgreSQL clients on one endpoint and runs each connection on its own task.</summary>
public sealed class PgListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TarnDatabase _database;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private int _nextProcessId;
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

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            client.NoDelay = true;
            var id = Interlocked.Increment(ref _nextProcessId);
            _connections[id] = ServeAsync(client, id);
        }
    }

    private async Task ServeAsync(TcpClient client, int id)
    {
        await Task.Yield(); // run the connection off the accept loop
        try
        {
            await using var connection = new PgConnection(client, _database, id) { TlsCertificate = _tlsCertificate };
            await connection.RunAsync(_stop.Token);
        }
        finally
        {
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
