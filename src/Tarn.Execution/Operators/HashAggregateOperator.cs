using Tarn.Execution.Aggregation;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// GROUP BY <c>keys</c> computing <c>aggregates</c> (expressions over the input's columns). Output: the key columns,
/// then one column per aggregate; one row per group (no guaranteed order); without keys exactly one row,
/// even for empty input. Blocking: the whole input is consumed on the first <see cref="Next"/>. Holds its groups
/// within <see cref="ExecutionContext.MemoryLimitBytes"/> (53200 beyond it; no spilling yet).
/// </summary>
public sealed class HashAggregateOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly HashAggregator _aggregator;
    private readonly ExecutionContext _context;
    private IEnumerator<ColumnBatch>? _results;

    public HashAggregateOperator(IBatchOperator input, IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates, ExecutionContext context)
    {
        _input = input;
        _context = context;
        _aggregator = new HashAggregator(keys, aggregates, context);
    }

    public IReadOnlyList<DataType> OutputTypes => _aggregator.OutputTypes;

    public ColumnBatch? Next()
    {
        if (_results is null)
        {
            while (_input.Next() is { } batch)
            {
                _context.ThrowIfCanceled();
                _aggregator.Add(batch);
            }
            _results = _aggregator.Results(_context.BatchSize).GetEnumerator();
        }
        return _results.MoveNext() ? _results.Current : null;
    }

    public void Dispose()
    {
        _results?.Dispose();
        _aggregator.Dispose();
        _input.Dispose();
    }
}
