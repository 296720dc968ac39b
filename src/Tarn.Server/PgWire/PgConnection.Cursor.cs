using System.Globalization;
using System.Net.Sockets;

namespace Tarn.Server.PgWire;

/// <summary>
/// Cursors, as Materialize has them over pgwire: <c>DECLARE c CURSOR FOR SUBSCRIBE (query)</c> follows a query's
/// changelog, <c>DECLARE c CURSOR FOR SELECT ...</c> pages an ordinary result; <c>FETCH [n|ALL] [FROM] c [WITH
/// (timeout = '1s')]</c> answers with an ordinary result set (a changelog cursor's first column is <c>op</c>: +I, -U,
/// +U, -D) and <c>CLOSE c</c> ends it. Without WITH HOLD a cursor needs a transaction block and ends with it.
/// RisingWave's <c>DECLARE c SUBSCRIPTION CURSOR FOR sub</c> follows a durable subscription (<see cref="PgSubscriptionCursor"/>).
/// </summary>
internal sealed partial class PgConnection
{
    private const string DuplicateCursor = "42P03";

    private readonly Dictionary<string, PgCursor> _cursors = new(StringComparer.Ordinal);

    private readonly Lock _changelogGate = new();

    /// <summary>Cancels the SUBSCRIBE or FETCH waiting for changes now, if any (what a CancelRequest does to them).</summary>
    private CancellationTokenSource? _changelogStop;

    /// <summary>
    /// For the cancel registry (CancelRequest): stops a running SUBSCRIBE (it ends with ErrorResponse 57014) or a FETCH
    /// waiting for changes. Safe from any thread.
    /// </summary>
    internal void CancelChangelogWait()
    {
        lock (_changelogGate) _changelogStop?.Cancel();
    }

