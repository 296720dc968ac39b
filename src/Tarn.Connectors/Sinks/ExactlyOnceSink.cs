using Tarn.Execution.Streaming;
using Tarn.Types;

namespace Tarn.Connectors.Sinks;

/// <summary>
/// The write-ahead protocol for a sink whose target has transactions but cannot take part in Tarn's commit
/// (see <see cref="StagedEpochs"/>): stage before the job's commit, apply with an epoch marker after it, and on
/// recovery apply what the target's marker shows missing. Subclasses open the target, then call <see cref="Recover"/>.
/// </summary>
public abstract class ExactlyOnceSink : IConnectorSink
{
    private readonly StagedEpochs _staged;
    private readonly List<ChangeBatch> _pending = [];
    private long _stagedEpoch = -1;

    protected ExactlyOnceSink(SinkContext context, IReadOnlyList<DataType> types)
    {
        Context = context;
        _staged = new StagedEpochs(context.StagingDirectory, types);
    }

    protected SinkContext Context { get; }

    public long PendingRows { get; private set; }

    /// <summary>The last epoch the target holds (its marker), or -1 when it holds none.</summary>
    protected abstract long LastAppliedEpoch();

    /// <summary>Applies an epoch's changes and sets the target's marker to <paramref name="epoch"/>, in one target transaction.</summary>
    protected abstract void Apply(long epoch, IReadOnlyList<ChangeBatch> changes);

    /// <summary>Publishes staged epochs the job committed but the target misses; drops staged epochs the job did not commit.</summary>
    protected void Recover()
    {
        var applied = LastAppliedEpoch();
        foreach (var epoch in _staged.Epochs())
        {
            if (epoch <= Context.CommittedEpoch && epoch > applied) Apply(epoch, _staged.Read(epoch));
            _staged.Delete(epoch);
        }
    }

    public void Write(ChangeBatch batch)
    {
        if (batch.RowCount == 0) return;
        _pending.Add(batch);
        PendingRows += batch.RowCount;
    }

    public void PreCommit(long epoch)
    {
        if (_pending.Count == 0) return;
        _staged.Stage(epoch, _pending);
        _stagedEpoch = epoch;
    }

    public void Commit(long epoch)
    {
        if (_stagedEpoch == epoch)
        {
            Apply(epoch, _pending);
            _staged.Delete(epoch);
        }
        _stagedEpoch = -1;
        Discard();
    }

    public void Discard()
    {
        _pending.Clear();
        PendingRows = 0;
    }

    public abstract void Dispose();
}
