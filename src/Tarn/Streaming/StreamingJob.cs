using System.Diagnostics;
using Tarn.Execution.Streaming.Lowering;
using Tarn.Execution.Streaming.State;
using Tarn.Internal;
using Tarn.State;
using Tarn.Storage.Log;

namespace Tarn.Streaming;

/// <summary>
/// One running streaming job: a dedicated thread that polls the job's sources, pushes their batches through the
/// streaming operators into the sink, and commits an epoch whenever the input runs dry or the commit interval passes.
/// <para>
/// An epoch commit is exactly-once by construction: the operators' FASTER state is checkpointed first, then ONE log
/// record holds the epoch's output rows, the sources' positions after the epoch and the checkpoint's token. A crash
/// before that record leaves the previous record in force: the state is recovered at the previous token (newer
/// checkpoints are discarded, STATE-005), the sources resume at the previous positions, and the lost epoch's output
/// never became visible, so it is produced once, by the replay.
/// </para>
/// <para>
/// With <c>state.checkpoint-interval</c> an epoch may commit without a state checkpoint; the record then names the
/// last checkpoint and the positions it matches, and a restart replays the input from there up to the last committed
/// epoch with the output discarded (StreamingJob.Replay.cs, JOB-004).
/// </para>
/// </summary>
internal sealed partial class StreamingJob : IDisposable
{
    private readonly DatabaseCore _core;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly Thread _thread;
    private JobRecord _record;
    private volatile bool _stopRequested;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _idleSeq = -1;
    private long _stateBytes;
    private long _inputLag;
    private JobLateRows? _lateRows;
    private Execution.Streaming.EventTime.SourceIdleness _idleness = new(TimeSpan.Zero);

    private static readonly bool Trace = Environment.GetEnvironmentVariable("TARN_JOB_TRACE") == "1";

    private void Log(string what)
    {
        if (Trace) Console.Error.WriteLine($"[job {Id[..6]} {DateTime.UtcNow:HH:mm:ss.fff}] {what}");
    }

    public StreamingJob(DatabaseCore core, JobRecord record)
    {
        _core = core;
        _record = record;
        _thread = new Thread(Run) { IsBackground = true, Name = $"tarn-job-{record.Id[..8]}" };
    }

    public string Id => _record.Id;

    public JobRecord Record
    {
        get { lock (_gate) return _record; }
    }

    /// <summary>Storage sequence number such that everything committed up to it has been processed and committed, or -1.</summary>
    public long IdleSeq => Interlocked.Read(ref _idleSeq);

    /// <summary>Tables the job reads (to know whether its own output feeds another job).</summary>
    public IReadOnlySet<long> SourceTables { get; private set; } = new HashSet<long>();

    public long StateBytes => Interlocked.Read(ref _stateBytes);

    public long InputLag => Interlocked.Read(ref _inputLag);

    public bool IsAlive => !_completion.Task.IsCompleted;

    /// <summary>Completes when the job's thread has ended (stopped, failed, finished, or the database closed).</summary>
    public Task Completion => _completion.Task;

    /// <summary>Completes at the job's next commit, idle point, or end.</summary>
    public Task NextProgress()
    {
        lock (_gate) return _progress.Task;
    }

    public void Start() => _thread.Start();

