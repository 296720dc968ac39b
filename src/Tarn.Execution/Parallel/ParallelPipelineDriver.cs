using System.Runtime.ExceptionServices;

namespace Tarn.Execution.Parallel;

/// <summary>
/// Runs the morsels of a source on up to <c>sinks.Count</c> workers (the calling thread is one of them); worker i
/// pulls morsels until the source is empty and pushes their batches into <c>sinks[i]</c>. The first failure stops
/// all workers and is rethrown once they have finished.
/// </summary>
public static class ParallelPipelineDriver
{
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

        var tasks = new Task[sinks.Count - 1];
        for (var i = 0; i < tasks.Length; i++)
        {
            var worker = i + 1;
            tasks[i] = Task.Factory.StartNew(() => Work(worker), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        Work(0);
        Task.WaitAll(tasks);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }
}
