using System.Diagnostics;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Lowering;
using Tarn.Planner.Logical;

namespace Tarn.Streaming;

/// <summary>
/// State checkpoints decoupled from epochs (JOB-004, <c>SET 'state.checkpoint-interval'</c>): epochs commit output as
/// often as before, while the FASTER state is checkpointed at most once per interval (and never more often than four
/// times its own cost allows). The progress record then names the last state checkpoint and the source positions it
/// matches; after a restart the job restores that checkpoint and replays its sources from those positions up to the
/// end of its last committed epoch, re-deriving the state but discarding the output, which is already committed.
/// </summary>
internal sealed partial class StreamingJob
{
    private TimeSpan _checkpointInterval;
    private bool _decoupled;
    private long _lastCheckpointAt = Stopwatch.GetTimestamp();
    private TimeSpan _lastCheckpointCost;

    /// <summary>How long the last state checkpoint took (zero before the first one, or for a job without state).</summary>
    public TimeSpan LastCheckpointCost => _lastCheckpointCost;

    /// <summary>
    /// Decoupling needs sources that stop exactly at a position (native tables) and operators whose state depends
    /// only on the rows and their order. Not so: an event-time watermark (it depends on how rows were batched, so a
    /// replay could judge other rows late than the first run did), a lookup join (the dimension table may have
    /// changed), volatile functions, and state TTL (wall-clock expiry). Such jobs checkpoint at every epoch.
    /// </summary>
    private void ChooseCheckpointing(IReadOnlyList<CompiledJob> pipelines, IReadOnlyList<StreamInput> inputs)
    {
        _checkpointInterval = JobSettings.StateCheckpointInterval(Record.Options);
        _decoupled = _checkpointInterval > TimeSpan.Zero
            && inputs.All(i => i.Source is IReplayableSource)
            && !(Record.Options.TryGetValue("table.exec.state.ttl", out var ttl) && Internal.SettingValues.TryParseDuration(ttl, out var expiry) && expiry > TimeSpan.Zero)
            && pipelines.All(p => ReplaysAlike(p.Plan) && !PlanVolatility.ContainsVolatile(p.Plan));
        Log(_decoupled ? $"state checkpoints at most every {_checkpointInterval.TotalMilliseconds} ms" : "state checkpoint at every epoch");
    }

    private static bool ReplaysAlike(LogicalPlan plan)
    {
        if (plan is LogicalWatermarkAssigner or LogicalLookupJoin or LogicalTemporalJoin) return false;
        foreach (var input in plan.Inputs)
            if (!ReplaysAlike(input)) return false;
        return true;
    }

    /// <summary>Whether this epoch's commit takes a state checkpoint.</summary>
    private bool CheckpointDue(JobStatus status, JobRecord record)
    {
        if (!_decoupled || status != JobStatus.Running || record.StateCheckpoint is null) return true;
        var since = Stopwatch.GetElapsedTime(_lastCheckpointAt);
        return since >= _checkpointInterval && since >= _lastCheckpointCost * JobSettings.EpochToCheckpointRatio;
    }

    private void CheckpointTaken(TimeSpan cost)
    {
        _lastCheckpointAt = Stopwatch.GetTimestamp();
        _lastCheckpointCost = cost;
    }

    /// <summary>
    /// Positions the sources at the record's state checkpoint and, if the checkpoint is older than the last committed
    /// epoch, replays the input in between into the operators, discarding what reaches the sinks.
    /// </summary>
    private void RestoreSources(IReadOnlyList<StreamInput> inputs, IReadOnlyList<IJobSink> sinks)
    {
        var record = Record;
        var ends = record.SourcePositions;
        var start = record.CheckpointPositions ?? ends;
        if (start.Count == inputs.Count)
            for (var i = 0; i < inputs.Count; i++) inputs[i].Source.RestorePosition(start[i]);
        else if (start.Count != 0)
            throw new TarnException(SqlStates.InternalError, $"job {Id} recorded {start.Count} source positions but its plan has {inputs.Count} sources");
        if (record.CheckpointPositions is null) return;
        if (ends.Count != inputs.Count)
            throw new TarnException(SqlStates.InternalError, $"job {Id} recorded {ends.Count} source positions but its plan has {inputs.Count} sources");
        var clock = Stopwatch.StartNew();
        long rows = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Source is not IReplayableSource replayable)
                throw new TarnException(SqlStates.InternalError, $"job {Id} must replay its input since its last state checkpoint, but source {inputs[i].Description} cannot replay");
            replayable.ReplayUntil(ends[i]);
        }
        var any = true;
        while (any)
        {
            any = false;
            foreach (var input in inputs)
            {
                if (input.Source.Poll(JobSettings.BatchRows) is not { } batch) continue;
                any = true;
                rows += batch.RowCount;
                input.Entry.Push(batch);
            }
        }
        foreach (var input in inputs) input.Entry.Flush();
        foreach (var sink in sinks) sink.Discard(); // epochs record.CheckpointEpoch + 1 .. record.Epoch are committed already
        foreach (var input in inputs) ((IReplayableSource)input.Source).EndReplay();
        Log($"replayed {rows} rows of epochs {record.CheckpointEpoch + 1}..{record.Epoch} in {clock.Elapsed.TotalMilliseconds:F0} ms");
    }
}
