using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Tarn.Server.Hosting;

namespace Tarn.Server.PgWire;

/// <summary>
/// Cancellation and limits: CancelRequest (matched by process id and secret through the listener), the server's
/// query timeout and a session's <c>SET statement_timeout</c> (57014), the idle-session timeout (57P05, then close)
/// and the largest message a client may send.
/// </summary>
internal sealed partial class PgConnection
{
    private readonly Lock _statementGate = new();
    private CancellationTokenSource? _statement;
    private bool _cancelRequested;
    private CancellationTokenSource? _idle;

    /// <summary>The listener's limits.</summary>
    public ServerOptions Options { get; init; } = ServerOptions.Default;

    /// <summary>The listener, which routes CancelRequests to the connection they name.</summary>
    public PgListener? Listener { get; init; }

    /// <summary>The secret of BackendKeyData: a CancelRequest must repeat it.</summary>
    public int CancelSecret { get; } = RandomNumberGenerator.GetInt32(int.MaxValue);

    public int ProcessId => _processId;

    private int MaxMessageBytes => Options.MaxMessageBytes > 0 ? Options.MaxMessageBytes : PgLimits.MaxFrame;

    /// <summary>The connection's own token (server stopping), for socket I/O inside a statement.</summary>
    private CancellationToken ConnectionCancellation { get; set; }

    /// <summary>The next message, or null at end of stream or when the idle-session timeout closed the connection.</summary>
    private async ValueTask<(byte Type, ReadOnlyMemory<byte> Body)?> ReadMessageAsync(CancellationToken cancellation)
    {
        ConnectionCancellation = cancellation;
        var idle = Options.IdleTimeout;
        if (idle <= TimeSpan.Zero) return await _reader.ReadAsync(MaxMessageBytes, cancellation);
        _idle ??= CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        _idle.CancelAfter(idle);
        try
        {
            var frame = await _reader.ReadAsync(MaxMessageBytes, _idle.Token);
            _idle.CancelAfter(Timeout.Infinite);
            return frame;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            await TrySendFatalAsync(PgCopyErrors.IdleSessionTimeout, "terminating connection due to idle-session timeout", cancellation);
            return null;
        }
    }

    /// <summary>
    /// Runs one statement under a token that a CancelRequest or the query timeout cancels; a cancelled statement
    /// fails with 57014 worded for the cause, and the connection stays usable.
    /// </summary>
    private async Task<PgStatementOutcome> ExecuteStatementAsync(string sql, object?[] parameters, CancellationToken cancellation)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var timeout = Options.QueryTimeout;
        if (timeout > TimeSpan.Zero) source.CancelAfter(timeout);
        lock (_statementGate)
        {
            _statement = source;
            _cancelRequested = false;
        }
        try
        {
            return PgCopyStatement.IsCopy(sql) && !_failedTransaction
                ? await CopyAsync(sql, source.Token)
                : await ExecuteStatementCoreAsync(sql, parameters, source.Token);
        }
        catch (Exception e) when (source.IsCancellationRequested && !cancellation.IsCancellationRequested
                                  && (e is OperationCanceledException || e is TarnException { SqlState: SqlStates.QueryCanceled }))
        {
            bool user;
            lock (_statementGate) user = _cancelRequested;
            throw new TarnException(SqlStates.QueryCanceled, user ? "canceling statement due to user request" : "canceling statement due to statement timeout", e);
        }
        finally
        {
            lock (_statementGate) _statement = null;
            source.Dispose();
        }
    }

    /// <summary>A CancelRequest for this connection: cancels the running statement if the secret matches (else nothing).</summary>
    public void Cancel(int secret)
    {
        if (secret != CancelSecret) return;
        CancelChangelogWait(); // a SUBSCRIBE streams outside the statement wrapper below
        lock (_statementGate)
        {
            if (_statement is null) return;
            _cancelRequested = true;
            _statement.Cancel();
        }
    }

    /// <summary>The body of a CancelRequest: int32 code, int32 process id, int32 secret.</summary>
    private void HandleCancelRequest(ReadOnlySpan<byte> body)
    {
        if (body.Length < 12) return;
        var reader = new PgBodyReader(body);
        reader.ReadInt32();
        var processId = reader.ReadInt32();
        var secret = reader.ReadInt32();
        Listener?.Cancel(processId, secret);
    }

    /// <summary>
    /// <c>SET [SESSION|LOCAL] statement_timeout {=|TO} n[unit]</c> becomes the session's <c>'query.timeout'</c> (PostgreSQL's
    /// default unit is milliseconds; 0 turns it off). Returns false for any other statement.
    /// </summary>
    private async ValueTask<bool> TrySetStatementTimeoutAsync(string sql)
    {
        var match = StatementTimeoutPattern().Match(sql);
        if (!match.Success) return false;
        var value = match.Groups["value"].Value;
        var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        var milliseconds = unit switch
        {
            "" or "ms" => amount,
            "s" => amount * 1000,
            "min" => amount * 60_000,
            "h" => amount * 3_600_000,
            "d" => amount * 86_400_000,
            _ => throw new TarnException(SqlStates.InvalidParameterValue, $"invalid value for parameter \"statement_timeout\": \"{value}\""),
        };
        var text = milliseconds <= 0 ? "0" : Math.Ceiling(milliseconds).ToString(CultureInfo.InvariantCulture) + " ms";
        await _session.ExecuteAsync($"SET 'query.timeout' = '{text}'");
        return true;
    }

    [GeneratedRegex(@"^\s*SET\s+(?:SESSION\s+|LOCAL\s+)?statement_timeout\s*(?:=|\s+TO\s+)\s*'?(?<value>(?<amount>\d+(?:\.\d+)?)\s*(?<unit>[a-z]*))'?\s*;?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StatementTimeoutPattern();

    private void DisposeLimits() => _idle?.Dispose();
}