    /// <summary>STOP JOB: commits what was processed, records the job as stopped, and ends the thread.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        _stop.Cancel();
    }

    private void Signal()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    private void Run()
    {
        try
        {
            RunCore();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // closing the database: the job resumes from its last commit when the database opens again
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(e);
        }
        finally
        {
            Log("thread ends");
            Signal();
            _completion.TrySetResult();
        }
    }

    private void Fail(Exception error)
    {
        var message = error is TarnException t ? $"{t.SqlState}: {t.Message}" : $"{error.GetType().Name}: {error.Message}";
        var failed = Record with { Status = JobStatus.Failed, Error = message };
        try
        {
            _core.Storage.CommitAsync([new JobProgressOp(failed.Id, failed.Encode())]).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // the database is closing or broken; the job restarts (and fails again, visibly) on the next open
        }
        lock (_gate) _record = failed;
    }

    private void RunCore()
    {
        var pipelines = JobCompiler.Compile(_core, Record);
        var stateDirectory = Path.Combine(_core.Path, "state", "jobs", Id);
        if (Record.StateCheckpoint is null && Directory.Exists(stateDirectory)) Directory.Delete(stateDirectory, recursive: true);
        var options = JobSettings.StateStore(Record.Options, stateDirectory);
        using var store = Record.StateCheckpoint is { } token ? StateStore.Open(options, token) : StateStore.Open(options);
        using var session = store.NewSession();
        var stateContext = new StreamStateContext(session);
        var sinks = new List<IJobSink>(pipelines.Count);
        var inputs = new List<StreamInput>();
        _lateRows = JobLateRows.Open(_core, Record);
        _idleness = new(JobSettings.SourceIdleTimeout(Record.Options));
        try
        {
            foreach (var compiled in pipelines)
            {
                IJobSink sink = compiled.Table.IsNative ? new NativeTableSink(_core.Storage, compiled.Table) : OpenConnectorSink(compiled, sinks.Count);
                var graph = new StreamPlanner(_core.Storage, compiled.Context, stateContext) { LateRows = _lateRows.Registry, Idleness = _idleness }.Lower(compiled.Plan, sink);
                inputs.AddRange(graph.Inputs);
                JobCompiler.CheckSinkAccepts(compiled, graph.OutputMode);
                sinks.Add(sink);
            }
            if (_lateRows.Sink is { } lateSink) sinks.Add(lateSink);
            var sourceTables = new HashSet<long>();
            foreach (var input in inputs)
                if (input.Source is Execution.Streaming.Sources.TableStreamSource t) sourceTables.Add(t.TableId);
            SourceTables = sourceTables;
            ChooseCheckpointing(pipelines, inputs);
            RestoreSources(inputs, sinks);
            Loop(inputs, sinks, store, stateContext);
        }
        finally
        {
            foreach (var input in inputs) input.Source.Dispose();
            foreach (var sink in sinks)
                if (sink is IDisposable disposable) disposable.Dispose();
        }
    }

    /// <summary>A connector table's sink; it publishes what the last run staged for epochs up to the committed one.</summary>
    private ConnectorJobSink OpenConnectorSink(CompiledJob compiled, int index)
    {
        var staging = Path.Combine(_core.Path, "state", "sinks", Id, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new ConnectorJobSink(Connectors.ConnectorSinks.OpenJobSink(compiled.Table, new Connectors.Sinks.SinkContext(Id, index, staging, Record.Epoch, compiled.Context.SessionTimeZone)));
    }

    private void Loop(IReadOnlyList<StreamInput> inputs, IReadOnlyList<IJobSink> sinks, StateStore store, StreamStateContext stateContext)
    {
        var interval = JobSettings.CommitInterval(Record.Options);
        var maxRows = JobSettings.BatchRows;
        var epochClock = Stopwatch.StartNew();
        // An epoch lasts at least a few times what its state checkpoint cost (a checkpoint grows with the state), so a
        // job with large state spends most of its time processing rather than checkpointing. The commit of the output
        // itself (one log record, group-committed with other writers) does not lengthen epochs: that would add several
        // fsync times to the latency of every row whenever the disk is slow, for no throughput gain (the job waits for
        // the fsync idle, and while input keeps arriving the interval bounds how often it commits anyway).
        var minEpoch = TimeSpan.Zero;
        long rowsIn = 0;
        var uncommitted = false;
        var finished = new bool[inputs.Count];
        long firstInput = 0, pollTicks = 0, pushTicks = 0; // for TARN_JOB_TRACE
        while (true)
        {
            if (_stopRequested)
            {
                Log("stop requested: committing");
                // A stopped job never resumes, so a connector sink publishes all it holds (a file sink rolls its open files).
                foreach (var sink in sinks)
                    if (sink is ConnectorJobSink connector) connector.Finish();
                CommitEpoch(inputs, sinks, store, stateContext, rowsIn, JobStatus.Stopped);
                return;
            }
            var seqBefore = _core.Storage.Current.Seq;
            var any = false;
            for (var i = 0; i < inputs.Count; i++)
            {
                if (finished[i]) continue;
                var pollStart = Stopwatch.GetTimestamp();
                var batch = inputs[i].Source.Poll(maxRows);
                if (Trace) pollTicks += Stopwatch.GetTimestamp() - pollStart;
                if (batch is null)
                {
                    if (inputs[i].Source.IsFinished)
                    {
                        finished[i] = true;
                        inputs[i].Entry.Finish();
                        uncommitted = true;
                    }
                    continue;
                }
                any = true;
                if (!uncommitted) firstInput = Stopwatch.GetTimestamp();
                uncommitted = true;
                rowsIn += batch.RowCount;
                var pushStart = Stopwatch.GetTimestamp();
                inputs[i].Entry.Push(batch);
                if (Trace) pushTicks += Stopwatch.GetTimestamp() - pushStart;
            }
            if (_idleness.Tick()) uncommitted = true; // a source turned idle: held-back windows may have fired
            var allFinished = Array.TrueForAll(finished, f => f);
            var elapsed = epochClock.Elapsed;
            if (uncommitted && (allFinished || (elapsed >= minEpoch && (!any || elapsed >= interval))))
            {
                if (Trace)
                    Log($"epoch ends: age {Stopwatch.GetElapsedTime(firstInput).TotalMilliseconds:F1} ms, poll {TimeSpan.FromTicks(pollTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalMilliseconds:F1}, push {TimeSpan.FromTicks(pushTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalMilliseconds:F1}, min epoch {minEpoch.TotalMilliseconds:F1}");
                pollTicks = pushTicks = 0;
                var checkpointCost = CommitEpoch(inputs, sinks, store, stateContext, rowsIn, allFinished ? JobStatus.Finished : JobStatus.Running);
                // Decoupled checkpoints are spaced by their own rule (CheckpointDue), so epochs need no minimum.
                minEpoch = _decoupled ? TimeSpan.Zero : checkpointCost * JobSettings.EpochToCheckpointRatio;
                rowsIn = 0;
                uncommitted = false;
                epochClock.Restart();
            }
            if (allFinished) return;
            if (any) continue;
            if (uncommitted)
            {
                // Input ran dry before the epoch's minimum length: commit when it ends, or earlier input arrives.
                WaitForInput(inputs, finished, seqBefore, minEpoch - elapsed);
                continue;
            }
            Interlocked.Exchange(ref _idleSeq, seqBefore);
            Log($"idle at seq {seqBefore}; waiting");
            Interlocked.Exchange(ref _inputLag, 0);
            Signal();
            WaitForInput(inputs, finished, seqBefore, _idleness.UntilNextCheck());
        }
    }

    /// <summary>
    /// Blocks until some source may have data (or STOP JOB / close), without polling in a loop. Any commit wakes the job
    /// — not only one that adds rows to its tables — so that after a commit of other data (a flush, another table) it
    /// records that it is still caught up (<see cref="IdleSeq"/>), which <see cref="JobManager.WaitForJobsAsync"/> needs.
    /// </summary>
    private void WaitForInput(IReadOnlyList<StreamInput> inputs, bool[] finished, long seqBefore, TimeSpan timeout)
    {
        var commit = _core.Storage.NextCommitAsync();
        if (_core.Storage.Current.Seq != seqBefore) return; // committed while we polled: look again
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var waits = new List<Task>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
            if (!finished[i] && inputs[i].Source is not Execution.Streaming.Sources.TableStreamSource)
                waits.Add(inputs[i].Source.WaitForDataAsync(wake.Token).AsTask());
        try
        {
            var millis = timeout == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 0, int.MaxValue);
            Task.WaitAny([commit, .. waits], millis, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested && _stopRequested)
        {
        }
        wake.Cancel();
        foreach (var w in waits) // the sources' waits, cancelled above (the commit task is not theirs to wait for)
        {
            try { w.Wait(); }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException)) { }
        }
        if (_stop.IsCancellationRequested && !_stopRequested) throw new OperationCanceledException(_stop.Token);
    }

    /// <summary>Commits the epoch; returns how long its state checkpoint took (zero for a job without state).</summary>
    private TimeSpan CommitEpoch(IReadOnlyList<StreamInput> inputs, IReadOnlyList<IJobSink> sinks, StateStore store, StreamStateContext stateContext, long rowsIn, JobStatus status)
    {
        var phases = Trace ? new EpochPhases() : null;
        foreach (var input in inputs) input.Entry.Flush();
        phases?.Mark("flush");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var record = Record;
        Guid? token = record.StateCheckpoint;
        var checkpointMicros = record.LastCheckpointMicros;
        var checkpointCost = TimeSpan.Zero;
        IReadOnlyList<byte[]>? replayFrom = null;
        var checkpointEpoch = record.Epoch + 1;
        if (stateContext.HasStatefulOperators && !CheckpointDue(status, record))
        {
            // The state checkpoint stays where it is; a restart replays from its positions (JOB-004).
            replayFrom = record.CheckpointPositions ?? record.SourcePositions;
            checkpointEpoch = record.CheckpointPositions is null ? record.Epoch : record.CheckpointEpoch;
        }
        else if (stateContext.HasStatefulOperators)
        {
            var checkpointStart = Stopwatch.GetTimestamp();
            token = store.CheckpointAsync().GetAwaiter().GetResult().Token;
            checkpointMicros = now;
            Interlocked.Exchange(ref _stateBytes, JobSettings.DirectorySize(store.StateDirectory));
            checkpointCost = Stopwatch.GetElapsedTime(checkpointStart);
            CheckpointTaken(checkpointCost);
            phases?.Mark("checkpoint");
        }
        var positions = new byte[inputs.Count][];
        for (var i = 0; i < inputs.Count; i++) positions[i] = inputs[i].Source.SavePosition();
        var next = record with
        {
            Status = status,
            Epoch = record.Epoch + 1,
            StateCheckpoint = token,
            SourcePositions = positions,
            RowsIn = record.RowsIn + rowsIn,
            RowsOut = record.RowsOut + sinks.Sum(s => s.PendingRows),
            LastCommitMicros = now,
            LastCheckpointMicros = checkpointMicros,
            CheckpointPositions = replayFrom,
            CheckpointEpoch = checkpointEpoch,
            LateRows = _lateRows?.Total ?? record.LateRows,
        };
        var consumers = new List<LogOp>(2 * inputs.Count + 1);
        foreach (var input in inputs)
        {
            if (input.Source is not Execution.Streaming.Sources.TableStreamSource t) continue;
            // A stopped job reads no more: its positions stop pinning compaction boundaries (DB-052).
            long[]? offsets = status == JobStatus.Stopped ? null : [.. t.Positions];
            consumers.Add(new ConsumerOp(t.TableId, ConsumerName, offsets));
            // A restart replays from the state checkpoint's positions (JOB-004), so they are registered too: compaction
            // then keeps a boundary there and the replay reads the same changes the first run did.
            if (_decoupled && (replayFrom is null || offsets is null))
                consumers.Add(new ConsumerOp(t.TableId, ConsumerName + ":checkpoint", offsets));
        }
        consumers.Add(new JobProgressOp(Id, next.Encode()));
        foreach (var sink in sinks) sink.BeforeCommit(next.Epoch);
        CommitWithSinks(sinks, consumers, phases);
        foreach (var sink in sinks) sink.AfterCommit(next.Epoch);
        lock (_gate) _record = next;
        Log($"committed epoch {next.Epoch} status {status} rows {rowsIn}{phases}");
        Interlocked.Exchange(ref _inputLag, TableLag(inputs));
        Signal();
        return checkpointCost;
    }

    /// <summary>
    /// Commits the sinks' output with the progress operations as one record. A primary-key sink's output depends on the
    /// rows it looked up, so the commit carries its precondition; if another writer changed the table meanwhile, the
    /// output is computed again against the new version (the job holds the table's upsert lock, so this is rare).
    /// </summary>
    private void CommitWithSinks(IReadOnlyList<IJobSink> sinks, List<LogOp> progress, EpochPhases? phases)
    {
        var locked = sinks.Select(s => s.LockedTable).OfType<long>().Distinct().Order().ToList();
        var gates = new List<IDisposable>(locked.Count);
        try
        {
            foreach (var table in locked) gates.Add(Internal.StatementRunner.LockForUpsert(_core.Storage, table));
            for (var attempt = 1; ; attempt++)
            {
                var all = new List<LogOp>();
                var builders = new List<Storage.Tables.AppendBuilder>();
                var preconditions = new List<Func<Storage.Engine.StorageState, string?>>();
                try
                {
                    foreach (var sink in sinks)
                    {
                        var prepared = sink.Prepare();
                        all.AddRange(prepared.Ops);
                        if (prepared.Builder is not null) builders.Add(prepared.Builder);
                        if (prepared.Precondition is not null) preconditions.Add(prepared.Precondition);
                    }
                    phases?.Mark("prepare");
                    if (all.Count > 0) _core.Storage.WaitForInlineSpaceAsync(CancellationToken.None).GetAwaiter().GetResult();
                    phases?.Mark("inline-space");
                    all.AddRange(progress);
                    Func<Storage.Engine.StorageState, string?>? check = preconditions.Count == 0 ? null
                        : state => preconditions.Select(p => p(state)).FirstOrDefault(r => r is not null);
                    _core.Storage.CommitAsync(all, check).GetAwaiter().GetResult();
                    phases?.Mark("commit");
                    foreach (var sink in sinks) sink.Committed();
                    return;
                }
                catch (TarnException e) when (e.SqlState == SqlStates.SerializationFailure && attempt < 16)
                {
                    foreach (var builder in builders) builder.Abandon();
                    Thread.Sleep(Random.Shared.Next(1, 2 << Math.Min(attempt, 6)));
                }
                catch
                {
                    foreach (var builder in builders) builder.Abandon();
                    throw;
                }
                finally
                {
                    foreach (var builder in builders) builder.Dispose();
                }
            }
        }
        finally
        {
            foreach (var gate in gates) gate.Dispose();
        }
    }

    /// <summary>Rows committed to the job's source tables that it has not read yet.</summary>
    private long TableLag(IReadOnlyList<StreamInput> inputs)
    {
        long lag = 0;
        foreach (var input in inputs)
        {
            if (input.Source is not Execution.Streaming.Sources.TableStreamSource t || _core.Storage.GetTable(t.TableId) is not { } table) continue;
            var positions = t.Positions;
            for (var b = 0; b < positions.Count && b < table.NextOffsets.Length; b++) lag += Math.Max(0, table.NextOffsets[b] - positions[b]);
        }
        return lag;
    }

    /// <summary>The consumer name under which the job's table positions are registered (keeps retention from removing them).</summary>
    private string ConsumerName => "job:" + Id;

    public void Dispose()
    {
        _stop.Cancel();
        if (_thread.IsAlive && Thread.CurrentThread != _thread) _thread.Join();
        _stop.Dispose();
    }
}
