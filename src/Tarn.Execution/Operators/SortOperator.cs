using Tarn.Execution.Expressions;
using Tarn.Execution.Sorting;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// ORDER BY: materializes the input (within the query memory limit; 53200 beyond it, no spilling yet), sorts row
/// numbers by the keys (see <see cref="BoundSortKey"/> for the default NULL placement), and emits the rows in order.
/// Strings order by UTF-8 bytes; NaN sorts above every other DOUBLE.
/// </summary>
public sealed class SortOperator : IBatchOperator
{
    private readonly IBatchOperator _input;
    private readonly SortBuffer _buffer;
    private readonly ExecutionContext _context;
    private int[]? _order;
    private int _emitted;

    public SortOperator(IBatchOperator input, IReadOnlyList<BoundSortKey> keys, ExecutionContext context)
    {
        _input = input;
        _context = context;
        _buffer = new SortBuffer(input.OutputTypes, keys, context, "ORDER BY");
    }

    public IReadOnlyList<DataType> OutputTypes => _input.OutputTypes;

    public ColumnBatch? Next()
    {
        if (_order is null)
        {
            while (_input.Next() is { } batch)
            {
                _context.ThrowIfCanceled();
                _buffer.Add(batch);
            }
            _order = _buffer.Sort();
        }
        if (_emitted >= _order.Length) return null;
        var count = Math.Min(_context.BatchSize, _order.Length - _emitted);
        var result = _buffer.Output(_order.AsSpan(_emitted, count));
        _emitted += count;
        return result;
    }

    public void Dispose()
    {
        _buffer.Dispose();
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

    public SortBuffer(IReadOnlyList<DataType> inputTypes, IReadOnlyList<BoundSortKey> keys, ExecutionContext context, string consumer)
    {
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
        Rows = new RowCollection(types, context, consumer);
    }

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

    /// <summary>The input columns of the rows at <paramref name="rows"/>.</summary>
    public ColumnBatch Output(ReadOnlySpan<int> rows)
    {
        var cols = new ColumnVector[_inputTypes.Count];
        for (var c = 0; c < cols.Length; c++) cols[c] = Rows.Columns[c].Gather(rows);
        return new ColumnBatch(cols, rows.Length);
    }

    public void Dispose() => Rows.Dispose();
}
