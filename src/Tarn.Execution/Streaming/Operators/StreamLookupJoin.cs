using Tarn.Execution.Expressions;
using Tarn.Execution.Lookup;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Flink's processing-time lookup join (LookupJoinRunner): each probe batch's distinct keys are looked up in one call
/// to the dimension's <see cref="LookupCache"/>, and every probe row is joined with the rows found (then filtered by
/// the residual condition); a LEFT join pads a row without match with NULLs. A row keeps its change kind, and nothing
/// emitted is ever revised when the dimension changes later, so the operator keeps no state.
/// </summary>
public sealed class StreamLookupJoin : IChangeConsumer
{
    private readonly VectorExpression[] _keys;
    private readonly VectorExpression? _residual;
    private readonly bool _leftOuter;
    private readonly LookupCache _lookup;
    private readonly DataType[] _dimTypes;
    private readonly IChangeConsumer _output;
    private readonly Dictionary<byte[], int> _slots = new(ByteKeyComparer.Instance);
    private readonly List<byte[]> _slotKeys = [];
    private readonly List<int> _slotFirstRow = [];
    private readonly ByteWriter _scratch = new(64);
    private readonly List<int> _pairLeft = [];
    private readonly List<LookupRow> _pairDim = [];
    private readonly List<int> _outLeft = [];
    private readonly List<LookupRow?> _outDim = [];
    private int[] _slotOfRow = [];

    /// <param name="dimTypes">Types of the dimension columns in the output (nullable for a LEFT join).</param>
    public StreamLookupJoin(IReadOnlyList<BoundExpression> leftKeys, BoundExpression? residual, bool leftOuter, LookupCache lookup,
        IReadOnlyList<DataType> dimTypes, ExecutionContext context, IChangeConsumer output)
    {
        var compiler = new ExpressionCompiler(context);
        _keys = [.. leftKeys.Select(compiler.Compile)];
        _residual = residual is null ? null : compiler.CompileAs(residual, DataType.Boolean);
        _leftOuter = leftOuter;
        _lookup = lookup;
        _dimTypes = [.. dimTypes];
        _output = output;
    }

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        var rows = batch.Rows;
        var keyVectors = new ColumnVector[_keys.Length];
        for (var k = 0; k < keyVectors.Length; k++) keyVectors[k] = _keys[k].Evaluate(rows);
        if (_slotOfRow.Length < n) _slotOfRow = new int[n];

        // Distinct non-NULL keys of the batch, looked up together.
        _slots.Clear();
        _slotKeys.Clear();
        _slotFirstRow.Clear();
        var lookup = _slots.GetAlternateLookup<ReadOnlySpan<byte>>();
        for (var r = 0; r < n; r++)
        {
            if (!LookupKeyCodec.TryWrite(_scratch, keyVectors, r))
            {
                _slotOfRow[r] = -1;
                continue;
            }
            if (!lookup.TryGetValue(_scratch.WrittenSpan, out var slot))
            {
                slot = _slotKeys.Count;
                var key = _scratch.WrittenSpan.ToArray();
                _slots[key] = slot;
                _slotKeys.Add(key);
                _slotFirstRow.Add(r);
            }
            _slotOfRow[r] = slot;
        }
        var results = new LookupRow[_slotKeys.Count][];
        if (_slotKeys.Count > 0)
        {
            var first = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_slotFirstRow);
            var keyColumns = new ColumnVector[keyVectors.Length];
            for (var k = 0; k < keyColumns.Length; k++) keyColumns[k] = keyVectors[k].Gather(first);
            _lookup.Lookup(new ColumnBatch(keyColumns, first.Length), [.. _slotKeys], results);
        }

        // Candidate pairs in probe-row order (a -U stays before its +U).
        _pairLeft.Clear();
        _pairDim.Clear();
        for (var r = 0; r < n; r++)
        {
            var slot = _slotOfRow[r];
            if (slot < 0) continue;
            foreach (var m in results[slot])
            {
                _pairLeft.Add(r);
                _pairDim.Add(m);
            }
        }
        bool[]? keep = null;
        if (_residual is not null && _pairLeft.Count > 0)
        {
            var pairs = Build(rows, _pairLeft, null, _pairDim);
            var selection = new int[_pairLeft.Count];
            var selected = _residual.Select(pairs, Execution.Vectors.Selection.All(_pairLeft.Count), selection);
            keep = new bool[_pairLeft.Count];
            for (var i = 0; i < selected; i++) keep[selection[i]] = true;
        }

        _outLeft.Clear();
        _outDim.Clear();
        var p = 0;
        for (var r = 0; r < n; r++)
        {
            var matched = false;
            for (; p < _pairLeft.Count && _pairLeft[p] == r; p++)
            {
                if (keep is not null && !keep[p]) continue;
                _outLeft.Add(r);
                _outDim.Add(_pairDim[p]);
                matched = true;
            }
            if (!matched && _leftOuter)
            {
                _outLeft.Add(r);
                _outDim.Add(null);
            }
        }
        if (_outLeft.Count == 0) return;
        var output = Build(rows, _outLeft, _outDim, null);
        sbyte[]? kinds = null;
        if (batch.Kinds is { } inKinds)
        {
            kinds = new sbyte[_outLeft.Count];
            for (var i = 0; i < kinds.Length; i++) kinds[i] = inKinds[_outLeft[i]];
        }
        _output.Push(new ChangeBatch(output, kinds));
    }

    /// <summary>Probe columns of <paramref name="left"/>'s rows, then the dimension row's columns (NULLs for a missing one).</summary>
    private ColumnBatch Build(ColumnBatch probe, List<int> left, List<LookupRow?>? dim, List<LookupRow>? pairs)
    {
        var count = left.Count;
        var leftPart = probe.Gather(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(left));
        var columns = new ColumnVector[probe.ColumnCount + _dimTypes.Length];
        Array.Copy(leftPart.Columns, columns, probe.ColumnCount);
        for (var c = 0; c < _dimTypes.Length; c++)
        {
            var vector = ColumnVector.Create(_dimTypes[c], count);
            for (var i = 0; i < count; i++)
            {
                var row = pairs is not null ? pairs[i] : dim![i];
                if (row is { } found) vector.AppendFrom(found.Batch.Columns[c], found.Row);
                else vector.AppendNull();
            }
            columns[probe.ColumnCount + c] = vector;
        }
        return new ColumnBatch(columns, count);
    }

    public void Watermark(long watermark) => _output.Watermark(watermark);

    public void Flush() => _output.Flush();

    public void Finish() => _output.Finish();
}
