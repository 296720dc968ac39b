using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Parallel;

/// <summary>
/// The unordered union of all morsels' output, produced by <see cref="ExecutionContext.Parallelism"/> background
/// workers into a bounded queue (2 batches per worker) that <see cref="Next"/> drains. Disposing early (e.g. under a
/// LIMIT) stops the workers. A worker's failure is rethrown by <see cref="Next"/>.
/// </summary>
public sealed class ParallelGatherOperator : IBatchOperator
{
    private readonly IMorselSource _source;
    private readonly ExecutionContext _context;
    private readonly CancellationTokenSource _stop = new();
    private BlockingCollection<ColumnBatch>? _queue;
    private Task? _producer;
    private Exception? _failure;

    public ParallelGatherOperator(IMorselSource source, IReadOnlyList<DataType> outputTypes, ExecutionContext context)
    {
        _source = source;
        OutputTypes = outputTypes;
        _context = context;
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    private sealed class QueueSink(BlockingCollection<ColumnBatch> queue, CancellationToken stop) : IBatchSink
    {
        public void Consume(ColumnBatch batch) => queue.Add(batch, stop);
    }

    public ColumnBatch? Next()
    {
        if (_queue is null)
        {
            var workers = Math.Max(1, _context.Parallelism);
            var queue = new BlockingCollection<ColumnBatch>(boundedCapacity: 2 * workers);
            _queue = queue;
            var sinks = Enumerable.Range(0, workers).Select(_ => (IBatchSink)new QueueSink(queue, _stop.Token)).ToList();
            _producer = Task.Factory.StartNew(() =>
            {
                try
                {
                    ParallelPipelineDriver.Run(_source, sinks, _context, _stop.Token);
                }
                catch (Exception e)
                {
                    _failure = e;
                }
                finally
                {
                    queue.CompleteAdding();
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        try
        {
            if (_queue.TryTake(out var batch, Timeout.Infinite, _context.Cancellation)) return batch;
        }
        catch (OperationCanceledException)
        {
            _context.ThrowIfCanceled();
            throw;
        }
        _producer!.Wait();
        if (_failure is not null && !_stop.IsCancellationRequested) ExceptionDispatchInfo.Throw(_failure);
        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_queue is not null)
        {
            while (_queue.TryTake(out _)) { }
            try { _producer?.Wait(); } catch (AggregateException) { }
            _queue.Dispose();
        }
        _stop.Dispose();
    }
}
