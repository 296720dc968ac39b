using System.Net;
using System.Net.Sockets;

namespace Tarn.Server.PgWire;

/// <summary>Accepts PostgreSQL clients on one endpoint and runs each connection on its own task.</summary>
public sealed class PgListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TarnDatabase _database;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _nextProcessId;

    public PgListener(TarnDatabase database, IPEndPoint endpoint)
    {
        _database = database;
        _listener = new TcpListener(endpoint);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptLoopAsync();
    }

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
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        await using var connection = new PgConnection(client, _database, Interlocked.Increment(ref _nextProcessId));
        await connection.RunAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}
