using Tarn.Execution.Expressions;
using Tarn.Execution.Sorting;
using Tarn.Execution.Spilling;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// ORDER BY: materializes the input, sorts row numbers by the keys (see <see cref="BoundSortKey"/> for the default
/// NULL placement), and emits the rows in order. Strings order by UTF-8 bytes; NaN sorts above every other DOUBLE.
/// When the rows outgrow the query memory limit (and the context has a spill directory) it sorts externally: each
/// memory-full of rows is sorted and written to a spill file as a run, and the runs are merged (in several passes when
/// there are more than <see cref="MergeFanIn"/>).
/// </summary>
public sealed class SortOperator : IBatchOperator
{
    /// <summary>Runs merged at once; more runs are first merged in groups into longer runs.</summary>
    public const int MergeFanIn = 16;

    private readonly IBatchOperator _input;
    private readonly SortBuffer _buffer;
    private readonly ExecutionContext _context;
    private readonly IReadOnlyList<BoundSortKey> _keys;
    private readonly List<SpillFile> _runs = [];
    private MemoryReservation? _mergeMemory;
    private IEnumerator<ColumnBatch>? _output;

    public SortOperator(IBatchOperator input, IReadOnlyList<BoundSortKey> keys, ExecutionContext context)
    {
        _input = input;
        _context = context;
        _keys = keys;
        _buffer = new SortBuffer(input.OutputTypes, keys, context, "ORDER BY", spillable: context.SpillDirectory is not null);
    }

    public IReadOnlyList<DataType> OutputTypes => _input.OutputTypes;

    /// <summary>Sorted runs written so far (for tests).</summary>
    public int SpilledRuns { get; private set; }

    public ColumnBatch? Next()
    {
        _output ??= Run().GetEnumerator();
        return _output.MoveNext() ? _output.Current : null;
    }

    private IEnumerable<ColumnBatch> Run()
    {
        while (_input.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            _buffer.Add(batch);
            if (_buffer.Rows.OverBudget) SpillRun();
        }
        if (_runs.Count == 0)
        {
            var order = _buffer.Sort();
            for (var start = 0; start < order.Length; start += _context.BatchSize)
            {
                _context.ThrowIfCanceled();
                yield return _buffer.Output(order.AsSpan(start, Math.Min(_context.BatchSize, order.Length - start)));
            }
            yield break;
        }
        if (_buffer.Rows.Count > 0) SpillRun();
        _buffer.Clear();
        var comparer = new RowComparer(_buffer.KeyColumns, [.. _keys.Select(k => k.Descending)], [.. _keys.Select(k => k.EffectiveNullsFirst)]);
        _mergeMemory = new MemoryReservation(_context.Memory, "ORDER BY merge");
        var merger = new RunMerger(_buffer.StoredTypes, comparer, _context.BatchSize, _context, _mergeMemory);
        while (_runs.Count > MergeFanIn)
        {
            // one more pass: merge the oldest runs into one longer run
            var group = _runs.GetRange(0, MergeFanIn);
            var merged = new SpillFile(_context.SpillDirectory!, _buffer.StoredTypes);
            _runs.Add(merged);
            foreach (var b in merger.Merge([.. group.Select(r => r.Read())])) merged.Write(b);
            foreach (var r in group) r.Dispose();
            _runs.RemoveRange(0, MergeFanIn);
        }
        var width = _input.OutputTypes.Count;
        var columns = Enumerable.Range(0, width).ToArray();
        foreach (var b in merger.Merge([.. _runs.Select(r => r.Read())]))
            yield return b.ColumnCount == width ? b : b.Project(columns);
    }

    /// <summary>Sorts the rows held and writes them to a new run, then empties the buffer.</summary>
    private void SpillRun()
    {
        var order = _buffer.Sort();
        var run = new SpillFile(_context.SpillDirectory!, _buffer.StoredTypes);
        _runs.Add(run);
        for (var start = 0; start < order.Length; start += _context.BatchSize)
        {
            _context.ThrowIfCanceled();
            run.Write(_buffer.Rows.Gather(order.AsSpan(start, Math.Min(_context.BatchSize, order.Length - start))));
        }
        _buffer.Clear();
        SpilledRuns++;
    }

