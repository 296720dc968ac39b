using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Tarn.Server.Hosting;
using Tarn.Server.Kafka.Groups;

namespace Tarn.Server.Kafka;

/// <summary>
/// The Kafka protocol endpoint: clients such as Confluent.Kafka produce into and fetch from native tables (a topic is a
/// table). Each connection is served by its own task; a malformed frame closes that connection only.
/// </summary>
public sealed class KafkaListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly KafkaTopics _topics;
    private readonly GroupCoordinator _groups;

    /// <summary>The consumer groups (for tests and diagnostics).</summary>
    internal GroupCoordinator Groups => _groups;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<KafkaConnection, Task> _connections = new();
    private Task? _acceptLoop;
    private int _connectionFaults;

    /// <summary>Connections that ended with an unexpected exception (a server bug); the fuzz tests assert it stays 0.</summary>
    internal int ConnectionFaults => Volatile.Read(ref _connectionFaults);

    private readonly ConcurrentQueue<Exception> _faultSamples = new();

    /// <summary>The first 20 of those exceptions, for diagnostics.</summary>
    internal IReadOnlyCollection<Exception> ConnectionFaultSamples => _faultSamples;

    private volatile bool _stoppedAccepting;

    public KafkaListener(TarnDatabase database, IPEndPoint endPoint, ServerOptions? options = null)
    {
        Options = options ?? ServerOptions.Default;
        MaxFrameBytes = Options.MaxMessageBytes;
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(endPoint);
        _topics = new KafkaTopics(database);
        _groups = new GroupCoordinator(database, OffsetStore.ForDatabase(database.Path));
        _listener = new TcpListener(endPoint);
    }

    /// <summary>Largest request frame accepted (bigger ones close the connection before anything is allocated).</summary>
    public int MaxFrameBytes { get; init; }

    /// <summary>The address Metadata tells clients to connect to (default: the bound address), e.g. a proxy's or a public name's.</summary>
    public IPEndPoint? AdvertisedEndPoint { get; set; }

    /// <summary>Limits and security settings this listener enforces.</summary>
    public ServerOptions Options { get; }

    /// <summary>The bound address (the real port when constructed with port 0); valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Counters and events of the server this listener belongs to.</summary>
    public ServerMetrics Metrics { get; init; } = new();

    /// <summary>Graceful shutdown, first step: no new clients; open connections carry on until <see cref="DisposeAsync"/>.</summary>
    public void StopAccepting()
    {
        _stoppedAccepting = true;
        _listener.Stop();
    }

    public void Start()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stop.IsCancellationRequested || _stoppedAccepting) return;
                continue;
            }
            socket.NoDelay = true;
            TcpKeepAlive.Apply(socket, Options);
            var connection = new KafkaConnection(socket, _topics, AdvertisedEndPoint ?? LocalEndPoint, MaxFrameBytes) { Metrics = Metrics, Groups = _groups };
            _connections[connection] = Task.Run(async () =>
            {
                using var open = Metrics.Connection(ServerProtocol.Kafka, socket);
                try
                {
                    await connection.RunAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // A bug, not a client error (those end inside RunAsync): count it so tests and metrics see it.
                    if (Interlocked.Increment(ref _connectionFaults) <= 20) _faultSamples.Enqueue(e);
                }
                finally
                {
                    _connections.TryRemove(connection, out _);
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        _groups.Dispose(); // answers joins and syncs still waiting for a rebalance, so their connections can end
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        foreach (var (connection, task) in _connections)
        {
            connection.Close();
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // the connection was being torn down
            }
        }
        _stop.Dispose();
    }
}
