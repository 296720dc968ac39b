using Tarn.Execution.Aggregation;
using Tarn.Execution.Spilling;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Parallel;

/// <summary>
/// GROUP BY over a morsel source with <see cref="ExecutionContext.Parallelism"/> workers: each worker aggregates its
/// morsels into its own partial <see cref="HashAggregator"/>, then the partials are merged. Same output as
/// <see cref="Operators.HashAggregateOperator"/> (group order may differ). With DISTINCT aggregates (whose partial
/// states cannot be merged) the workers share one aggregator under a lock: scans and filters still run in parallel.
/// When an aggregator outgrows the query memory limit (with a spill directory), every worker writes its further
/// batches to its own spill file as they are; after the merge they are aggregated through
/// <see cref="SpillingAggregation"/>, which spills the rows of groups that no longer fit.
/// </summary>
public sealed class ParallelHashAggregateOperator : IBatchOperator
{
    private readonly IMorselSource _source;
    private readonly IReadOnlyList<BoundExpression> _keys;
    private readonly IReadOnlyList<AggregateCall> _aggregates;
    private readonly ExecutionContext _context;
    private readonly List<HashAggregator> _aggregators = [];
    private readonly SpillingAggregation _spilling;
    private readonly List<AggregatorSink> _sinks = [];
    private IEnumerator<ColumnBatch>? _spilledInput;
    private IEnumerator<ColumnBatch>? _results;
    private volatile bool _overflowed;

    public ParallelHashAggregateOperator(IMorselSource source, IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates, ExecutionContext context)
    {
        _source = source;
        _keys = keys;
        _aggregates = aggregates;
        _context = context;
        _spilling = new SpillingAggregation(keys, aggregates, context);
        _aggregators.Add(_spilling.NewAggregator());
        OutputTypes = _aggregators[0].OutputTypes;
    }

    /// <summary>Partitions aggregated from spill files (for tests).</summary>
    public int SpilledPartitions => _spilling.SpilledPartitions;

    public IReadOnlyList<DataType> OutputTypes { get; }

    private sealed class AggregatorSink(HashAggregator aggregator, object? gate, ParallelHashAggregateOperator owner) : IBatchSink
    {
        public SpillFile? Spilled { get; private set; }

        public void Consume(ColumnBatch batch)
        {
            var n = batch.RowCount;
            if (owner._overflowed || !owner._spilling.ShouldSlice(aggregator, n))
            {
                ConsumeWhole(batch);
                return;
            }
            // close to the limit: add in slices so the overflow is noticed early
            for (var start = 0; start < n; start += SpillingAggregation.Slice)
                ConsumeWhole(batch.Slice(start, Math.Min(SpillingAggregation.Slice, n - start)));
        }

        private void ConsumeWhole(ColumnBatch batch)
        {
            if (owner._overflowed)
            {
                if (Spilled is null)
                {
                    var types = new DataType[batch.ColumnCount];
                    for (var c = 0; c < types.Length; c++) types[c] = batch.Columns[c].Type;
                    Spilled = new SpillFile(owner._context.SpillDirectory!, types);
                }
                Spilled.Write(batch);
                return;
            }
            if (gate is null) aggregator.Add(batch);
            else lock (gate) aggregator.Add(batch);
            if (aggregator.OverBudget) owner._overflowed = true;
        }
    }

    public ColumnBatch? Next()
    {
        if (_results is null)
        {
            var result = _aggregators[0];
            var workers = Math.Max(1, _context.Parallelism);
            if (result.HasDistinct)
            {
                var gate = new object();
                for (var i = 0; i < workers; i++) _sinks.Add(new AggregatorSink(result, gate, this));
            }
            else
            {
                for (var i = 1; i < workers; i++) _aggregators.Add(_spilling.NewAggregator());
                foreach (var a in _aggregators) _sinks.Add(new AggregatorSink(a, null, this));
            }
            ParallelPipelineDriver.Run(_source, [.. _sinks], _context);
            for (var i = 1; i < _aggregators.Count; i++)
            {
                result.Merge(_aggregators[i]);
                _aggregators[i].Dispose();
            }
            _aggregators.Clear(); // the spilling aggregation owns the result from here
            _spilledInput = SpilledBatches().GetEnumerator();
            _results = _spilling.Run(result, _spilledInput, 0).GetEnumerator();
        }
        return _results.MoveNext() ? _results.Current : null;
    }

    private IEnumerable<ColumnBatch> SpilledBatches()
    {
        foreach (var sink in _sinks)
        {
            if (sink.Spilled is not { } file) continue;
            foreach (var batch in file.Read()) yield return batch;
            file.Dispose();
        }
    }

    public void Dispose()
    {
        _results?.Dispose();
        _spilledInput?.Dispose();
        _spilling.Dispose();
        foreach (var a in _aggregators) a.Dispose();
        foreach (var s in _sinks) s.Spilled?.Dispose();
    }
}
