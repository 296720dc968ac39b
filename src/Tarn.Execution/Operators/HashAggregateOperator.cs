using Tarn.Execution.Aggregation;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// GROUP BY <c>keys</c> computing <c>aggregates</c> (expressions over the input's columns). Output: the key columns,
/// then one column per aggregate; one row per group (no guaranteed order); without keys exactly one row,
/// even for empty input. Blocking: the whole input is consumed on the first <see cref="Next"/>. Holds its groups
/// within <see cref="ExecutionContext.MemoryLimitBytes"/>; beyond it, with a spill directory, the rows of new groups
/// are spilled and aggregated partition by partition (<see cref="SpillingAggregation"/>), otherwise 53200.
/// </summary>
public sealed class HashAggregateOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly HashAggregator _aggregator;
    private readonly SpillingAggregation _spilling;
    private readonly ExecutionContext _context;
    private IEnumerator<ColumnBatch>? _inputBatches;
    private IEnumerator<ColumnBatch>? _results;

    public HashAggregateOperator(IBatchOperator input, IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates, ExecutionContext context)
    {
        _input = input;
        _context = context;
        _spilling = new SpillingAggregation(keys, aggregates, context);
        _aggregator = _spilling.NewAggregator();
    }

    /// <summary>Partitions aggregated from spill files (for tests).</summary>
    public int SpilledPartitions => _spilling.SpilledPartitions;

    public IReadOnlyList<DataType> OutputTypes => _aggregator.OutputTypes;

    public ColumnBatch? Next()
    {
        if (_results is null)
        {
            _inputBatches = Batches().GetEnumerator();
            _results = _spilling.Run(_aggregator, _inputBatches, 0).GetEnumerator();
        }
        return _results.MoveNext() ? _results.Current : null;
    }

    private IEnumerable<ColumnBatch> Batches()
    {
        while (_input.Next() is { } batch) yield return batch;
    }

    public void Dispose()
    {
        _results?.Dispose();
        _inputBatches?.Dispose();
        _spilling.Dispose();
        _aggregator.Dispose();
        _input.Dispose();
    }
}
