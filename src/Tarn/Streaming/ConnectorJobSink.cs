using Tarn.Connectors.Sinks;
using Tarn.Execution.Streaming;

namespace Tarn.Streaming;

/// <summary>
/// A job's output into a connector table (print, SQLite, Kafka, files...): nothing joins Tarn's own commit; the
/// connector stages each epoch before the commit and publishes it after (see <see cref="IConnectorSink"/>).
/// </summary>
internal sealed class ConnectorJobSink(IConnectorSink sink) : IJobSink, IDisposable
{
    public long PendingRows => sink.PendingRows;

    public long? LockedTable => null;

    public void Push(ChangeBatch batch)
    {
        if (batch.RowCount > 0) sink.Write(batch);
    }

    public void Watermark(long watermark) => sink.Watermark(watermark);

    public void Flush() { }

    public void Finish() => sink.Finish();

    public SinkCommit Prepare() => new([], null, null);

    public void Committed() { }

    public void BeforeCommit(long epoch) => sink.PreCommit(epoch);

    public void AfterCommit(long epoch) => sink.Commit(epoch);

    public void Discard() => sink.Discard();

    public void Dispose() => sink.Dispose();
}
