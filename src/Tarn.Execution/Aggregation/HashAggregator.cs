using System.Runtime.CompilerServices;
using Tarn.Execution.Expressions;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// The hash aggregation state machine, without the operator plumbing so parallel workers can each own one and merge.
/// Output rows are the group keys followed by the aggregates, one row per group (in no guaranteed order);
/// without grouping keys there is exactly one row, even for empty input.
/// <para>Fast paths: a single dictionary-encoded key maps each dictionary entry to its group once per dictionary and,
/// when the dictionary is small next to the batch, aggregates by code into small local arrays that are folded into
/// the groups once per batch; a single integer-like key indexes an array directly while its range is small.</para>
/// </summary>
public sealed class HashAggregator : IDisposable
{
    private sealed class Slot(AggregateCall call, VectorExpression? argument, VectorExpression? filter, Accumulator accumulator)
    {
        public AggregateCall Call { get; } = call;
        public VectorExpression? Argument { get; } = argument;
        public VectorExpression? Filter { get; } = filter;
        public Accumulator Accumulator { get; } = accumulator;
        public Accumulator? Local { get; set; }
        public GeneralGroupTable? Seen { get; set; }
    }

    private readonly VectorExpression[] _keys;
    private readonly Slot[] _slots;
    private readonly IGroupTable? _table;
    private readonly ExecutionContext _context;
    private readonly MemoryReservation _memory;
    private readonly bool _hasDistinct;
    private int[] _groupIds = [];
    private int[] _rows = [];

    // dictionary fast path: entry -> group id (-1 = not yet assigned); index Count = the NULL key
    private BinaryVector? _mappedDictionary;
    private int[] _entryGroups = [];
    private int _unmappedEntries;

