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

    /// <summary>Called once before the job commits <paramref name="epoch"/> (an external sink stages its output here).</summary>
    void BeforeCommit(long epoch) { }

    /// <summary>Called once the job's commit of <paramref name="epoch"/> is durable (an external sink publishes here).</summary>
    void AfterCommit(long epoch) { }

    /// <summary>Forgets output a replay re-derived: it was committed before the restart.</summary>
    void Discard() => Committed();
}
