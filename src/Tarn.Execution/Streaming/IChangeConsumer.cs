namespace Tarn.Execution.Streaming;

/// <summary>
/// Receives a streaming operator's output: changelog batches, watermarks and epoch ends. Streaming operators are
/// push-based and run on their job's single thread; an operator with several inputs exposes one consumer per input.
/// </summary>
public interface IChangeConsumer
{
    /// <summary>Processes a batch of changes (the batch is not modified and may be kept).</summary>
    void Push(ChangeBatch batch);

    /// <summary>No row with an event time at or below <paramref name="watermark"/> (milliseconds) will arrive anymore.</summary>
    void Watermark(long watermark);

    /// <summary>End of an epoch: emit everything buffered and bring state up to date, because a commit follows.</summary>
    void Flush();

    /// <summary>The bounded input ended: emit what waits for more input (open windows) and flush.</summary>
    void Finish();
}