    /// <summary>A token cancelled by <see cref="CancelChangelogWait"/> or <paramref name="cancellation"/>; dispose with <see cref="EndChangelogWait"/>.</summary>
    private CancellationTokenSource BeginChangelogWait(CancellationToken cancellation)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        lock (_changelogGate) _changelogStop = stop;
        return stop;
    }

    private void EndChangelogWait(CancellationTokenSource stop)
    {
        lock (_changelogGate) if (_changelogStop == stop) _changelogStop = null;
        stop.Dispose();
    }

    /// <summary>
    /// Whether the client is done while a statement waits for changes: it closed its side (the socket is readable with
    /// nothing to read), or a Terminate is among the messages it pipelined (they wait unread, starting at a frame
    /// boundary, since the reader takes whole frames), or it closed, was reset or timed out by TCP keepalive with other
    /// messages still unread (<see cref="PgPeerState"/>).
    /// </summary>
    private bool PeerGone()
    {
        try
        {
            var socket = _client.Client;
            if (!socket.Poll(0, SelectMode.SelectRead)) return false;
            var available = socket.Available;
            if (available == 0) return true;
            if (PgPeerState.ClosedByPeer(socket)) return true; // closed, reset or timed out with messages still unread
            var pending = new byte[Math.Min(available, 64 * 1024)];
            var n = socket.Receive(pending, SocketFlags.Peek);
            for (var at = 0; at + 5 <= n;)
            {
                var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(pending.AsSpan(at + 1));
                if (pending[at] == (byte)'X' && length == 4) return true;
                if (length < 4 || length > PgLimits.MaxFrame) return false; // not plain frames (TLS records, garbage): no opinion
                at += 1 + length;
            }
            return false;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>DECLARE, FETCH and CLOSE; null for any other statement. SUBSCRIBE is refused here (it only streams over the simple protocol).</summary>
    private async Task<PgStatementOutcome?> TryCursorStatementAsync(string sql, string first, CancellationToken cancellation)
    {
        switch (first)
        {
            case "DECLARE": return await DeclareCursorAsync(sql, cancellation);
            case "FETCH": return await FetchCursorAsync(sql, cancellation);
            case "CLOSE":
                var name = PgCursorText.ParseClose(sql);
                if (name is null) { await CloseCursorsAsync(holdToo: true); return new(null, "CLOSE CURSOR ALL"); }
                if (!_cursors.Remove(CursorKey(name), out var cursor))
                    throw new TarnException(PgSqlStates.InvalidCursorName, $"cursor \"{CursorKey(name)}\" does not exist");
                await cursor.DisposeAsync();
                return new(null, "CLOSE CURSOR");
            case "SUBSCRIBE":
                throw new TarnException(SqlStates.FeatureNotSupported,
                    "SUBSCRIBE streams with COPY over the simple query protocol; with the extended protocol use DECLARE c CURSOR FOR SUBSCRIBE ... and FETCH");
            default:
                return null;
        }
    }

    private async Task<PgStatementOutcome> DeclareCursorAsync(string sql, CancellationToken cancellation)
    {
        if (PgCursorText.ParseSubscriptionDeclare(sql) is { } subscription) return await DeclareSubscriptionCursorAsync(subscription, cancellation);
        var declare = PgCursorText.ParseDeclare(sql);
        var key = CursorKey(declare.Cursor);
        if (!declare.Hold && !_session.InTransaction)
            throw new TarnException(SqlStates.NoActiveSqlTransaction, "DECLARE CURSOR can only be used in transaction blocks");
        if (_cursors.ContainsKey(key)) throw new TarnException(DuplicateCursor, $"cursor \"{key}\" already exists");
        PgCursor cursor;
        if (declare.Subscribe)
        {
            cursor = new PgChangeCursor(_session.SubscribeAsync(declare.Query, declare.Options), declare.Options.Progress) { Hold = declare.Hold };
        }
        else
        {
            var result = await _session.ExecuteAsync(declare.Query, TarnParameters.None, cancellation);
            if (!result.HasRows) throw new TarnException(SqlStates.SyntaxError, "DECLARE CURSOR needs a statement that returns rows");
            cursor = new PgResultCursor(result) { Hold = declare.Hold };
        }
        _cursors[key] = cursor;
        return new(null, "DECLARE CURSOR");
    }

    /// <summary>RisingWave's subscription cursor: outside transactions too, until CLOSE or the end of the session.</summary>
    private async Task<PgStatementOutcome> DeclareSubscriptionCursorAsync(PgCursorText.SubscriptionDeclare declare, CancellationToken cancellation)
    {
        var key = CursorKey(declare.Cursor);
        if (_cursors.ContainsKey(key)) throw new TarnException(DuplicateCursor, $"cursor \"{key}\" already exists");
        var cursor = await _session.DeclareSubscriptionCursorAsync(declare.Subscription, declare.Start, cancellation);
        _cursors[key] = new PgSubscriptionCursor(cursor) { Hold = true };
        return new(null, "DECLARE SUBSCRIPTION CURSOR");
    }

    private async Task<PgStatementOutcome> FetchCursorAsync(string sql, CancellationToken cancellation)
    {
        var fetch = PgCursorText.ParseFetch(sql);
        var cursor = FindCursor(fetch.Cursor);
        var stop = BeginChangelogWait(cancellation);
        TarnResult result;
        try
        {
            result = await cursor.FetchAsync(fetch.Count, fetch.Timeout, PeerGone, stop.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new TarnException(SqlStates.QueryCanceled, "canceling statement due to user request");
        }
        finally
        {
            EndChangelogWait(stop);
        }
        return new(result, "FETCH " + result.RowCount.ToString(CultureInfo.InvariantCulture));
    }

    private PgCursor FindCursor(string name) =>
        _cursors.GetValueOrDefault(CursorKey(name)) ?? throw new TarnException(PgSqlStates.InvalidCursorName, $"cursor \"{CursorKey(name)}\" does not exist");

    /// <summary>The columns a cursor statement answers with, without running it: FETCH has its cursor's; DECLARE and CLOSE none.</summary>
    private bool TryDescribeCursorStatement(string sql, out IReadOnlyList<TarnColumn>? columns)
    {
        columns = null;
        var first = PgCursorText.FirstWord(sql);
        if (first is "DECLARE" or "CLOSE" or "SUBSCRIBE") return true;
        if (first != "FETCH") return false;
        columns = FindCursor(PgCursorText.ParseFetch(sql).Cursor).Columns;
        return true;
    }

    /// <summary>Unquoted names fold to lower case, as PostgreSQL's do; "quoted" names keep their case.</summary>
    private static string CursorKey(string name) =>
        name.Length >= 2 && name[0] == '"' && name[^1] == '"' ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name.ToLowerInvariant();

    /// <summary>Ends the cursors of a finished transaction (all of them with <paramref name="holdToo"/>: CLOSE ALL, DISCARD ALL, disconnect).</summary>
    private async ValueTask CloseCursorsAsync(bool holdToo)
    {
        if (_cursors.Count == 0) return;
        foreach (var (name, cursor) in _cursors.ToArray())
        {
            if (cursor.Hold && !holdToo) continue;
            _cursors.Remove(name);
            await cursor.DisposeAsync();
        }
    }
}
