using Tarn.Execution;
using Tarn.Types;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// A batch query over a bounded kafka table (<c>scan.bounded.mode</c>): drives a <see cref="KafkaStreamSource"/> to its
/// end, waiting for the consume thread when it is behind.
/// </summary>
internal sealed class KafkaScanOperator(KafkaStreamSource source, ExecutionContext context) : IBatchOperator
{
    public IReadOnlyList<DataType> OutputTypes => source.OutputTypes;

    public ColumnBatch? Next()
    {
        while (true)
        {
            context.ThrowIfCanceled();
            var batch = source.Poll(context.BatchSize);
            if (batch is not null) return batch.Rows;
            if (source.IsFinished) return null;
            try
            {
                source.WaitForDataAsync(context.Cancellation).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                throw context.CanceledError();
            }
        }
    }

    public void Dispose() => source.Dispose();
}
