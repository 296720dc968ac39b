namespace Tarn.Server.Kafka;

/// <summary>
/// SaslHandshake v0 (what kafka-python 2.0.2 sends): after the handshake response the client sends the SASL tokens as
/// bare size-prefixed frames (no request header) and expects bare size-prefixed replies (PLAIN: an empty one), until the
/// mechanism completes. A rejected token closes the connection, as Kafka brokers do for v0 clients.
/// </summary>
internal sealed partial class KafkaConnection
{
    /// <summary>True between a v0 SaslHandshake and the end of the exchange: frames are raw SASL tokens.</summary>
    private bool _saslRawTokens;

    private async Task SaslRawTokenAsync(ReadOnlyMemory<byte> token, CancellationToken cancellation)
    {
        var (error, _, reply) = SaslStep(token.Span);
        if (error != KafkaErrors.None)
        {
            _saslFailed = true;
            throw new KafkaProtocolException("SASL authentication failed");
        }
        if (_principalSession is not null) _saslRawTokens = false; // authenticated: back to Kafka requests
        var framed = new byte[4 + reply.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(framed, reply.Length);
        reply.CopyTo(framed, 4);
        await _stream.WriteAsync(framed, cancellation).ConfigureAwait(false);
    }
}
