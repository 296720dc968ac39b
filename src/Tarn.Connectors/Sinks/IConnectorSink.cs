using Tarn.Execution.Streaming;

namespace Tarn.Connectors.Sinks;

/// <summary>
/// A connector table written by a streaming job. The job drives a two-phase commit per epoch:
/// <list type="number">
/// <item><see cref="Write"/> receives the epoch's changes;</item>
/// <item><see cref="PreCommit"/> makes them durable but not yet visible (staged), before the job commits the epoch;</item>
/// <item><see cref="Commit"/> makes them visible once the job's commit of that epoch is durable.</item>
/// </list>
/// After a crash the sink is opened with the job's last committed epoch (<see cref="SinkContext.CommittedEpoch"/>)
/// and must make every staged epoch up to it visible exactly once and drop staged epochs after it (the job replays
/// them). A sink that is at-least-once by nature (print to a console, Kafka without transactions) may publish in
/// <see cref="PreCommit"/> and ignore the rest.
/// </summary>
public interface IConnectorSink : IDisposable
{
    /// <summary>Rows received since the last <see cref="Commit"/> or <see cref="Discard"/>.</summary>
    long PendingRows { get; }

    /// <summary>Buffers (or stages) one batch of the current epoch's changes.</summary>
    void Write(ChangeBatch batch);

    /// <summary>Makes the epoch's changes durable, ready to publish; called before the job commits <paramref name="epoch"/>.</summary>
    void PreCommit(long epoch);

    /// <summary>The job committed <paramref name="epoch"/>: publish its changes. Called once per epoch, in order.</summary>
    void Commit(long epoch);

    /// <summary>Forgets the changes received since the last commit: a replay re-derived output that is already committed.</summary>
    void Discard();

    /// <summary>The job's bounded input ended: the next <see cref="Commit"/> is the last (a file sink publishes everything).</summary>
    void Finish() { }

    /// <summary>The job's watermark at the sink (milliseconds), for sinks that commit by event time.</summary>
    void Watermark(long watermark) { }
}

/// <summary>
/// Where a job sink runs: the job, the sink's place in it, a private directory for staged epochs, the last committed
/// epoch, and the session time zone the job was submitted with (for text written from TIMESTAMP_LTZ values).
/// </summary>
public sealed record SinkContext(string JobId, int SinkIndex, string StagingDirectory, long CommittedEpoch, TimeZoneInfo? SessionTimeZone = null);