    public void Dispose()
    {
        _output?.Dispose();
        _buffer.Dispose();
        foreach (var r in _runs) r.Dispose();
        _runs.Clear();
        _mergeMemory?.Dispose();
        _input.Dispose();
    }
}

/// <summary>Input rows plus their evaluated sort keys, held for sorting (shared by ORDER BY and TopN).</summary>
internal sealed class SortBuffer : IDisposable
{
    private readonly IReadOnlyList<DataType> _inputTypes;
    private readonly IReadOnlyList<BoundSortKey> _keys;
    private readonly VectorExpression?[] _computedKeys;
    private readonly int[] _keyColumn;
    private readonly ExecutionContext _context;
    private readonly string _consumer;
    private readonly bool _spillable;

    public SortBuffer(IReadOnlyList<DataType> inputTypes, IReadOnlyList<BoundSortKey> keys, ExecutionContext context, string consumer, bool spillable = false)
    {
        _spillable = spillable;
        _inputTypes = inputTypes;
        _keys = keys;
        _context = context;
        _consumer = consumer;
        var compiler = new ExpressionCompiler(context);
        _computedKeys = new VectorExpression?[keys.Count];
        _keyColumn = new int[keys.Count];
        var types = inputTypes.ToList();
        for (var k = 0; k < keys.Count; k++)
        {
            if (keys[k].Expression is BoundColumnRef c) _keyColumn[k] = c.Index;
            else
            {
                _computedKeys[k] = compiler.Compile(keys[k].Expression);
                _keyColumn[k] = types.Count;
                types.Add(keys[k].Expression.Type);
            }
        }
        StoredTypes = types;
        Rows = new RowCollection(types, context, consumer, spillable);
    }

    /// <summary>The stored column of each sort key.</summary>
    public int[] KeyColumns => _keyColumn;

    public IReadOnlyList<DataType> StoredTypes { get; }

    public RowCollection Rows { get; private set; }

    public void Add(ColumnBatch batch)
    {
        var columns = new ColumnVector[StoredTypes.Count];
        for (var c = 0; c < _inputTypes.Count; c++) columns[c] = batch.Columns[c];
        for (var k = 0; k < _keys.Count; k++)
            if (_computedKeys[k] is { } e) columns[_keyColumn[k]] = e.Evaluate(batch);
        Rows.Append(columns, batch.RowCount);
    }

    public int[] Sort() => RowSorter.Sort(
        [.. _keyColumn.Select(c => Rows.Columns[c])],
        [.. _keys.Select(k => k.Descending)],
        [.. _keys.Select(k => k.EffectiveNullsFirst)],
        Rows.Count);

    /// <summary>Keeps only the rows at <paramref name="rows"/> (in that order).</summary>
    public void Retain(ReadOnlySpan<int> rows)
    {
        var kept = new RowCollection(StoredTypes, _context, _consumer);
        var gathered = Rows.Gather(rows);
        kept.Append(gathered.Columns, gathered.RowCount);
        Rows.Dispose();
        Rows = kept;
    }

    /// <summary>Drops every row held (and its memory).</summary>
    public void Clear()
    {
        Rows.Dispose();
        Rows = new RowCollection(StoredTypes, _context, _consumer, _spillable);
    }

    /// <summary>The input columns of the rows at <paramref name="rows"/>.</summary>
    public ColumnBatch Output(ReadOnlySpan<int> rows)
    {
        var cols = new ColumnVector[_inputTypes.Count];
        for (var c = 0; c < cols.Length; c++) cols[c] = Rows.Columns[c].Gather(rows);
        return new ColumnBatch(cols, rows.Length);
    }

    public void Dispose() => Rows.Dispose();
}
