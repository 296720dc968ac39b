using Tarn.Execution.Streaming.State;
using Tarn.State;
using Tarn.Storage.Format;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Turns a primary-key table's log into a proper changelog (Flink's ChangelogNormalize): an INSERT of an existing key
/// is logged as a bare +I (an upsert), which operators that keep rows (joins, aggregates) would count twice. Keeping
/// the newest row per key in state, an upsert of a present key becomes -U old row, +U new row; an upsert repeating
/// the stored row is dropped; -U/-D retract the stored row (so they are exact even if the log's row differs) and
/// are dropped when the key has no row. The output is the first <c>outputColumns</c> input columns (the key columns
/// may have been appended for this operator only).
/// </summary>
public sealed class StreamChangelogNormalize(int[] keyColumns, int outputColumns, OperatorState state, IChangeConsumer output) : IChangeConsumer
{
    private const byte RowSpace = 1;

    private readonly Dictionary<byte[], int> _slots = new(ByteKeyComparer.Instance);
    private readonly List<byte[]> _slotKeys = [];
    private readonly StateReadBatch _reads = new();
    private readonly ByteWriter _scratch = new(64);
    private readonly ByteWriter _stored = new(1024);
    private int[] _slotOfRow = [];
    private int[] _rowOffset = [];
    private int[] _rowLength = [];
    // per slot: the current row, as an encoded row in _stored (offset, length) or absent (-1)
    private int[] _currentOffset = [];
    private int[] _currentLength = [];
    private bool[] _dirty = [];
    private readonly List<int> _emitOffsets = [];
    private readonly List<int> _emitLengths = [];
    private readonly List<int> _emitRows = [];
    private readonly List<sbyte> _emitKinds = [];

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        var columns = batch.Rows.Columns;
        if (_slotOfRow.Length < n)
        {
            _slotOfRow = new int[n];
            _rowOffset = new int[n];
            _rowLength = new int[n];
        }
        _slots.Clear();
        _slotKeys.Clear();
        _stored.Clear();
        var lookup = _slots.GetAlternateLookup<ReadOnlySpan<byte>>();
        for (var r = 0; r < n; r++)
        {
            _scratch.Clear();
            foreach (var k in keyColumns) ValueCodec.Write(_scratch, columns[k], r);
            if (!lookup.TryGetValue(_scratch.WrittenSpan, out var slot))
            {
                slot = _slotKeys.Count;
                var key = _scratch.WrittenSpan.ToArray();
                _slots[key] = slot;
                _slotKeys.Add(key);
            }
            _slotOfRow[r] = slot;
            _rowOffset[r] = _stored.Length;
            for (var c = 0; c < columns.Length; c++) ValueCodec.Write(_stored, columns[c], r);
            _rowLength[r] = _stored.Length - _rowOffset[r];
        }
        var slots = _slotKeys.Count;
        if (_currentOffset.Length < slots)
        {
            _currentOffset = new int[Math.Max(slots, 64)];
            _currentLength = new int[_currentOffset.Length];
            _dirty = new bool[_currentOffset.Length];
        }
        Array.Clear(_dirty, 0, slots);
        _reads.Clear();
        for (var s = 0; s < slots; s++) _reads.Add(StateKey(s));
        state.Session.Read(_reads);
        for (var s = 0; s < slots; s++)
        {
            _currentOffset[s] = -1;
            if (!_reads.TryGetValue(s, out var value)) continue;
            _currentOffset[s] = _stored.Length;
            _currentLength[s] = value.Length;
            _stored.WriteBytes(value);
        }

        // The changes, in order; each output row is a batch row or a stored (older) row.
        _emitOffsets.Clear();
        _emitLengths.Clear();
        _emitRows.Clear();
        _emitKinds.Clear();
        var kinds = batch.Kinds;
        var passThrough = true;
        for (var r = 0; r < n; r++)
        {
            var kind = kinds is null ? (sbyte)RowKind.Insert : kinds[r];
            var s = _slotOfRow[r];
            var present = _currentOffset[s] >= 0;
            if (RowKinds.IsLive(kind))
            {
                if (present)
                {
                    if (_stored.WrittenSpan.Slice(_currentOffset[s], _currentLength[s]).SequenceEqual(_stored.WrittenSpan.Slice(_rowOffset[r], _rowLength[r])))
                    {
                        passThrough = false;
                        continue;
                    }
                    Emit(-1, _currentOffset[s], _currentLength[s], (sbyte)RowKind.UpdateBefore);
                    Emit(r, 0, 0, (sbyte)RowKind.UpdateAfter);
                    passThrough = false;
                }
                else
                {
                    Emit(r, 0, 0, kind);
                }
                _currentOffset[s] = _rowOffset[r];
                _currentLength[s] = _rowLength[r];
                _dirty[s] = true;
            }
            else
            {
                if (!present)
                {
                    passThrough = false;
                    continue;
                }
                Emit(-1, _currentOffset[s], _currentLength[s], kind);
                passThrough = false;
                _currentOffset[s] = -1;
                _dirty[s] = true;
            }
        }

        for (var s = 0; s < slots; s++)
        {
            if (!_dirty[s]) continue;
            if (_currentOffset[s] < 0) state.Session.Delete(StateKey(s));
            else state.Session.Upsert(StateKey(s), _stored.WrittenSpan.Slice(_currentOffset[s], _currentLength[s]));
        }

        if (_emitRows.Count == 0) return;
        if (passThrough)
        {
            output.Push(new ChangeBatch(new ColumnBatch(columns[..outputColumns], n), kinds));
            return;
        }
        output.Push(Build(columns));
    }

    private void Emit(int row, int offset, int length, sbyte kind)
    {
        _emitRows.Add(row);
        _emitOffsets.Add(offset);
        _emitLengths.Add(length);
        _emitKinds.Add(kind);
    }

    /// <summary>The emitted rows: batch rows are copied, stored rows decoded (only changed keys reach this path).</summary>
    private ChangeBatch Build(ColumnVector[] columns)
    {
        var m = _emitRows.Count;
        var result = new ColumnVector[outputColumns];
        for (var c = 0; c < outputColumns; c++) result[c] = ColumnVector.Create(columns[c].Type, m);
        for (var i = 0; i < m; i++)
        {
            var row = _emitRows[i];
            if (row >= 0)
            {
                for (var c = 0; c < outputColumns; c++) result[c].AppendFrom(columns[c], row);
                continue;
            }
            var reader = new ByteReader(_stored.WrittenSpan.Slice(_emitOffsets[i], _emitLengths[i]), "normalized row");
            for (var c = 0; c < outputColumns; c++) ValueCodec.ReadInto(ref reader, result[c]);
        }
        var kinds = _emitKinds.ToArray();
        var allInserts = Array.TrueForAll(kinds, k => k == (sbyte)RowKind.Insert);
        return new ChangeBatch(new ColumnBatch(result, m), allInserts ? null : kinds);
    }

    private ReadOnlySpan<byte> StateKey(int slot)
    {
        var w = state.BeginKey(RowSpace);
        w.WriteBytes(_slotKeys[slot]);
        return w.WrittenSpan;
    }

    public void Watermark(long watermark) => output.Watermark(watermark);

    public void Flush() => output.Flush();

    public void Finish() => output.Finish();
}
