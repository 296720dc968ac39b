using Tarn.Execution.Streaming;
using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;

namespace Tarn.Streaming;

/// <summary>One sink's share of an epoch commit: its operations, the files to delete if the commit fails, and a precondition.</summary>
internal sealed record SinkCommit(IReadOnlyList<LogOp> Ops, AppendBuilder? Builder, Func<StorageState, string?>? Precondition);

/// <summary>Where a job's output goes; its operations are committed with each epoch's progress record.</summary>
internal interface IJobSink : IChangeConsumer
{
    /// <summary>Rows received since the last <see cref="Committed"/>.</summary>
    long PendingRows { get; }

    /// <summary>Primary-key tables written (their upsert lock is held from <see cref="Prepare"/> to the commit).</summary>
    long? LockedTable { get; }

    /// <summary>
    /// The epoch's output as log operations against the table as it is now. May be called again after a commit failed
    /// its precondition (the table changed meanwhile): the buffered output is kept until <see cref="Committed"/>.
    /// </summary>
    SinkCommit Prepare();

    /// <summary>The epoch committed: forget its output.</summary>
    void Committed();
}

/// <summary>The <c>blackhole</c> connector: counts and discards (Flink's, for benchmarks).</summary>
internal sealed class BlackholeSink : IJobSink
{
    public long PendingRows { get; private set; }

    public long? LockedTable => null;

    public void Push(ChangeBatch batch) => PendingRows += batch.RowCount;

    public void Watermark(long watermark) { }

    public void Flush() { }

    public void Finish() { }

    public SinkCommit Prepare() => new([], null, null);

    public void Committed() => PendingRows = 0;
}
