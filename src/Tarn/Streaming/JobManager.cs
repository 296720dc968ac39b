using Tarn.Internal;
using Tarn.Storage.Log;

namespace Tarn.Streaming;

/// <summary>
/// The streaming jobs of one open database: starts the recorded running jobs when the database opens, submits new
/// ones, stops them, and waits for them to catch up. Jobs keep running in the background of whichever process holds
/// the database; closing it ends their threads without changing their status, so they resume on the next open.
/// </summary>
internal sealed class JobManager(DatabaseCore core) : IDisposable
{
    private readonly Dictionary<string, StreamingJob> _running = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Starts every job whose last record says it is running.</summary>
    public void ResumeRecordedJobs()
    {
        foreach (var (id, progress) in core.Storage.Current.Jobs)
        {
            if (CommitMetadata.IsMetadata(id)) continue; // a log producer's state, not a job
            var record = JobRecord.Decode(progress.Span);
            if (record.Status == JobStatus.Running) Start(record);
        }
    }

    /// <summary>All jobs ever recorded and not dropped, newest status first from the running job when it has one.</summary>
    public IReadOnlyList<(JobRecord Record, StreamingJob? Live)> List()
    {
        var result = new List<(JobRecord, StreamingJob?)>();
        foreach (var (id, progress) in core.Storage.Current.Jobs)
        {
            if (CommitMetadata.IsMetadata(id)) continue; // a log producer's state, not a job
            StreamingJob? live;
            lock (_running) _running.TryGetValue(id, out live);
            result.Add((live?.Record ?? JobRecord.Decode(progress.Span), live));
        }
        return result;
    }

    /// <summary>Records a new job (durably, before it runs) and starts it.</summary>
    public async Task<JobRecord> SubmitAsync(JobRecord record)
    {
        await core.Storage.CommitAsync([new JobProgressOp(record.Id, record.Encode())]).ConfigureAwait(false);
        Start(record);
        return record;
    }

    private void Start(JobRecord record)
    {
        lock (_running)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var job = new StreamingJob(core, record);
            _running[record.Id] = job;
            job.Start();
        }
    }

    /// <summary>STOP JOB: the job commits what it processed and is recorded as stopped.</summary>
    public async Task StopAsync(string id)
    {
        StreamingJob? job;
        lock (_running) _running.TryGetValue(id, out job);
        if (job is null)
        {
            if (!core.Storage.Current.Jobs.ContainsKey(id))
                throw new TarnException(SqlStates.UndefinedObject, $"job '{id}' does not exist");
            return; // already stopped, failed or finished
        }
        job.RequestStop();
        await job.Completion.ConfigureAwait(false);
        lock (_running) _running.Remove(id);
        job.Dispose();
    }

    /// <summary>
    /// Returns when every running job has processed and committed all input committed before the call — including
    /// rows that other jobs write in the meantime into tables a job reads (a pipeline of jobs drains completely).
    /// </summary>
    public async Task WaitForJobsAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var start = core.Storage.Current;
            var target = start.Seq;
            List<StreamingJob> jobs;
            lock (_running) jobs = [.. _running.Values];
            foreach (var job in jobs)
            {
                while (job.IsAlive && job.IdleSeq < target)
                {
                    var next = job.NextProgress();
                    if (!job.IsAlive || job.IdleSeq >= target) break;
                    await Task.WhenAny(next, job.Completion).WaitAsync(cancellation).ConfigureAwait(false);
                }
            }
            // Done unless some job committed rows into a table another running job reads.
            var state = core.Storage.Current;
            var fed = false;
            foreach (var job in jobs)
            {
                if (!job.IsAlive) continue;
                foreach (var table in job.SourceTables)
                    if (state.Tables.TryGetValue(table, out var now) && start.Tables.TryGetValue(table, out var then)
                        && !now.NextOffsets.SequenceEqual(then.NextOffsets)) fed = true;
            }
            if (!fed) return;
        }
    }

    public void Dispose()
    {
        List<StreamingJob> jobs;
        lock (_running)
        {
            _disposed = true;
            jobs = [.. _running.Values];
            _running.Clear();
        }
        foreach (var job in jobs) job.Dispose();
    }
}
