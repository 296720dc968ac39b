using Tarn.Execution.Spilling;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// Hash aggregation that spills when its groups outgrow the query memory limit (with a spill directory and grouping
/// keys). Once the aggregator is over budget it is frozen: rows of groups it already has keep updating it in place
/// (no growth), rows of other groups are spilled as they are, split by a hash of their keys into
/// <see cref="SpillPartitions.Fanout"/> partitions. The frozen groups are complete when the input ends, so they are
/// emitted and dropped; then each partition is aggregated on its own the same way, one level deeper (a new key
/// hash). Partial aggregate states are never written, so every aggregate (DISTINCT too) can spill; each level
/// aggregates at least one batch in memory, and after <see cref="SpillPartitions.MaxLevel"/> levels it fails with 53200.
/// </summary>
internal sealed class SpillingAggregation(IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates, ExecutionContext context) : IDisposable
{
    private readonly DataType[] _keyTypes = [.. keys.Select(k => k.Type)];
    private readonly List<IDisposable> _open = [];
    private int[] _ids = [];
    private int[] _hits = [];
    private int[] _misses = [];

    /// <summary>Partitions aggregated from spill files so far (for tests).</summary>
    public int SpilledPartitions { get; private set; }

    public bool CanSpill => context.SpillDirectory is not null && keys.Count > 0;

    public HashAggregator NewAggregator() => new(keys, aggregates, context) { Spillable = CanSpill };

    /// <summary>Adds <paramref name="input"/> to <paramref name="aggregator"/> (which this takes over) and yields the result rows.</summary>
    public IEnumerable<ColumnBatch> Run(HashAggregator aggregator, IEnumerator<ColumnBatch> input, int level)
    {
        Own(aggregator);
        SpillPartitions? spilled = null;
        while (!aggregator.OverBudget && input.MoveNext())
        {
            context.ThrowIfCanceled();
            spilled = Add(aggregator, input.Current, spilled, level);
        }
        while (input.MoveNext())
        {
            context.ThrowIfCanceled();
            spilled = SpillNewGroups(aggregator, input.Current, spilled, level);
        }
        foreach (var batch in aggregator.Results(context.BatchSize)) yield return batch;
        Release(aggregator);
        if (spilled is null) yield break;
        for (var p = 0; p < SpillPartitions.Fanout; p++)
        {
            if (spilled.Take(p) is not { } file) continue;
            Own(file);
            SpilledPartitions++;
            using (var rows = file.Read().GetEnumerator())
            {
                foreach (var batch in Run(NewAggregator(), rows, level + 1)) yield return batch;
            }
            Release(file);
        }
        Release(spilled);
    }

    /// <summary>
    /// Adds a batch while the aggregator is within budget. A large batch that might not fit the room left is added in
    /// slices, so the aggregator notices the limit early and spills the rest instead of overshooting by a whole batch.
    /// </summary>
    private SpillPartitions? Add(HashAggregator aggregator, ColumnBatch batch, SpillPartitions? spilled, int level)
    {
        var n = batch.RowCount;
        if (!ShouldSlice(aggregator, n))
        {
            aggregator.Add(batch);
            return spilled;
        }
        for (var start = 0; start < n; start += Slice)
        {
            var slice = batch.Slice(start, Math.Min(Slice, n - start));
            if (aggregator.OverBudget) spilled = SpillNewGroups(aggregator, slice, spilled, level);
            else aggregator.Add(slice);
        }
        return spilled;
    }

    /// <summary>Rows per slice when a large batch is added to an aggregator close to the limit.</summary>
    public const int Slice = 1024;

    /// <summary>True when <paramref name="n"/> rows might not fit the room left: add them in slices of <see cref="Slice"/>.</summary>
    public bool ShouldSlice(HashAggregator aggregator, int n) =>
        aggregator.Spillable && n > 2 * Slice && (context.Memory.SpillThreshold - context.Memory.Used) / 128 < n;

    /// <summary>Frozen mode: rows of existing groups update them, the others go to spill partitions.</summary>
    private SpillPartitions? SpillNewGroups(HashAggregator aggregator, ColumnBatch batch, SpillPartitions? spilled, int level)
    {
        var n = batch.RowCount;
        if (n == 0) return spilled;
        if (_ids.Length < n)
        {
            _ids = new int[n];
            _hits = new int[n];
            _misses = new int[n];
        }
        var keyColumns = aggregator.EvaluateKeys(batch);
        aggregator.FindGroups(keyColumns, n, _ids);
        int hits = 0, misses = 0;
        for (var i = 0; i < n; i++)
        {
            if (_ids[i] >= 0) _hits[hits++] = i;
            else _misses[misses++] = i;
        }
        if (hits > 0) aggregator.Add(hits == n ? batch : batch.Gather(_hits.AsSpan(0, hits)));
        if (misses == 0) return spilled;
        if (level + 1 >= SpillPartitions.MaxLevel)
            throw new TarnException(SqlStates.OutOfMemory,
                $"out of memory: hash aggregation does not fit the query memory limit of {MemoryBudget.Mb(context.Memory.Limit)} " +
                $"even after spilling {level + 1} times ({MemoryBudget.Mb(context.Memory.Used)} in use); raise 'query.memory-limit'");
        if (spilled is null)
        {
            var types = new DataType[batch.ColumnCount];
            for (var c = 0; c < types.Length; c++) types[c] = batch.Columns[c].Type;
            spilled = Own(new SpillPartitions(context.SpillDirectory!, types, _keyTypes, level));
        }
        spilled.Write(batch, keyColumns, misses == n ? null : _misses, misses);
        return spilled;
    }

    private T Own<T>(T resource) where T : IDisposable
    {
        _open.Add(resource);
        return resource;
    }

    private void Release(IDisposable resource)
    {
        if (_open.Remove(resource)) resource.Dispose();
    }

    public void Dispose()
    {
        for (var i = _open.Count - 1; i >= 0; i--) _open[i].Dispose();
        _open.Clear();
    }
}
