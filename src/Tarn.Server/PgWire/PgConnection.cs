using System.Net.Sockets;

namespace Tarn.Server.PgWire;

/// <summary>
/// One client connection: startup, then simple and extended query messages until Terminate or end of stream. A
/// malformed frame ends only this connection (ErrorResponse 08P01, then close); nothing here may take the server down.
/// </summary>
internal sealed partial class PgConnection : IAsyncDisposable
{
    private const int ProtocolVersion3 = 196608;
    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;
    private const int CancelRequestCode = 80877102;

    private readonly TcpClient _client;
    private Stream _stream; // a TLS stream after SSLRequest (PgConnection.Auth.cs)
    private PgFrameReader _reader;
    private readonly PgMessageWriter _writer = new();
    private readonly TarnDatabase _database;
    private TarnSession _session; // replaced by the authenticated user's session (PgConnection.Auth.cs)
    private readonly int _processId;
    private readonly Dictionary<string, PgPreparedStatement> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PgPortal> _portals = new(StringComparer.Ordinal);
    private bool _failedTransaction;
    private bool _skipUntilSync;

    public PgConnection(TcpClient client, TarnDatabase database, int processId)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new PgFrameReader(_stream);
        _database = database;
        _session = database.CreateSession();
        _processId = processId;
    }

    public async Task RunAsync(CancellationToken cancellation)
    {
        try
        {
            if (!await StartupAsync(cancellation)) return;
            while (!cancellation.IsCancellationRequested)
            {
                var frame = await ReadMessageAsync(cancellation);
                if (frame is null) return;
                var (type, body) = frame.Value;
                if (type == (byte)'X') return;
                using var inFlight = Metrics.BeginRequest(startsWork: type is (byte)'Q' or (byte)'P' or (byte)'B');
                if (!await DispatchAsync(type, body, cancellation)) return;
            }
        }
        catch (PgProtocolException e)
        {
            await TrySendFatalAsync(PgSqlStates.ProtocolViolation, e.Message, cancellation);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the server is stopping: nothing to tell anyone.
        }
#pragma warning disable CA1031 // a connection must never take the server down; report and close
        catch (Exception e)
        {
            await TrySendFatalAsync(SqlStates.InternalError, "internal error: " + e.Message, cancellation);
        }
#pragma warning restore CA1031
    }

    private async ValueTask<bool> DispatchAsync(byte type, ReadOnlyMemory<byte> body, CancellationToken cancellation)
    {
        switch ((char)type)
        {
            case 'Q':
                await SimpleQueryAsync(body, cancellation);
                return true;
            case 'S':
                _skipUntilSync = false;
                WriteReadyForQuery();
                await _writer.FlushAsync(_stream, cancellation);
                return true;
            case 'H':
                await _writer.FlushAsync(_stream, cancellation);
                return true;
            case 'd' or 'c' or 'f':
                return true; // the rest of a COPY FROM STDIN that already failed: dropped, as PostgreSQL does
            case 'P' or 'B' or 'D' or 'E' or 'C':
                if (!_skipUntilSync) await ExtendedAsync(type, body, cancellation);
                return true;
            default:
                throw new PgProtocolException($"unsupported message type '{(char)type}'");
        }
    }

    private async ValueTask<bool> StartupAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var frame = await _reader.ReadStartupAsync(cancellation);
            if (frame is null) return false;
            var parameters = ParseStartup(frame.Value.Span, out var code);
            if (code is SslRequestCode)
            {
                await TryStartTlsAsync(cancellation);
                continue;
            }
            if (code is GssEncRequestCode)
            {
                await _stream.WriteAsync("N"u8.ToArray(), cancellation); // no TLS, no GSSAPI encryption: the client goes on in plain text
                continue;
            }
            if (code == CancelRequestCode) { HandleCancelRequest(frame.Value.Span); return false; } // no answer: close, as PostgreSQL does
            if (code != ProtocolVersion3) throw new PgProtocolException($"unsupported frontend protocol {code >> 16}.{code & 0xFFFF}: Tarn speaks 3.0");
            if (!await AuthenticateAsync(parameters.GetValueOrDefault("user"), cancellation)) return false;
            _trustUserName = parameters.GetValueOrDefault("user");
            if (!await SelectDatabaseAsync(parameters.GetValueOrDefault("database"), cancellation)) return false;
            foreach (var (name, value) in PgServerParameters.For(parameters, SessionUser)) PgBackendMessages.ParameterStatus(_writer, name, value);
            PgBackendMessages.BackendKeyData(_writer, _processId, CancelSecret);
            WriteReadyForQuery();
            await _writer.FlushAsync(_stream, cancellation);
            return true;
        }
    }

    private static Dictionary<string, string> ParseStartup(ReadOnlySpan<byte> body, out int code)
    {
        var reader = new PgBodyReader(body);
        code = reader.ReadInt32();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (code != ProtocolVersion3) return parameters;
        while (reader.Remaining > 0)
        {
            var name = reader.ReadCString();
            if (name.Length == 0) break;
            parameters[name] = reader.ReadCString();
        }
        return parameters;
    }

    /// <summary>'tarn' (or none) is the default database; another name must be a Tarn database of the default catalog.</summary>
    private async ValueTask<bool> SelectDatabaseAsync(string? database, CancellationToken cancellation)
    {
        if (string.IsNullOrEmpty(database) || database == "tarn") return true;
        try
        {
            await _session.ExecuteAsync("USE `" + database.Replace("`", "``", StringComparison.Ordinal) + "`");
            return true;
        }
        catch (TarnException)
        {
            await TrySendFatalAsync(SqlStates.InvalidCatalogName, $"database \"{database}\" does not exist", cancellation);
            return false;
        }
    }

    private void WriteReadyForQuery() =>
        PgBackendMessages.ReadyForQuery(_writer, _failedTransaction ? (byte)'E' : _session.InTransaction ? (byte)'T' : (byte)'I');

    private async ValueTask TrySendFatalAsync(string sqlState, string message, CancellationToken cancellation)
    {
        try
        {
            PgBackendMessages.ErrorResponse(_writer, "FATAL", sqlState, message);
            await _writer.FlushAsync(_stream, cancellation);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone already.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseCursorsAsync(holdToo: true);
        _session.Dispose();
        _reader.Dispose();
        DisposeLimits();
        _client.Dispose();
    }
}
