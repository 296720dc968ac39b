namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Feeds one operator's output to several consumers (a reused sub-plan): every batch, watermark, flush and finish goes
/// to each consumer in the order they were added. Consumers must not modify the batches they receive (none does).
/// </summary>
public sealed class StreamTee(IChangeConsumer first) : IChangeConsumer
{
    private readonly List<IChangeConsumer> _outputs = [first];

    public void Add(IChangeConsumer output) => _outputs.Add(output);

    public void Push(ChangeBatch batch)
    {
        foreach (var output in _outputs) output.Push(batch);
    }

    public void Watermark(long watermark)
    {
        foreach (var output in _outputs) output.Watermark(watermark);
    }

    public void Flush()
    {
        foreach (var output in _outputs) output.Flush();
    }

    public void Finish()
    {
        foreach (var output in _outputs) output.Finish();
    }
}