    public HashAggregator(IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates, ExecutionContext context)
    {
        _context = context;
        var compiler = new ExpressionCompiler(context);
        _keys = [.. keys.Select(compiler.Compile)];
        _slots = [.. aggregates.Select(a => new Slot(a,
            a.Argument is null ? null : compiler.Compile(a.Argument),
            a.Filter is null ? null : compiler.CompileAs(a.Filter, DataType.Boolean),
            AccumulatorFactory.Create(a)))];
        foreach (var s in _slots)
        {
            if (s.Call.Distinct) s.Seen = new GeneralGroupTable([DataType.Int, s.Call.Argument!.Type]);
        }
        _hasDistinct = _slots.Any(s => s.Call.Distinct);
        var keyTypes = keys.Select(k => k.Type).ToArray();
        _table = keyTypes.Length == 0 ? null : GroupTables.Create(keyTypes);
        OutputTypes = [.. keyTypes, .. aggregates.Select(a => a.Type)];
        KeyTypes = keyTypes;
        _memory = new MemoryReservation(context.Memory, "hash aggregation");
        EnsureGroups(GroupCount);
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public IReadOnlyList<DataType> KeyTypes { get; }

    /// <summary>
    /// When set, growing past the query memory limit does not raise 53200: the groups stay charged and
    /// <see cref="OverBudget"/> turns true, and the owner stops adding new groups and spills their rows instead.
    /// </summary>
    public bool Spillable { get; init; }

    /// <summary>True once a <see cref="Spillable"/> aggregator outgrew the memory limit.</summary>
    public bool OverBudget { get; private set; }

    /// <summary>The grouping keys of a batch, evaluated.</summary>
    public ColumnVector[] EvaluateKeys(ColumnBatch batch)
    {
        var keys = new ColumnVector[_keys.Length];
        for (var i = 0; i < keys.Length; i++) keys[i] = _keys[i].Evaluate(batch);
        return keys;
    }

    /// <summary>The existing group of each row's key, or -1 (adds no groups). Needs grouping keys.</summary>
    public void FindGroups(ColumnVector[] keys, int n, int[] groupIds) => _table!.Find(keys, n, groupIds);

    /// <summary>True when some aggregate is DISTINCT: such partial states cannot be merged.</summary>
    public bool HasDistinct => _hasDistinct;

    public int GroupCount => _table?.Count ?? 1;

    private void EnsureGroups(int groups)
    {
        foreach (var s in _slots) s.Accumulator.EnsureGroups(Math.Max(groups, 1));
    }

    private int[] Buffer(ref int[] buffer, int n)
    {
        if (buffer.Length < n) buffer = new int[Math.Max(n, 1024)];
        return buffer;
    }

    public void Add(ColumnBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        var gids = Buffer(ref _groupIds, n);
        if (_table is null)
        {
            // one group: every row counts, and sums use independent partial accumulators
            Array.Clear(gids, 0, n);
            _single[0] = n;
            foreach (var s in _slots)
            {
                var input = s.Argument?.Evaluate(batch);
                if (s.Filter is not null || s.Seen is not null || !s.Accumulator.UpdateFewGroups(gids, input, n, _single, 1))
                    Update(s, s.Accumulator, batch, gids, n, input);
            }
        }
        else
        {
            var keys = new ColumnVector[_keys.Length];
            for (var i = 0; i < keys.Length; i++) keys[i] = _keys[i].Evaluate(batch);
            if (keys.Length == 1 && keys[0] is DictionaryVector d && !_hasDistinct) AddByDictionary(batch, d, n);
            else
            {
                _table.FindOrInsert(keys, n, gids);
                EnsureGroups(_table.Count);
                UpdateAll(batch, gids, n);
            }
        }
        TrackMemory();
    }

    private void UpdateAll(ColumnBatch batch, int[] gids, int n)
    {
        foreach (var s in _slots) Update(s, s.Accumulator, batch, gids, n);
    }

    private void Update(Slot slot, Accumulator target, ColumnBatch batch, int[] gids, int n, ColumnVector? evaluated = null)
    {
        var input = evaluated ?? slot.Argument?.Evaluate(batch);
        int[]? rows = null;
        var rowCount = n;
        if (slot.Filter is not null)
        {
            rows = new int[n];
            rowCount = slot.Filter.Select(batch, Selection.All(n), rows);
        }
        if (slot.Seen is not null) rowCount = FirstOccurrences(slot.Seen, gids, input!, n, ref rows, rowCount);
        target.Update(gids, input, n, rows, rowCount);
    }

    /// <summary>For DISTINCT: keeps the rows whose (group, value) pair was not seen before (NULL values dropped).</summary>
    private static int FirstOccurrences(GeneralGroupTable seen, int[] gids, ColumnVector input, int n, ref int[]? rows, int rowCount)
    {
        var candidates = new int[rowCount];
        var m = 0;
        var nulls = input.Nulls;
        for (var k = 0; k < rowCount; k++)
        {
            var r = rows is null ? k : rows[k];
            if (nulls is null || nulls[r] == 0) candidates[m++] = r;
        }
        var pairGroups = new int[Math.Max(m, 1)];
        for (var k = 0; k < m; k++) pairGroups[k] = gids[candidates[k]];
        var keyVectors = new[] { new PrimitiveVector<int>(DataType.Int, pairGroups, m), input.Gather(candidates.AsSpan(0, m)) };
        var before = seen.Count;
        var ids = new int[Math.Max(m, 1)];
        seen.FindOrInsert(keyVectors, m, ids);
        var fresh = new bool[seen.Count - before];
        var kept = new int[Math.Max(m, 1)];
        var keptCount = 0;
        for (var k = 0; k < m; k++)
        {
            var id = ids[k] - before;
            if (id < 0 || fresh[id]) continue;
            fresh[id] = true;
            kept[keptCount++] = candidates[k];
        }
        rows = kept;
        return keptCount;
    }

    private void AddByDictionary(ColumnBatch batch, DictionaryVector d, int n)
    {
        var dict = d.Dictionary;
        var entries = dict.Count;
        if (!ReferenceEquals(dict, _mappedDictionary))
        {
            _mappedDictionary = dict;
            _entryGroups = new int[entries + 1];
            Array.Fill(_entryGroups, -1);
            _unmappedEntries = entries;
        }
        var map = _entryGroups;
        var nulls = d.Nulls;
        var hasNulls = NullMask.Any(nulls, n);
        int[] codes;
        if (hasNulls)
        {
            codes = Buffer(ref _rows, n);
            var src = d.Codes;
            for (var i = 0; i < n; i++) codes[i] = nulls![i] != 0 ? entries : src[i];
        }
        else codes = d.Codes;
        if (_unmappedEntries > 0 || (hasNulls && map[entries] < 0)) MapEntries(dict, codes, n);

        EnsureGroups(_table!.Count);
        var codeCount = entries + 1;
        if (codeCount * 4 <= n)
        {
            // few codes: aggregate by code into small local arrays, then fold them into the groups
            var histogram = Histogram(codes, n, codeCount);
            foreach (var s in _slots)
            {
                var local = s.Local ??= s.Accumulator.NewEmpty();
                local.EnsureGroups(codeCount);
                local.Clear(codeCount);
                var input = s.Argument?.Evaluate(batch);
                if (s.Filter is not null || !local.UpdateFewGroups(codes, input, n, histogram, codeCount))
                    Update(s, local, batch, codes, n, input);
                s.Accumulator.Merge(local, map, hasNulls ? codeCount : entries);
            }
            return;
        }
        var gids = Buffer(ref _groupIds, n);
        for (var i = 0; i < n; i++) gids[i] = map[codes[i]];
        UpdateAll(batch, gids, n);
    }

    private long[] _histogram = [];
    private readonly long[] _single = new long[1];

    // hot loop: compiled fully optimized at once instead of starting in tier 0
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long[] Histogram(int[] codes, int n, int codeCount)
    {
        if (_histogram.Length < codeCount) _histogram = new long[Math.Max(codeCount, 16)];
        var h = _histogram;
        Array.Clear(h, 0, codeCount);
        for (var i = 0; i < n; i++) h[codes[i]]++;
        return h;
    }

    /// <summary>Assigns groups to the dictionary entries this batch uses (and to NULL), in order of first use.</summary>
    private void MapEntries(BinaryVector dict, int[] codes, int n)
    {
        var map = _entryGroups;
        var entries = dict.Count;
        var used = new bool[entries + 1];
        for (var i = 0; i < n; i++) used[codes[i]] = true;
        var order = new List<int>();
        for (var i = 0; i < n && order.Count < entries + 1; i++)
        {
            var c = codes[i];
            if (used[c] && map[c] < 0)
            {
                order.Add(c);
                used[c] = false;
            }
        }
        if (order.Count == 0) return;
        var keys = new BinaryVector(dict.Type, order.Count);
        foreach (var c in order)
        {
            if (c == entries) keys.AppendNull();
            else keys.Append(dict.GetBytes(c));
        }
        var ids = new int[order.Count];
        _table!.FindOrInsert([keys], order.Count, ids);
        for (var k = 0; k < order.Count; k++)
        {
            map[order[k]] = ids[k];
            if (order[k] < entries) _unmappedEntries--;
        }
    }

    /// <summary>Folds another aggregator's partial groups into this one (same keys and aggregates, no DISTINCT).</summary>
    public void Merge(HashAggregator other)
    {
        if (_hasDistinct) throw new InvalidOperationException("DISTINCT aggregates cannot be merged");
        var count = other.GroupCount;
        var map = new int[Math.Max(count, 1)];
        if (_table is not null && count > 0)
        {
            var keys = new ColumnVector[_keys.Length];
            for (var c = 0; c < keys.Length; c++) keys[c] = other._table!.Keys(c, 0, count);
            _table.FindOrInsert(keys, count, map);
        }
        EnsureGroups(GroupCount);
        for (var i = 0; i < _slots.Length; i++) _slots[i].Accumulator.Merge(other._slots[i].Accumulator, map, count);
        TrackMemory();
    }

    /// <summary>The result rows in batches of at most <paramref name="batchSize"/> rows.</summary>
    public IEnumerable<ColumnBatch> Results(int batchSize)
    {
        var total = GroupCount;
        for (var start = 0; start < total; start += batchSize)
        {
            var count = Math.Min(batchSize, total - start);
            var columns = new ColumnVector[OutputTypes.Count];
            for (var c = 0; c < _keys.Length; c++) columns[c] = _table!.Keys(c, start, count);
            for (var a = 0; a < _slots.Length; a++) columns[_keys.Length + a] = _slots[a].Accumulator.Results(start, count);
            yield return new ColumnBatch(columns, count);
        }
    }

    private void TrackMemory()
    {
        // one group without DISTINCT: a few bytes that never grow, not worth failing a query whose spilled input
        // operators filled the budget
        if (_table is null && !_hasDistinct) return;
        long bytes = _table?.MemoryBytes ?? 0;
        foreach (var s in _slots)
        {
            bytes += s.Accumulator.BytesPerGroup * s.Accumulator.Capacity;
            if (s.Seen is not null) bytes += s.Seen.MemoryBytes;
        }
        if (!Spillable) _memory.SetSize(bytes);
        else if (!_memory.TrySetSize(bytes))
        {
            _memory.ForceSize(bytes);
            OverBudget = true;
        }
    }

    public void Dispose() => _memory.Dispose();
}
