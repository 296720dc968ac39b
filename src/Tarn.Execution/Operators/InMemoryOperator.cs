using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>Replays batches held in memory (materialized results, tests, benchmarks).</summary>
public sealed class InMemoryOperator(IReadOnlyList<DataType> types, IEnumerable<ColumnBatch> batches) : IBatchOperator
{
    private readonly IEnumerator<ColumnBatch> _batches = batches.GetEnumerator();

    public IReadOnlyList<DataType> OutputTypes { get; } = types;

    public ColumnBatch? Next()
    {
        while (_batches.MoveNext())
        {
            if (_batches.Current.RowCount > 0) return _batches.Current;
        }
        return null;
    }

    public void Dispose() => _batches.Dispose();
}
