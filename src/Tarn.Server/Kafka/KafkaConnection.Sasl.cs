using System.Text;
using Tarn.Catalog.Model;
using Tarn.Server.Security;

namespace Tarn.Server.Kafka;

/// <summary>
/// SASL on the Kafka endpoint (KIP-43, KIP-152): SaslHandshake v0/v1 picks SCRAM-SHA-256 or PLAIN, then SaslAuthenticate
/// v0-v2 (or, after a v0 handshake, raw tokens: KafkaConnection.SaslV0.cs) carries the exchange, checked against the database's users (the same verifiers as pgwire). Once the database
/// has a user, every API other than ApiVersions, SaslHandshake and SaslAuthenticate needs an authenticated connection
/// (otherwise the connection is closed, as Kafka brokers do), and topics are checked against the user's grants:
/// Produce needs INSERT, Fetch and ListOffsets SELECT, Metadata lists only topics the user may read or write.
/// </summary>
internal sealed partial class KafkaConnection
{
    public const short SaslHandshakeKey = 17;
    public const short SaslAuthenticateKey = 36;

    private const short TopicAuthorizationFailed = 29;
    private const short UnsupportedSaslMechanism = 33;
    private const short IllegalSaslState = 34;
    private const short SaslAuthenticationFailed = 58;

    private string? _saslMechanism;
    private ScramServerExchange? _scram;
    private bool _saslFailed;

    /// <summary>The authenticated user's session (grants are checked against it), or null before authentication.</summary>
    private TarnSession? _principalSession;

    private TarnDatabase Database => _topics.Database;

    /// <summary>
    /// Handles the SASL APIs and refuses everything else on an unauthenticated connection while users exist. Returns
    /// whether a response is to be sent, or null when the request goes on to the normal dispatch.
    /// </summary>
    private bool? HandleSecurity(short apiKey, short apiVersion, int correlationId, ReadOnlySpan<byte> body)
    {
        if (apiKey == SaslHandshakeKey)
        {
            BeginResponse(correlationId, flexibleHeader: false);
            SaslHandshake(body);
            // v0 (kafka-python): the exchange continues as raw size-prefixed tokens, not SaslAuthenticate requests
            if (apiVersion == 0 && _saslMechanism is not null && _principalSession is null) _saslRawTokens = true;
            return true;
        }
        if (apiKey == SaslAuthenticateKey)
        {
            BeginResponse(correlationId, flexibleHeader: apiVersion >= 2);
            SaslAuthenticate(apiVersion, body);
            return true;
        }
        if (_saslFailed) throw new KafkaProtocolException("SASL authentication failed on this connection");
        if (apiKey == KafkaApiKeys.ApiVersions || _principalSession is not null || !Database.HasUsers) return null;
        throw new KafkaProtocolException("this server requires SASL authentication (SCRAM-SHA-256 or PLAIN)");
    }

    private void SaslHandshake(ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        var mechanism = r.String();
        var known = mechanism is "SCRAM-SHA-256" or "PLAIN";
        if (known && _principalSession is null) _saslMechanism = mechanism;
        var w = _response;
        w.Int16(!known ? UnsupportedSaslMechanism : _principalSession is not null ? IllegalSaslState : KafkaErrors.None);
        w.Int32(2);
        w.String("SCRAM-SHA-256");
        w.String("PLAIN");
    }

    private void SaslAuthenticate(short version, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        ReadOnlySpan<byte> token;
        if (version >= 2)
        {
            r.SkipTaggedFields(); // the request header's tagged fields (header v2)
            var length = r.UVarInt() - 1;
            if (length < 0) throw new KafkaProtocolException("null SASL auth bytes");
            token = r.Raw(length);
        }
        else if (!r.NullableBytes(out token))
        {
            throw new KafkaProtocolException("null SASL auth bytes");
        }
        var (error, message, reply) = SaslStep(token);
        if (error != KafkaErrors.None) _saslFailed = true; // the client closes; any further request closes the connection
        var w = _response;
        w.Int16(error);
        if (version >= 2)
        {
            if (message is null) w.UVarLong(0);
            else
            {
                var bytes = Encoding.UTF8.GetBytes(message);
                w.UVarLong((ulong)bytes.Length + 1);
                w.Raw(bytes);
            }
            w.UVarLong((ulong)reply.Length + 1);
            w.Raw(reply);
        }
        else
        {
            w.NullableString(message);
            w.Int32(reply.Length);
            w.Raw(reply);
        }
        if (version >= 1) w.Int64(0); // session lifetime: no re-authentication required
        if (version >= 2) w.UVarLong(0); // tagged fields
    }

    private (short Error, string? Message, byte[] Reply) SaslStep(ReadOnlySpan<byte> token)
    {
        if (_principalSession is not null || _saslFailed) return (IllegalSaslState, "already authenticated", []);
        switch (_saslMechanism)
        {
            case "PLAIN":
            {
                // authzid NUL authcid NUL password (RFC 4616)
                var parts = Encoding.UTF8.GetString(token).Split('\0');
                if (parts.Length != 3 || (parts[0].Length > 0 && parts[0] != parts[1])) return Failed(parts.Length == 3 ? parts[1] : "");
                var principal = Database.AuthenticatePassword(parts[1], parts[2]);
                if (principal is null) return Failed(parts[1]);
                _principalSession = Database.CreateSession(principal);
                return (KafkaErrors.None, null, []);
            }
            case "SCRAM-SHA-256" when _scram is null:
            {
                _scram = new ScramServerExchange(Database);
                var serverFirst = _scram.ClientFirst(token, null);
                return serverFirst is null ? Failed("") : (KafkaErrors.None, null, Encoding.UTF8.GetBytes(serverFirst));
            }
            case "SCRAM-SHA-256":
            {
                var serverFinal = _scram.ClientFinal(token);
                if (serverFinal is null) return Failed(_scram.UserName);
                _principalSession = Database.CreateSession(new TarnPrincipal(_scram.UserName));
                return (KafkaErrors.None, null, Encoding.UTF8.GetBytes(serverFinal));
            }
            default:
                return (IllegalSaslState, "SaslHandshake must come first", []);
        }
    }

    private (short, string?, byte[]) Failed(string user)
    {
        Metrics.AuthFailed(Hosting.ServerProtocol.Kafka, _socket.RemoteEndPoint, user, "sasl credentials rejected");
        return (SaslAuthenticationFailed, $"Authentication failed for user '{user}': invalid user name or password", []);
    }

    /// <summary>Whether the connection may use the topic's table so; always when the database has no users.</summary>
    private bool MayAccess(string topic, TablePrivileges privilege)
    {
        if (_principalSession is null) return !Database.HasUsers;
        try
        {
            return _principalSession.HasTablePrivilege(topic, privilege);
        }
        catch (TarnException)
        {
            return false;
        }
    }

    /// <summary>The topics of an all-topics Metadata request the user may see (read or write).</summary>
    private List<string> VisibleTopics(IReadOnlyList<string> names)
    {
        var visible = new List<string>(names.Count);
        foreach (var name in names)
            if (MayAccess(name, TablePrivileges.Select) || MayAccess(name, TablePrivileges.Insert)) visible.Add(name);
        return visible;
    }

    /// <summary>The Metadata error of a topic: TOPIC_AUTHORIZATION_FAILED when the user may neither read nor write it.</summary>
    private short MetadataError(string name, bool known) =>
        !known ? KafkaErrors.UnknownTopicOrPartition
        : MayAccess(name, TablePrivileges.Select) || MayAccess(name, TablePrivileges.Insert) ? KafkaErrors.None
        : TopicAuthorizationFailed;
}
