using System.Runtime.ExceptionServices;

namespace Tarn.Execution.Parallel;

/// <summary>
/// Runs the morsels of a source on up to <c>sinks.Count</c> workers (the calling thread is one of them); worker i
/// pulls morsels until the source is empty and pushes their batches into <c>sinks[i]</c>. The first failure stops
/// all workers and is rethrown once they have finished.
/// </summary>
/// <remarks>
/// Helpers are thread-pool work items, not new threads: a short query would otherwise spend more time starting
/// threads than scanning. A helper the pool has not started by the time the caller ran out of morsels is cancelled
/// rather than waited for, so a busy pool (or a query already running on a pool thread) makes the caller do all the
/// work itself instead of stalling.
/// </remarks>
public static class ParallelPipelineDriver
{
    private const int Queued = 0, Running = 1, Cancelled = 2;

    public static void Run(IMorselSource source, IReadOnlyList<IBatchSink> sinks, ExecutionContext context, CancellationToken stop = default)
    {
        if (sinks.Count == 0) throw new ArgumentException("at least one sink is needed", nameof(sinks));
        Exception? failure = null;
        var stopped = 0;

        void Work(int worker)
        {
            try
            {
                while (Volatile.Read(ref stopped) == 0 && !stop.IsCancellationRequested && source.TryTakeMorsel(out var pipeline))
                {
                    using (pipeline)
                    {
                        while (Volatile.Read(ref stopped) == 0 && pipeline.Next() is { } batch)
                        {
                            context.ThrowIfCanceled();
                            stop.ThrowIfCancellationRequested();
                            sinks[worker].Consume(batch);
                        }
                    }
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                Volatile.Write(ref stopped, 1);
            }
        }

        var helpers = sinks.Count - 1;
        var states = new int[helpers];
        var finished = 0;
        var gate = new object();
        for (var i = 0; i < helpers; i++)
        {
            var slot = i;
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                // A cancelled helper touches nothing else: the caller may have returned long ago.
                if (Interlocked.CompareExchange(ref states[slot], Running, Queued) != Queued) return;
                Work(slot + 1);
                lock (gate)
                {
                    finished++;
                    Monitor.PulseAll(gate);
                }
            }, null);
        }
        Work(0);
        // Helpers still queued would find no morsel left: cancel them and wait only for the ones that started.
        var started = 0;
        for (var i = 0; i < helpers; i++)
            if (Interlocked.CompareExchange(ref states[i], Cancelled, Queued) != Queued) started++;
        lock (gate)
        {
            while (finished < started) Monitor.Wait(gate);
        }
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }
}
