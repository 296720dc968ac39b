using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Tarn.Server.Hosting;

/// <summary>
/// Counters of one server process (connections, requests in flight, queries, ingested rows, Kafka records) and the
/// events that go with them in the <see cref="Log"/>. The listeners call in with one line each; the counters are plain
/// interlocked longs, so instrumenting a hot path costs an atomic add. Read by <c>GET /metrics</c> and by the graceful
/// shutdown (which waits for <see cref="RequestsInFlight"/> to reach zero).
/// </summary>
public sealed partial class ServerMetrics
{
    private readonly long[] _open = new long[ServerProtocols.All.Length];
    private readonly long[] _total = new long[ServerProtocols.All.Length];
    private readonly long[] _queries = new long[ServerProtocols.All.Length];
    private readonly long[] _queryErrors = new long[ServerProtocols.All.Length];
    private readonly ConcurrentDictionary<(string Table, string Via), StrongBox> _ingested = new();
    private long _inFlight;
    private int _draining;
    private long _produced;
    private long _fetched;
    private long _authFailures;

    public ServerMetrics(ServerLog? log = null)
    {
        Log = log ?? ServerLog.Null;
    }

    public ServerLog Log { get; }

    /// <summary>Statements running longer than this are logged as <c>slow_query</c>; zero disables the event.</summary>
    public TimeSpan SlowQueryThreshold { get; init; } = TimeSpan.FromSeconds(1);

    public long OpenConnections(ServerProtocol protocol) => Interlocked.Read(ref _open[(int)protocol]);

    public long TotalConnections(ServerProtocol protocol) => Interlocked.Read(ref _total[(int)protocol]);

    public long Queries(ServerProtocol protocol) => Interlocked.Read(ref _queries[(int)protocol]);

    public long QueryErrors(ServerProtocol protocol) => Interlocked.Read(ref _queryErrors[(int)protocol]);

    /// <summary>Requests received and not yet answered, over all protocols.</summary>
    public long RequestsInFlight => Interlocked.Read(ref _inFlight);

    public long KafkaProducedRecords => Interlocked.Read(ref _produced);

    public long KafkaFetchedRecords => Interlocked.Read(ref _fetched);

    public long AuthFailures => Interlocked.Read(ref _authFailures);

    /// <summary>Rows written per (table, way in: "sql" or "kafka").</summary>
    public IEnumerable<(string Table, string Via, long Rows)> IngestedRows()
    {
        foreach (var (key, box) in _ingested) yield return (key.Table, key.Via, Interlocked.Read(ref box.Value));
    }

    /// <summary>Counts an accepted connection and logs it; disposing the returned scope counts and logs its end.</summary>
    public ConnectionScope Connection(ServerProtocol protocol, Socket socket)
    {
        EndPoint? remote = null;
        try
        {
            remote = socket.RemoteEndPoint;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already gone: logged without an address
        }
        return Connection(protocol, remote);
    }

    /// <summary>Counts a connection from <paramref name="remote"/> and logs it; disposing the scope counts and logs its end.</summary>
    public ConnectionScope Connection(ServerProtocol protocol, EndPoint? remote)
    {
        Interlocked.Increment(ref _open[(int)protocol]);
        var id = Interlocked.Increment(ref _total[(int)protocol]);
        Log.Info("connection_opened", ("protocol", ServerProtocols.Name(protocol)), ("remote", remote?.ToString()), ("connection", id));
        return new ConnectionScope(this, protocol, remote?.ToString(), id);
    }

    /// <summary>
    /// Marks one request as in flight until the scope is disposed. Once the shutdown drains (<see cref="StartDraining"/>),
    /// a request that would start new work (<paramref name="startsWork"/>) is refused with an
    /// <see cref="OperationCanceledException"/>, which the listeners treat as the server stopping: the connection closes
    /// without an answer, so nothing is acknowledged that was not done. Requests that finish work already begun (a
    /// pgwire Sync after Execute) still run.
    /// </summary>
    public RequestScope BeginRequest(bool startsWork = true)
    {
        Interlocked.Increment(ref _inFlight);
        if (startsWork && Volatile.Read(ref _draining) != 0)
        {
            Interlocked.Decrement(ref _inFlight);
            throw new OperationCanceledException("the server is shutting down");
        }
        return new RequestScope(this);
    }

    /// <summary>Shutdown: from now on no new request starts (see <see cref="BeginRequest"/>), so <see cref="RequestsInFlight"/> only falls.</summary>
    public void StartDraining() => Interlocked.Exchange(ref _draining, 1);

