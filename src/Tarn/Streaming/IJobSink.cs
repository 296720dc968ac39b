using Tarn.Execution.Streaming;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;

namespace Tarn.Streaming;

/// <summary>Where a job's output goes; its operations are committed with each epoch's progress record.</summary>
internal interface IJobSink : IChangeConsumer
{
    /// <summary>Rows received since the last <see cref="TakeOps"/>.</summary>
    long PendingRows { get; }

    /// <summary>The epoch's output as log operations (and the builder whose files to delete if the commit fails).</summary>
    (IReadOnlyList<LogOp> Ops, AppendBuilder? Builder) TakeOps();
}

/// <summary>The <c>blackhole</c> connector: counts and discards (Flink's, for benchmarks).</summary>
internal sealed class BlackholeSink : IJobSink
{
    public long PendingRows { get; private set; }

    public void Push(ChangeBatch batch) => PendingRows += batch.RowCount;

    public void Watermark(long watermark) { }

    public void Flush() { }

    public void Finish() { }

    public (IReadOnlyList<LogOp> Ops, AppendBuilder? Builder) TakeOps()
    {
        PendingRows = 0;
        return ([], null);
    }
}
