using Tarn.Execution.Streaming;

namespace Tarn.Streaming;

/// <summary>The output end of a streaming query: keeps every change batch in arrival order.</summary>
internal sealed class ChangelogCollector : IChangeConsumer
{
    public List<ChangeBatch> Batches { get; } = [];

    public void Push(ChangeBatch batch)
    {
        if (batch.RowCount > 0) Batches.Add(batch);
    }

    public void Watermark(long watermark) { }

    public void Flush() { }

    public void Finish() { }
}
