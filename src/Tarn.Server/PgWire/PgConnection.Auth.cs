using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tarn.Server.Security;

namespace Tarn.Server.PgWire;

/// <summary>
/// Authentication and TLS of a connection: with no user in the catalog the server trusts the client (its listeners
/// are then loopback-only, see TarnServer); once a user exists, SCRAM-SHA-256 (AuthenticationSASL, SASLContinue,
/// SASLFinal) is required and the session acts for the authenticated user. An SSLRequest is answered 'S' and the
/// stream wrapped in TLS when the listener has a certificate.
/// </summary>
internal sealed partial class PgConnection
{
    private const string ScramMechanism = "SCRAM-SHA-256";
    private const string InvalidAuthorization = "28000";
    private const string InvalidPassword = "28P01";

    /// <summary>The server certificate (with its private key) for TLS, or null: SSLRequest is answered 'N'.</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>Answers an SSLRequest: 'S' and a TLS handshake when a certificate is configured (true), else 'N' (false).</summary>
    private async ValueTask<bool> TryStartTlsAsync(CancellationToken cancellation)
    {
        if (TlsCertificate is null || _stream is SslStream)
        {
            await _stream.WriteAsync("N"u8.ToArray(), cancellation); // the client goes on in plain text (or refuses)
            return false;
        }
        // Bytes sent after the SSLRequest, before the handshake, were not encrypted: refused, as PostgreSQL does (CVE-2021-23214).
        if (_reader.HasBufferedBytes) throw new PgProtocolException("received unencrypted data after SSL request");
        await _stream.WriteAsync("S"u8.ToArray(), cancellation);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = TlsCertificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
            }, cancellation);
        }
        catch (AuthenticationException e)
        {
            await tls.DisposeAsync();
            throw new IOException("TLS handshake failed: " + e.Message, e); // ends this connection quietly
        }
        _stream = tls;
        _reader.Dispose();
        _reader = new PgFrameReader(_stream);
        return true;
    }

    /// <summary>
    /// Authenticates the startup's user; on success writes AuthenticationOk (not flushed) and, when users exist, makes
    /// the session act for the user. On failure sends a FATAL error (28P01 for a wrong user or password alike) and returns false.
    /// </summary>
    private async ValueTask<bool> AuthenticateAsync(string? user, CancellationToken cancellation)
    {
        if (!_database.HasUsers)
        {
            PgBackendMessages.AuthenticationOk(_writer); // no users: trust; TarnServer then binds loopback only
            return true;
        }
        if (string.IsNullOrEmpty(user))
        {
            await TrySendFatalAsync(InvalidAuthorization, "no PostgreSQL user name specified in startup packet", cancellation);
            return false;
        }
        _writer.Begin((byte)'R');
        _writer.WriteInt32(10); // AuthenticationSASL: the mechanisms, each NUL-terminated, then an empty one
        _writer.WriteCString(ScramMechanism);
        _writer.WriteByte(0);
        _writer.End();
        await _writer.FlushAsync(_stream, cancellation);

        var initial = await _reader.ReadAsync(PgLimits.MaxPreAuthFrame, cancellation);
        if (initial is null) return false; // psql without a password closes here and asks for one
        if (initial.Value.Type != (byte)'p') throw new PgProtocolException($"expected SASLInitialResponse, got message '{(char)initial.Value.Type}'");
        string mechanism;
        byte[] clientFirst;
        {
            var body = new PgBodyReader(initial.Value.Body.Span);
            mechanism = body.ReadCString();
            var length = body.ReadInt32();
            if (length < 0 || length > body.Remaining) throw new PgProtocolException("malformed SASLInitialResponse");
            clientFirst = body.ReadBytes(length).ToArray();
        }
        var scram = new ScramServerExchange(_database);
        if (mechanism != ScramMechanism)
        {
            await TrySendFatalAsync(InvalidAuthorization, $"SASL mechanism '{mechanism}' is not supported; use {ScramMechanism}", cancellation);
            return false;
        }
        var serverFirst = scram.ClientFirst(clientFirst, user) ?? throw new PgProtocolException("malformed SCRAM client-first-message");
        _writer.Begin((byte)'R');
        _writer.WriteInt32(11); // AuthenticationSASLContinue
        _writer.WriteBytes(Encoding.UTF8.GetBytes(serverFirst));
        _writer.End();
        await _writer.FlushAsync(_stream, cancellation);

        var response = await _reader.ReadAsync(PgLimits.MaxPreAuthFrame, cancellation);
        if (response is null) return false;
        if (response.Value.Type != (byte)'p') throw new PgProtocolException($"expected SASLResponse, got message '{(char)response.Value.Type}'");
        var serverFinal = scram.ClientFinal(response.Value.Body.Span);
        if (serverFinal is null)
        {
            Metrics.AuthFailed(Hosting.ServerProtocol.PgWire, _client.Client.RemoteEndPoint, user, "scram proof rejected");
            await TrySendFatalAsync(InvalidPassword, $"password authentication failed for user \"{user}\"", cancellation);
            return false;
        }
        _writer.Begin((byte)'R');
        _writer.WriteInt32(12); // AuthenticationSASLFinal
        _writer.WriteBytes(Encoding.UTF8.GetBytes(serverFinal));
        _writer.End();
        PgBackendMessages.AuthenticationOk(_writer);
        _session.Dispose();
        _session = _database.CreateSession(new TarnPrincipal(scram.UserName));
        return true;
    }
}
