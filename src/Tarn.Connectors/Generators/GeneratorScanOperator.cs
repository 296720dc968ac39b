using Tarn.Execution;
using Tarn.Types;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.Generators;

/// <summary>
/// A batch read of a bounded generator table (nexmark, datagen): rows [0, limit) in batches of the context's batch
/// size. Rows are addressed by number, so up to <see cref="ExecutionContext.Parallelism"/> batches are generated at once on the
/// thread pool (one generator each) and returned in order.
/// </summary>
internal sealed class GeneratorScanOperator : IBatchOperator
{
    private readonly IRowGenerator[] _generators;
    private readonly long _limit;
    private readonly ExecutionContext _context;
    private readonly Queue<ColumnBatch> _ready = new();
    private long _next;

    public GeneratorScanOperator(Func<IRowGenerator> generator, long limit, ExecutionContext context)
    {
        _limit = limit;
        _context = context;
        var batches = (limit + context.BatchSize - 1) / context.BatchSize;
        _generators = new IRowGenerator[(int)Math.Clamp(batches, 1, Math.Max(1, context.Parallelism))];
        for (var i = 0; i < _generators.Length; i++) _generators[i] = generator();
    }

    public IReadOnlyList<DataType> OutputTypes => _generators[0].OutputTypes;

    public ColumnBatch? Next()
    {
        _context.ThrowIfCanceled();
        if (_ready.Count == 0) GenerateAhead();
        return _ready.TryDequeue(out var batch) ? batch : null;
    }

    private void GenerateAhead()
    {
        var size = _context.BatchSize;
        var count = (int)Math.Min(_generators.Length, (_limit - _next + size - 1) / size);
        if (count <= 0) return;
        var first = _next;
        var batches = new ColumnBatch[count];
        if (count == 1) batches[0] = _generators[0].Generate(first, (int)Math.Min(size, _limit - first));
        else
        {
            try
            {
                Parallel.For(0, count, new ParallelOptions { CancellationToken = _context.Cancellation }, i =>
                {
                    var start = first + (long)i * size;
                    batches[i] = _generators[i].Generate(start, (int)Math.Min(size, _limit - start));
                });
            }
            catch (OperationCanceledException)
            {
                throw _context.CanceledError();
            }
        }
        foreach (var b in batches)
        {
            _ready.Enqueue(b);
            _next += b.RowCount;
        }
    }

    public void Dispose()
    {
    }
}