    public bool IsDraining => Volatile.Read(ref _draining) != 0;

    /// <summary>Runs a statement, counting it (and its error), its inserted rows, and logging it when slow or failed unexpectedly.</summary>
    public async Task<TarnResult> MeasureAsync(ServerProtocol protocol, string sql, Func<Task<TarnResult>> run)
    {
        var start = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _queries[(int)protocol]);
        try
        {
            var result = await run().ConfigureAwait(false);
            if (result.Kind == StatementKind.Insert && result.RowsAffected > 0 && InsertTarget(sql) is { } table)
                Ingested(table, "sql", result.RowsAffected);
            LogIfSlow(protocol, sql, Stopwatch.GetElapsedTime(start));
            return result;
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _queryErrors[(int)protocol]);
            if (e is TarnException t)
                Log.Debug("query_error", ("protocol", ServerProtocols.Name(protocol)), ("sqlstate", t.SqlState), ("message", t.Message));
            else if (e is not OperationCanceledException)
                Log.Error("query_failed", ("protocol", ServerProtocols.Name(protocol)), ("error", e.GetType().Name), ("message", e.Message), ("sql", Shorten(sql)));
            throw;
        }
    }

    private void LogIfSlow(ServerProtocol protocol, string sql, TimeSpan elapsed)
    {
        if (SlowQueryThreshold > TimeSpan.Zero && elapsed >= SlowQueryThreshold)
            Log.Warn("slow_query", ("protocol", ServerProtocols.Name(protocol)), ("duration_ms", (long)elapsed.TotalMilliseconds), ("sql", Shorten(sql)));
    }

    /// <summary>Records appended through Kafka Produce into a topic's table.</summary>
    public void Produced(string topic, int records)
    {
        Interlocked.Add(ref _produced, records);
        Ingested(topic, "kafka", records);
    }

    /// <summary>A Fetch answer's record batch (v2): its record count is the big-endian int at byte 57.</summary>
    public void Fetched(ReadOnlySpan<byte> recordBatch)
    {
        if (recordBatch.Length >= 61) Interlocked.Add(ref _fetched, BinaryPrimitives.ReadInt32BigEndian(recordBatch[57..]));
    }

    /// <summary>A client failed to authenticate (for the auth code paths to call).</summary>
    public void AuthFailed(ServerProtocol protocol, EndPoint? remote, string? user, string reason)
    {
        Interlocked.Increment(ref _authFailures);
        Log.Warn("auth_failed", ("protocol", ServerProtocols.Name(protocol)), ("remote", remote?.ToString()), ("user", user), ("reason", reason));
    }

    private void Ingested(string table, string via, long rows)
    {
        var box = _ingested.GetOrAdd((table, via), static _ => new StrongBox());
        Interlocked.Add(ref box.Value, rows);
    }

    /// <summary>The table of <c>INSERT INTO name ...</c> as written (quotes removed), or null.</summary>
    internal static string? InsertTarget(string sql)
    {
        var match = InsertPattern().Match(sql);
        if (!match.Success) return null;
        return match.Groups[1].Value.Replace("`", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s*INSERT\s+(?:INTO|OVERWRITE)\s+(?:TABLE\s+)?((?:`[^`]+`|""[^""]+""|[^\s(.`""]+)(?:\.(?:`[^`]+`|""[^""]+""|[^\s(.`""]+))*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InsertPattern();

    internal static string Shorten(string sql) => sql.Length <= 200 ? sql : sql[..197] + "...";

    private sealed class StrongBox
    {
        public long Value;
    }

    public readonly struct RequestScope(ServerMetrics metrics) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref metrics._inFlight);
    }

    public sealed class ConnectionScope : IDisposable
    {
        private readonly ServerMetrics _metrics;
        private readonly ServerProtocol _protocol;
        private readonly string? _remote;
        private readonly long _id;
        private readonly long _start = Stopwatch.GetTimestamp();
        private int _disposed;

        internal ConnectionScope(ServerMetrics metrics, ServerProtocol protocol, string? remote, long id)
        {
            _metrics = metrics;
            _protocol = protocol;
            _remote = remote;
            _id = id;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            Interlocked.Decrement(ref _metrics._open[(int)_protocol]);
            _metrics.Log.Info("connection_closed", ("protocol", ServerProtocols.Name(_protocol)), ("remote", _remote), ("connection", _id),
                ("duration_ms", (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds));
        }
    }
}
