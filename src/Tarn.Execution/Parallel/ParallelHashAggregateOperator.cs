using Tarn.Execution.Aggregation;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Parallel;

/// <summary>
/// GROUP BY over a morsel source with <see cref="ExecutionContext.Parallelism"/> workers: each worker aggregates its
/// morsels into its own partial <see cref="HashAggregator"/>, then the partials are merged. Same output as
/// <see cref="Operators.HashAggregateOperator"/> (group order may differ). With DISTINCT aggregates (whose partial
/// states cannot be merged) the workers share one aggregator under a lock: scans and filters still run in parallel.
/// </summary>
public sealed class ParallelHashAggregateOperator : IBatchOperator
{
    private readonly IMorselSource _source;
    private readonly IReadOnlyList<BoundExpression> _keys;
    private readonly IReadOnlyList<AggregateCall> _aggregates;
    private readonly ExecutionContext _context;
    private readonly List<HashAggregator> _aggregators = [];
    private IEnumerator<ColumnBatch>? _results;

    public ParallelHashAggregateOperator(IMorselSource source, IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates, ExecutionContext context)
    {
        _source = source;
        _keys = keys;
        _aggregates = aggregates;
        _context = context;
        _aggregators.Add(new HashAggregator(keys, aggregates, context));
        OutputTypes = _aggregators[0].OutputTypes;
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    private sealed class AggregatorSink(HashAggregator aggregator, object? gate) : IBatchSink
    {
        public void Consume(ColumnBatch batch)
        {
            if (gate is null) aggregator.Add(batch);
            else lock (gate) aggregator.Add(batch);
        }
    }

    public ColumnBatch? Next()
    {
        if (_results is null)
        {
            var result = _aggregators[0];
            var workers = Math.Max(1, _context.Parallelism);
            var sinks = new List<IBatchSink>();
            if (result.HasDistinct)
            {
                var gate = new object();
                for (var i = 0; i < workers; i++) sinks.Add(new AggregatorSink(result, gate));
            }
            else
            {
                for (var i = 1; i < workers; i++) _aggregators.Add(new HashAggregator(_keys, _aggregates, _context));
                foreach (var a in _aggregators) sinks.Add(new AggregatorSink(a, null));
            }
            ParallelPipelineDriver.Run(_source, sinks, _context);
            for (var i = 1; i < _aggregators.Count; i++)
            {
                result.Merge(_aggregators[i]);
                _aggregators[i].Dispose();
            }
            _results = result.Results(_context.BatchSize).GetEnumerator();
        }
        return _results.MoveNext() ? _results.Current : null;
    }

    public void Dispose()
    {
        _results?.Dispose();
        foreach (var a in _aggregators) a.Dispose();
    }
}
