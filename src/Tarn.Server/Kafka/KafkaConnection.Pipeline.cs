using Tarn.Server.Hosting;

namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    /// <summary>Produce requests whose commits may overlap (librdkafka keeps up to 5 in flight per connection).</summary>
    private const int MaxProducesInFlight = 5;

    /// <summary>Response writes of pipelined produces, oldest first; each waits for the one before it.</summary>
    private readonly Queue<Task> _pendingWrites = new();
    private Task _lastWrite = Task.CompletedTask;

    /// <summary>
    /// Produce requests are pipelined: the next request is read and decoded while earlier batches are being committed
    /// (their fsyncs shared), and responses are written in request order as commits complete. Any other request first
    /// waits until every earlier response is written, then is answered inline.
    /// </summary>
    private async Task HandleFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellation)
    {
        var header = ParseHeader(frame.Span, out var bodyStart);
        if (header.ApiKey == KafkaApiKeys.Produce && KafkaApiKeys.IsSupported(header.ApiKey, header.ApiVersion))
        {
            // In flight (for a graceful shutdown) until its response is written, not just until it is started.
            var inFlight = Metrics.BeginRequest();
            var (acks, topics, results) = StartProduce(frame[bodyStart..]);
            var previous = _lastWrite;
            _lastWrite = WriteProduceResponseAsync(previous, header.CorrelationId, header.ApiVersion, acks, topics, results, inFlight, cancellation);
            _pendingWrites.Enqueue(_lastWrite);
            while (_pendingWrites.Count >= MaxProducesInFlight) await _pendingWrites.Dequeue().ConfigureAwait(false);
            return;
        }
        await _lastWrite.ConfigureAwait(false);
        _pendingWrites.Clear();
        using var request = Metrics.BeginRequest();
        var respond = await HandleAsync(frame).ConfigureAwait(false);
        if (respond) await _stream.WriteAsync(FramedResponse(), cancellation).ConfigureAwait(false);
    }

    private async Task WriteProduceResponseAsync(Task previous, int correlationId, short version, short acks,
        List<ProduceTopic> topics, List<Task<(short Error, long BaseOffset)>> results, ServerMetrics.RequestScope inFlight, CancellationToken cancellation)
    {
        using var scope = inFlight;
        await Task.WhenAll(results).ConfigureAwait(false);
        if (acks == 0)
        {
            await previous.ConfigureAwait(false);
            return;
        }
        var w = new KafkaWriter();
        w.Int32(0); // size
        w.Int32(correlationId);
        WriteProduceResponse(w, version, topics, results);
        w.PatchInt32(0, w.Length - 4);
        await previous.ConfigureAwait(false);
        await _stream.WriteAsync(w.WrittenMemory, cancellation).ConfigureAwait(false);
    }
}
