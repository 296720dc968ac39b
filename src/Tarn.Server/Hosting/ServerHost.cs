using System.Diagnostics;
using System.Net.Sockets;
using Tarn.Server.Http;

namespace Tarn.Server.Hosting;

/// <summary>
/// A running server process: the database, its listeners and the optional HTTP endpoint, with readiness and the
/// graceful shutdown (<see cref="ShutdownAsync"/>). <c>tarn serve</c> and <c>tarn-server</c> run one (see
/// <see cref="ServerCommand"/>); tests start one in-process.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly ServerSettings _settings;
    private volatile bool _ready;
    private volatile bool _shuttingDown;
    private int _shutdownStarted;
    private readonly TaskCompletionSource _shutdownDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerHost(TarnServer server, ServerSettings settings)
    {
        Server = server;
        _settings = settings;
    }

    public TarnServer Server { get; }

    public ServerLog Log => Server.Metrics.Log;

    public HttpEndpoint? Http { get; private set; }

    /// <summary>The database is open, the listeners started, and no shutdown has begun (GET /ready).</summary>
    public bool IsReady => _ready && !_shuttingDown;

    public bool IsShuttingDown => _shuttingDown;

    /// <summary>
    /// Opens the database (its recorded streaming jobs resume as it opens), starts the listeners the settings ask for
    /// and logs each. A listener that cannot bind closes everything again and throws.
    /// </summary>
    public static async Task<ServerHost> StartAsync(ServerSettings settings, ServerLog log)
    {
        var path = Path.GetFullPath(settings.DatabasePath ?? TarnDatabase.DefaultPath);
        if (settings.DatabasePath is null && Path.GetDirectoryName(path) is { } parent) Directory.CreateDirectory(parent);
        var database = await TarnDatabase.OpenAsync(path).ConfigureAwait(false);
        var metrics = new ServerMetrics(log) { SlowQueryThreshold = settings.SlowQuery };
        var host = new ServerHost(new TarnServer(database, settings.ToOptions()) { Metrics = metrics }, settings);
        try
        {
            var jobs = (await database.ExecuteAsync("SELECT count(*) FROM tarn_jobs WHERE status = 'RUNNING'").ConfigureAwait(false)).GetValue(0, 0);
            log.Info("database_opened", ("path", database.Path), ("running_jobs", jobs));
            if (settings.PgWire is { } pg) log.Info("listener_started", ("protocol", "pgwire"), ("address", host.Server.StartPgWire(pg).EndPoint));
            if (settings.Kafka is { } kafka) log.Info("listener_started", ("protocol", "kafka"), ("address", host.Server.StartKafka(kafka).LocalEndPoint));
            if (settings.Http is { } http)
            {
                host.Http = await HttpEndpoint.StartAsync(host, http).ConfigureAwait(false);
                log.Info("listener_started", ("protocol", "http"), ("address", host.Http.LocalEndPoint));
            }
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidOperationException)
        {
            log.Error("listener_failed", ("error", e.Message));
            if (host.Http is not null) await host.Http.DisposeAsync().ConfigureAwait(false);
            await host.Server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        host._ready = true;
        log.Info("ready");
        return host;
    }

    /// <summary>
    /// The graceful shutdown, in phases (each logged as <c>shutdown</c> with its <c>phase</c>): /ready turns 503 and no
    /// new client is accepted, and an open connection that sends a new request is closed instead of answered; requests in flight get <see cref="ServerSettings.ShutdownGrace"/> to finish (sooner when
    /// <paramref name="hurry"/> fires), then the connections are closed and what still runs is cancelled — it was never
    /// acknowledged; the streaming jobs get <see cref="ServerSettings.JobsGrace"/> to process and commit everything
    /// committed so far (each epoch commit is the job's checkpoint: output, source positions and state token in one
    /// record); then the HTTP endpoint stops, a manifest is written and the database closes. Jobs keep their status
    /// and resume on the next open; anything a job had not committed is replayed then, exactly once.
    /// </summary>
    public async Task ShutdownAsync(string reason, CancellationToken hurry = default)
    {
        if (Interlocked.Exchange(ref _shutdownStarted, 1) != 0)
        {
            await _shutdownDone.Task.ConfigureAwait(false);
            return;
        }
        try
        {
            var clock = Stopwatch.StartNew();
            _shuttingDown = true;
            Log.Info("shutdown", ("phase", "stop_accepting"), ("reason", reason));
            Server.PgWire?.StopAccepting();
            Server.Kafka?.StopAccepting();

            var metrics = Server.Metrics;
            metrics.StartDraining();
            var drainStart = Stopwatch.StartNew();
            while (metrics.RequestsInFlight > 0 && drainStart.Elapsed < _settings.ShutdownGrace && !hurry.IsCancellationRequested)
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            var aborted = metrics.RequestsInFlight;
            Log.Info("shutdown", ("phase", "drained"), ("waited_ms", drainStart.ElapsedMilliseconds), ("requests_aborted", aborted));
            await Server.StopListenersAsync().ConfigureAwait(false);
            Log.Info("shutdown", ("phase", "connections_closed"));

            using (var jobsTimeout = CancellationTokenSource.CreateLinkedTokenSource(hurry))
            {
                jobsTimeout.CancelAfter(_settings.JobsGrace);
                try
                {
                    await Server.Database.WaitForJobsAsync(jobsTimeout.Token).ConfigureAwait(false);
                    Log.Info("shutdown", ("phase", "jobs_caught_up"));
                }
                catch (OperationCanceledException)
                {
                    Log.Warn("shutdown", ("phase", "jobs_grace_expired"), ("note", "uncommitted job input is replayed on the next open"));
                }
            }

            if (Http is not null)
            {
                await Http.DisposeAsync().ConfigureAwait(false);
                Http = null;
            }
            Server.Database.Checkpoint();
            Log.Info("shutdown", ("phase", "flushed"));
            await Server.DisposeAsync().ConfigureAwait(false);
            Log.Info("shutdown", ("phase", "closed"), ("duration_ms", clock.ElapsedMilliseconds));
        }
        catch (Exception e)
        {
            Log.Error("shutdown_failed", ("error", e.GetType().Name), ("message", e.Message));
            await Server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _shutdownDone.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync() => await ShutdownAsync("disposed").ConfigureAwait(false);
}
