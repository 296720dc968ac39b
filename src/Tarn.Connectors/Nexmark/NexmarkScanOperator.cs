using Tarn.Execution;
using Tarn.Types;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.Nexmark;

/// <summary>A batch read of a bounded nexmark table: events [0, limit) in batches of the context's batch size.</summary>
internal sealed class NexmarkScanOperator(NexmarkGenerator generator, long limit, ExecutionContext context) : IBatchOperator
{
    private long _next;

    public IReadOnlyList<DataType> OutputTypes => generator.OutputTypes;

    public ColumnBatch? Next()
    {
        context.ThrowIfCanceled();
        if (_next >= limit) return null;
        var count = (int)Math.Min(context.BatchSize, limit - _next);
        var batch = generator.Generate(_next, count);
        _next += count;
        return batch;
    }

    public void Dispose()
    {
    }
}
