using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Tarn.Server.Kafka;

/// <summary>
/// One client connection: reads size-prefixed requests, answers them in order (Kafka clients pipeline and match
/// responses by correlation id). Any protocol violation ends this connection only.
/// </summary>
internal sealed partial class KafkaConnection(Socket socket, KafkaTopics topics, IPEndPoint advertised, int maxFrameBytes)
{
    private readonly Socket _socket = socket;
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly KafkaTopics _topics = topics;
    private readonly IPEndPoint _advertised = advertised;
    private readonly int _maxFrameBytes = maxFrameBytes;
    private readonly KafkaWriter _response = new();

    public void Close() => _stream.Dispose();

    public async Task RunAsync(CancellationToken cancellation)
    {
        var sizeBuffer = new byte[4];
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                if (!await ReadExactlyOrEndAsync(sizeBuffer, cancellation).ConfigureAwait(false)) return;
                var size = BinaryPrimitives.ReadInt32BigEndian(sizeBuffer);
                if (size < (_saslRawTokens ? 0 : 8) || size > _maxFrameBytes) return; // header alone is 8 bytes; oversized: close before allocating
                var frame = await ReadFrameAsync(size, cancellation).ConfigureAwait(false);
                if (frame is null) return;
                try
                {
                    if (_saslRawTokens) await SaslRawTokenAsync(frame.AsMemory(0, size), cancellation).ConfigureAwait(false); // KafkaConnection.SaslV0.cs
                    else await HandleFrameAsync(frame.AsMemory(0, size), cancellation).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
            }
        }
        catch (Exception e) when (e is KafkaProtocolException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // malformed frame or the peer went away: only this connection ends
        }
        finally
        {
            _stream.Dispose();
        }
    }

    private async ValueTask<bool> ReadExactlyOrEndAsync(Memory<byte> buffer, CancellationToken cancellation)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer[read..], cancellation).ConfigureAwait(false);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    private ReadOnlyMemory<byte> FramedResponse()
    {
        // the size prefix was reserved at offset 0 by BeginResponse; the caller writes the bytes before the next request
        // reuses the buffer, so they are sent without a copy
        _response.PatchInt32(0, _response.Length - 4);
        return _response.WrittenMemory;
    }

    private void BeginResponse(int correlationId, bool flexibleHeader)
    {
        _response.Clear();
        _response.Int32(0);
        _response.Int32(correlationId);
        if (flexibleHeader) _response.UVarLong(0);
    }

    /// <summary>Decodes the header and dispatches; returns whether a response is to be sent (acks=0 produce sends none).</summary>
    private async Task<bool> HandleAsync(ReadOnlyMemory<byte> frame)
    {
        var header = ParseHeader(frame.Span, out var bodyStart);
        var body = frame[bodyStart..];
        if (!KafkaApiKeys.IsSupported(header.ApiKey, header.ApiVersion))
        {
            if (header.ApiKey != KafkaApiKeys.ApiVersions) throw new KafkaProtocolException($"unsupported api {header.ApiKey} v{header.ApiVersion}");
            // KIP-511: a too-new ApiVersions request gets UNSUPPORTED_VERSION in the v0 format, so the client retries lower.
            BeginResponse(header.CorrelationId, flexibleHeader: false);
            WriteApiVersions(0, KafkaErrors.UnsupportedVersion);
            return true;
        }
        if (HandleSecurity(header.ApiKey, header.ApiVersion, header.CorrelationId, body.Span) is { } handled) return handled; // KafkaConnection.Sasl.cs
        // Flexible versions answer with response header v1 (a tagged-field block), except ApiVersions, even at v3.
        BeginResponse(header.CorrelationId, flexibleHeader: header.ApiKey != KafkaApiKeys.ApiVersions && KafkaApiKeys.IsFlexible(header.ApiKey, header.ApiVersion));
        switch (header.ApiKey)
        {
            case KafkaApiKeys.ApiVersions:
                WriteApiVersions(header.ApiVersion, KafkaErrors.None);
                return true;
            case KafkaApiKeys.Metadata:
                await MetadataAsync(header.ApiVersion, body).ConfigureAwait(false);
                return true;
            case KafkaApiKeys.Produce:
                return await ProduceAsync(header.ApiVersion, body).ConfigureAwait(false);
            case KafkaApiKeys.Fetch:
                await FetchAsync(header.ApiVersion, body).ConfigureAwait(false);
                return true;
            case KafkaApiKeys.ListOffsets:
                ListOffsets(header.ApiVersion, body.Span);
                return true;
            case KafkaApiKeys.FindCoordinator:
            case KafkaApiKeys.JoinGroup:
            case KafkaApiKeys.SyncGroup:
            case KafkaApiKeys.Heartbeat:
            case KafkaApiKeys.LeaveGroup:
            case KafkaApiKeys.OffsetCommit:
            case KafkaApiKeys.OffsetFetch:
            case KafkaApiKeys.ListGroups:
            case KafkaApiKeys.DescribeGroups:
            case KafkaApiKeys.DeleteGroups:
            case KafkaApiKeys.OffsetDelete:
                await GroupRequestAsync(header.ApiKey, header.ApiVersion, header.ClientId, body).ConfigureAwait(false);
                return true;
            case KafkaApiKeys.InitProducerId:
                InitProducerId(header.ApiVersion, body.Span);
                return true;
            case KafkaApiKeys.CreateTopics:
                await CreateTopicsAsync(header.ApiVersion, body).ConfigureAwait(false);
                return true;
            case KafkaApiKeys.DescribeConfigs:
                DescribeConfigs(header.ApiVersion, body.Span);
                return true;
            default:
                throw new KafkaProtocolException($"unsupported api {header.ApiKey}");
        }
    }

    private readonly record struct RequestHeader(short ApiKey, short ApiVersion, int CorrelationId, string? ClientId);

    private static RequestHeader ParseHeader(ReadOnlySpan<byte> frame, out int bodyStart)
    {
        var r = new KafkaReader(frame);
        var key = r.Int16();
        var version = r.Int16();
        var correlation = r.Int32();
        var clientId = r.NullableString();
        // Request header v2 (flexible versions) adds a tagged-field block after the (still INT16-length) client id.
        if (KafkaApiKeys.IsFlexible(key, version)) r.SkipTaggedFields();
        bodyStart = r.Position;
        return new RequestHeader(key, version, correlation, clientId);
    }
}
