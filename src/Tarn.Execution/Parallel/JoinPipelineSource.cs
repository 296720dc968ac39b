using Tarn.Execution.Joins;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Parallel;

/// <summary>
/// Morsels of a pipeline with hash-join probes among its stages (scan → filters/projections/joins). Before the first
/// morsel is handed out, the first taker reads every join's build side (in plan order) while the other workers wait.
/// Then each morsel is one row group run through all stages, joins probing their shared tables. When a build side
/// outgrew memory (its join has to spill), there is a single morsel instead: every row group in sequence through the
/// stages, so that join can run as one serial grace hash join.
/// </summary>
internal sealed class JoinPipelineSource : IMorselSource, IDisposable
{
    private readonly IReadOnlyList<Func<IBatchOperator>> _rowGroups;
    private readonly IReadOnlyList<DataType> _scanTypes;
    private readonly Func<IBatchOperator, IBatchOperator> _stages;
    private readonly IReadOnlyList<SharedHashJoin> _joins;
    private readonly Lazy<bool> _allFit;
    private int _next = -1;

    /// <param name="rowGroups">One scan operator per row group (the pipeline's source morsels).</param>
    /// <param name="scanTypes">The scan's column types.</param>
    /// <param name="stages">Stacks the pipeline's operators on a source of scan rows.</param>
    /// <param name="joins">The joins the stages probe; this source owns them.</param>
    public JoinPipelineSource(IReadOnlyList<Func<IBatchOperator>> rowGroups, IReadOnlyList<DataType> scanTypes,
        Func<IBatchOperator, IBatchOperator> stages, IReadOnlyList<SharedHashJoin> joins)
    {
        _rowGroups = rowGroups;
        _scanTypes = scanTypes;
        _stages = stages;
        _joins = joins;
        _allFit = new Lazy<bool>(BuildAll, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether every build side fit in memory (morsels ran in parallel); null before the first morsel (for tests).</summary>
    public bool? AllBuildsFit => _allFit.IsValueCreated ? _allFit.Value : null;

    private bool BuildAll()
    {
        var allFit = true;
        foreach (var join in _joins) allFit &= join.Build();
        return allFit;
    }

    public bool TryTakeMorsel(out IBatchOperator pipeline)
    {
        var parallel = _allFit.Value;
        var i = Interlocked.Increment(ref _next);
        if (parallel ? i >= _rowGroups.Count : i > 0)
        {
            pipeline = null!;
            return false;
        }
        pipeline = _stages(parallel ? _rowGroups[i]() : new Sequence(_rowGroups, _scanTypes));
        return true;
    }

    public void Dispose()
    {
        foreach (var join in _joins) join.Dispose();
    }

    /// <summary>All row groups' scans one after another.</summary>
    private sealed class Sequence(IReadOnlyList<Func<IBatchOperator>> parts, IReadOnlyList<DataType> types) : IBatchOperator
    {
        private IBatchOperator? _current;
        private int _next;

        public IReadOnlyList<DataType> OutputTypes => types;

        public ColumnBatch? Next()
        {
            while (true)
            {
                if (_current?.Next() is { } batch) return batch;
                _current?.Dispose();
                _current = null;
                if (_next >= parts.Count) return null;
                _current = parts[_next++]();
            }
        }

        public void Dispose()
        {
            _current?.Dispose();
            _current = null;
        }
    }
}
