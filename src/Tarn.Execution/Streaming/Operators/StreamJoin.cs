using Tarn.Execution.Expressions;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.State;
using Tarn.Storage.Format;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// A regular join over two changelogs (Flink's StreamingJoinOperator / StreamingSemiAntiJoinOperator, mini-batched):
/// each side keeps its rows in state under their equi-join key, with a multiplicity per distinct row. A batch from
/// one side is grouped by join key, the touched keys of both sides are read in one batched state read, candidate
/// pairs are filtered by the residual condition in one vectorized evaluation, and then the batch's changes are
/// applied in order: a row joins the other side's matching rows (+I/+U in, the joined rows out with the same kind;
/// -U/-D retract them). Outer sides keep, per distinct row, how many rows of the other side match it, so that the
/// NULL-padded row is emitted while it has no match, retracted (-D) when the first match arrives and re-emitted when
/// the last one goes. Semi/anti joins keep that count on the left side and emit or retract the left row when it
/// changes between zero and non-zero. Rows whose key has a NULL never match: they are not stored at all.
/// </summary>
public sealed partial class StreamJoin
{
    /// <summary>
    /// Bytes of entries per state record; a join key with more rows spreads over several records. Small, because a
    /// batch rewrites only the chunks whose bytes changed (see <see cref="Store"/>): rows appended to a key that has
    /// many (Nexmark's common prices) rewrite its last chunk, not all of its rows.
    /// </summary>
    private const int ChunkLimit = 8 * 1024;

    /// <summary>Bytes of entries in a key's head record, which holds the chunk count that every append rewrites.</summary>
    private const int HeadLimit = 512;

    /// <summary>
    /// The side whose batch is being applied in append mode (-1: none): an insert-only side that tracks no matches
    /// never changes a stored row, so its batch loads only the heads of its keys (for the chunk count) instead of all
    /// their rows, and writes its new rows as new chunks. Rows equal to stored ones become entries of their own; the
    /// output is the same, and the next full rewrite (expiry) merges them.
    /// </summary>
    private int _appendSide = -1;

    /// <summary>In append mode, the first entry of the pushed side that is not loaded from state.</summary>
    private int _firstNewEntry;

    private readonly ByteWriter _head = new(HeadLimit + 64);

    /// <summary>Candidate pairs per residual evaluation.</summary>
    private const int PairChunk = 4096;

    private readonly Side[] _sides;
    private readonly VectorExpression? _residual;
    private readonly bool _emitsPairs;
    private readonly DataType[] _outputTypes;
    private readonly OperatorState _state;
    private readonly IChangeConsumer _output;
    private readonly ExecutionContext _context;

    // per-batch scratch
    // keys and rows of the batch and of loaded state live in one arena; dictionaries index ranges of it
    private readonly ByteWriter _arena = new(4096);
    private readonly Dictionary<ArenaRange, int> _slots;
    private readonly Dictionary<ArenaRange, int> _rowEntries;
    private readonly List<int> _slotKeyOffsets = [];
    private readonly List<int> _slotKeyLengths = [];
    private readonly ByteWriter _value = new(1024);
    private readonly List<int> _chunkEnds = [];
    private readonly StateReadBatch _reads = new();
    private readonly StateReadBatch _overflowReads = new();
    private readonly List<(int Slot, int Side, int Chunk)> _overflowOwners = [];

    /// <summary>Where each loaded chunk's bytes lie in the arena, so unchanged chunks are not written back.</summary>
    private readonly Dictionary<(int Side, int Slot, int Chunk), (int Offset, int Length)> _loadedChunks = [];
    private int[] _slotOfRow = [];
    private int[] _entryOfRow = [];
    private int[] _rowOffset = [];
    private int[] _rowLength = [];
    private int[] _pairRow = [];
    private int[] _pairEntry = [];
    private int[] _pairStart = [];
    private int[] _selected = [];
    private readonly Emissions _emissions = new();

    private readonly long[] _watermarks = [long.MinValue, long.MinValue];
    private readonly bool[] _finished = new bool[2];
    private long _emittedWatermark = long.MinValue;

    public StreamJoin(LogicalJoinKind kind, IReadOnlyList<DataType> leftTypes, IReadOnlyList<DataType> rightTypes,
        IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys, BoundExpression? residual,
        IReadOnlyList<DataType> outputTypes, OperatorState state, ExecutionContext context, IChangeConsumer output)
    {
        if (kind is LogicalJoinKind.Mark or LogicalJoinKind.Single)
            throw new TarnException(SqlStates.FeatureNotSupported, $"{kind} joins are not supported in streaming mode");
        var compiler = new ExpressionCompiler(context);
        var semiAnti = kind is LogicalJoinKind.Semi or LogicalJoinKind.Anti;
        var leftOuter = kind is LogicalJoinKind.Left or LogicalJoinKind.Full;
        var rightOuter = kind is LogicalJoinKind.Right or LogicalJoinKind.Full;
        _sides =
        [
            new Side(0, [.. leftKeys.Select(compiler.Compile)], [.. leftTypes],
                emitWhenUnmatched: leftOuter || kind == LogicalJoinKind.Anti, emitWhenMatched: kind == LogicalJoinKind.Semi),
            new Side(1, [.. rightKeys.Select(compiler.Compile)], [.. rightTypes], emitWhenUnmatched: rightOuter, emitWhenMatched: false),
        ];
        _residual = residual is null ? null : compiler.CompileAs(residual, DataType.Boolean);
        _emitsPairs = !semiAnti;
        _outputTypes = [.. outputTypes];
        _state = state;
        _context = context;
        _output = output;
        var arenaComparer = new ArenaComparer(this);
        _slots = new Dictionary<ArenaRange, int>(arenaComparer);
        _rowEntries = new Dictionary<ArenaRange, int>(arenaComparer);
        Left = new Port(this, 0);
        Right = new Port(this, 1);
    }

    public IChangeConsumer Left { get; }

    public IChangeConsumer Right { get; }

    private sealed class Side(int index, VectorExpression[] keys, DataType[] types, bool emitWhenUnmatched, bool emitWhenMatched)
    {
        public int Index { get; } = index;
        public VectorExpression[] Keys { get; } = keys;
        public DataType[] Types { get; } = types;
        /// <summary>Outer sides emit their padded row while unmatched; the left side of an anti join its row.</summary>
        public bool EmitWhenUnmatched { get; } = emitWhenUnmatched;
        /// <summary>The left side of a semi join emits its row while matched.</summary>
        public bool EmitWhenMatched { get; } = emitWhenMatched;
        public bool TracksMatches => EmitWhenUnmatched || EmitWhenMatched;
        public JoinRecordView View { get; } = new(emitWhenUnmatched || emitWhenMatched);
    }

    private sealed class Port(StreamJoin join, int side) : IChangeConsumer, EventTime.IWatermarkInput
    {
        public void AddSource(EventTime.SourceActivity source) => join.AddIdleSource(side, source);

        public void Push(ChangeBatch batch) => join.OnPush(side, batch);

        public void Watermark(long watermark) => join.OnWatermark(side, watermark);

        public void Flush() => join._output.Flush();

        public void Finish() => join.OnFinish(side);
    }

    private void OnWatermark(int side, long watermark)
    {
        _watermarks[side] = Math.Max(_watermarks[side], watermark);
        if (_interval is not null) Expire();
        AdvanceWatermark();
    }

    private void OnFinish(int side)
    {
        _finished[side] = true;
        _watermarks[side] = long.MaxValue;
        if (_finished[0] && _finished[1]) _output.Finish();
        else _output.Flush();
    }

    private void OnPush(int side, ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        _context.ThrowIfCanceled();
        var self = _sides[side];
        var other = _sides[1 - side];
        EnsureRowArrays(n);
        _arena.Clear();

        var slots = AssignSlots(self, batch.Rows);
        EncodeRows(batch.Rows, n);
        _appendSide = _interval is not null && !self.TracksMatches ? side : -1;
        Load(slots);
        _firstNewEntry = self.View.Count;
        MapRowsToEntries(self.View, n, _appendSide == side ? _firstNewEntry : 0);
        var otherRows = Decode(other);
        Candidates(side, batch.Rows, otherRows, n);
        Apply(self, other, batch);
        var otherEnded = OtherEnded(side);
        if (otherEnded) Array.Clear(self.View.Dirty, 0, slots); // nothing can match these rows any more: not stored
        Store(slots);
        _appendSide = -1;
        if (_interval is not null && !otherEnded) RegisterTimers(side, batch.Rows);
        if (_emissions.Count > 0)
        {
            var leftSource = side == 0 ? batch.Rows.Columns : otherRows;
            var rightSource = side == 0 ? otherRows : batch.Rows.Columns;
            _output.Push(_emissions.Build(leftSource, rightSource, _outputTypes, _emitsPairs));
        }
    }

    private void EnsureRowArrays(int n)
    {
        if (_slotOfRow.Length >= n) return;
        _slotOfRow = new int[n];
        _entryOfRow = new int[n];
        _rowOffset = new int[n];
        _rowLength = new int[n];
        _pairStart = new int[n + 1];
    }

    /// <summary>Groups the batch's rows by join key: slot per row, -1 when a key column is NULL (never matches).</summary>
    private int AssignSlots(Side self, ColumnBatch rows)
    {
        var n = rows.RowCount;
        var keyVectors = new ColumnVector[self.Keys.Length];
        for (var k = 0; k < keyVectors.Length; k++) keyVectors[k] = self.Keys[k].Evaluate(rows);
        _slots.Clear();
        _slotKeyOffsets.Clear();
        _slotKeyLengths.Clear();
        for (var r = 0; r < n; r++)
        {
            // the key is encoded into the arena and kept only when it is new
            var start = _arena.Length;
            var hasNull = false;
            for (var k = 0; k < keyVectors.Length && !hasNull; k++)
            {
                if (keyVectors[k].IsNull(r)) hasNull = true;
                else ValueCodec.Write(_arena, keyVectors[k], r);
            }
            if (hasNull)
            {
                _arena.Truncate(start);
                _slotOfRow[r] = -1;
                continue;
            }
            _slotOfRow[r] = SlotOf(start);
        }
        return _slotKeyOffsets.Count;
    }

    /// <summary>The slot of the key just written to the arena at <paramref name="start"/> (a new slot, or the bytes are dropped).</summary>
    private int SlotOf(int start)
    {
        var range = new ArenaRange(start, _arena.Length - start);
        if (_slots.TryGetValue(range, out var slot))
        {
            _arena.Truncate(start);
            return slot;
        }
        slot = _slotKeyOffsets.Count;
        _slots[range] = slot;
        _slotKeyOffsets.Add(range.Offset);
        _slotKeyLengths.Add(range.Length);
        return slot;
    }

    /// <summary>Encodes each keyed row of the batch (all its columns) into the arena: a distinct row's identity in state.</summary>
    private void EncodeRows(ColumnBatch rows, int n)
    {
        var columns = rows.Columns;
        for (var r = 0; r < n; r++)
        {
            if (_slotOfRow[r] < 0) continue;
            _rowOffset[r] = _arena.Length;
            for (var c = 0; c < columns.Length; c++) ValueCodec.Write(_arena, columns[c], r);
            _rowLength[r] = _arena.Length - _rowOffset[r];
        }
    }

    private int AppendToArena(ReadOnlySpan<byte> bytes)
    {
        var offset = _arena.Length;
        _arena.WriteBytes(bytes);
        return offset;
    }

    private ReadOnlySpan<byte> Bytes(int offset, int length) => _arena.WrittenSpan.Slice(offset, length);

    private ReadOnlySpan<byte> SlotKey(int slot) => Bytes(_slotKeyOffsets[slot], _slotKeyLengths[slot]);

    /// <summary>A byte range of the arena, hashed and compared by content.</summary>
    private readonly record struct ArenaRange(int Offset, int Length);

    private sealed class ArenaComparer(StreamJoin join) : IEqualityComparer<ArenaRange>
    {
        public bool Equals(ArenaRange x, ArenaRange y) => join.Bytes(x.Offset, x.Length).SequenceEqual(join.Bytes(y.Offset, y.Length));

        public int GetHashCode(ArenaRange range)
        {
            var hash = new HashCode();
            hash.AddBytes(join.Bytes(range.Offset, range.Length));
            return hash.ToHashCode();
        }
    }

    /// <summary>Reads both sides' entries of the touched keys: one batched read of the heads, one of any overflow chunks.</summary>
    private void Load(int slots)
    {
        _sides[0].View.Reset(slots);
        _sides[1].View.Reset(slots);
        _loadedChunks.Clear();
        if (slots == 0) return;
        _reads.Clear();
        for (var s = 0; s < slots; s++)
        {
            _reads.Add(StateKey(0, s, chunk: 0));
            _reads.Add(StateKey(1, s, chunk: 0));
        }
        _state.Session.Read(_reads);
        ReadExpiry(slots);
        _overflowReads.Clear();
        _overflowOwners.Clear();
        for (var i = 0; i < _reads.Count; i++)
        {
            if (!_reads.TryGetValue(i, out var stored) || Expired(i)) continue;
            var slot = i >> 1;
            var view = _sides[i & 1].View;
            var offset = AppendToArena(stored);
            _loadedChunks[(i & 1, slot, 0)] = (offset, stored.Length);
            view.Parse(slot, _arena.WrittenSpan, offset, stored.Length, head: true);
            if ((i & 1) == _appendSide) continue; // append mode: the head's chunk count is all that is needed
            for (var c = 1; c < view.ChunksBefore[slot]; c++)
            {
                _overflowReads.Add(StateKey(i & 1, slot, c));
                _overflowOwners.Add((slot, i & 1, c));
            }
        }
        if (_overflowReads.Count == 0) return;
        _state.Session.Read(_overflowReads);
        for (var i = 0; i < _overflowReads.Count; i++)
        {
            if (!_overflowReads.TryGetValue(i, out var stored))
                throw new TarnException(SqlStates.DataCorrupted, $"join state of operator {_state.OperatorId} lost a chunk of a join key");
            var (slot, side, chunk) = _overflowOwners[i];
            var offset = AppendToArena(stored);
            _loadedChunks[(side, slot, chunk)] = (offset, stored.Length);
            _sides[side].View.Parse(slot, _arena.WrittenSpan, offset, stored.Length, head: false);
        }
    }

    private ReadOnlySpan<byte> StateKey(int side, int slot, int chunk)
    {
        // heads: spaces 1 (left) and 2 (right); overflow chunks: spaces 3 and 4, keyed by join key and chunk number
        var w = _state.BeginKey((byte)(1 + side + (chunk > 0 ? 2 : 0)));
        w.WriteBytes(SlotKey(slot));
        if (chunk > 0) w.WriteInt32(chunk);
        return w.WrittenSpan;
    }

    /// <summary>Finds each keyed row's entry on its own side, adding an entry (count 0) for rows not in state yet.</summary>
    /// <param name="firstCandidate">The first loaded entry a row may be found in (append mode: none).</param>
    private void MapRowsToEntries(JoinRecordView view, int n, int firstCandidate)
    {
        _rowEntries.Clear();
        for (var r = 0; r < n; r++)
            if (_slotOfRow[r] >= 0) _rowEntries.TryAdd(new ArenaRange(_rowOffset[r], _rowLength[r]), -1);
        var entries = view.Entries;
        for (var e = firstCandidate; e < view.Count; e++)
        {
            var range = new ArenaRange(entries[e].Offset, entries[e].Length);
            if (_rowEntries.ContainsKey(range)) _rowEntries[range] = e;
        }
        for (var r = 0; r < n; r++)
        {
            if (_slotOfRow[r] < 0) continue;
            var range = new ArenaRange(_rowOffset[r], _rowLength[r]);
            var e = _rowEntries[range];
            if (e < 0)
            {
                e = view.Add(_slotOfRow[r], _rowOffset[r], _rowLength[r], 0, 0);
                _rowEntries[range] = e;
            }
            _entryOfRow[r] = e;
        }
    }

    /// <summary>The other side's loaded rows as columns, row i = entry i.</summary>
    private ColumnVector[] Decode(Side other)
    {
        var view = other.View;
        var columns = new ColumnVector[other.Types.Length];
        for (var c = 0; c < columns.Length; c++) columns[c] = ColumnVector.Create(other.Types[c], Math.Max(view.Count, 1));
        for (var e = 0; e < view.Count; e++)
        {
            var reader = new ByteReader(Bytes(view.Entries[e].Offset, view.Entries[e].Length), "join state row");
            for (var c = 0; c < columns.Length; c++) ValueCodec.ReadInto(ref reader, columns[c]);
        }
        return columns;
    }

    /// <summary>
    /// The matching (row, other entry) pairs, grouped by row in row order (<c>_pairStart</c>): every entry of the other
    /// side under the row's key, filtered by the residual condition.
    /// </summary>
    private void Candidates(int side, ColumnBatch rows, ColumnVector[] otherRows, int n)
    {
        var entries = _sides[1 - side].View;
        var count = 0;
        for (var r = 0; r < n; r++)
        {
            var slot = _slotOfRow[r];
            if (slot < 0) continue;
            for (var e = entries.Head[slot]; e >= 0; e = entries.Entries[e].Next)
            {
                if (count == _pairRow.Length)
                {
                    Array.Resize(ref _pairRow, Math.Max(64, count * 2));
                    Array.Resize(ref _pairEntry, _pairRow.Length);
                }
                _pairRow[count] = r;
                _pairEntry[count++] = e;
            }
        }
        if (_residual is not null && count > 0) count = FilterByResidual(side, rows, otherRows, count);
        var p = 0;
        for (var r = 0; r < n; r++)
        {
            _pairStart[r] = p;
            while (p < count && _pairRow[p] == r) p++;
        }
        _pairStart[n] = count;
    }

    private int FilterByResidual(int side, ColumnBatch rows, ColumnVector[] otherRows, int count)
    {
        if (_selected.Length < PairChunk) _selected = new int[PairChunk];
        var kept = 0;
        var leftCount = side == 0 ? rows.ColumnCount : otherRows.Length;
        var columns = new ColumnVector[rows.ColumnCount + otherRows.Length];
        for (var start = 0; start < count; start += PairChunk)
        {
            var len = Math.Min(PairChunk, count - start);
            var rowSel = _pairRow.AsSpan(start, len);
            var entrySel = _pairEntry.AsSpan(start, len);
            for (var c = 0; c < rows.ColumnCount; c++) columns[(side == 0 ? 0 : leftCount) + c] = rows.Columns[c].Gather(rowSel);
            for (var c = 0; c < otherRows.Length; c++) columns[(side == 0 ? leftCount : 0) + c] = otherRows[c].Gather(entrySel);
            var selected = _residual!.Select(new ColumnBatch(columns, len), Execution.Vectors.Selection.All(len), _selected);
            // compact in place: kept <= start + k, so no unread pair is overwritten
            for (var k = 0; k < selected; k++)
            {
                _pairRow[kept] = _pairRow[start + _selected[k]];
                _pairEntry[kept++] = _pairEntry[start + _selected[k]];
            }
        }
        return kept;
    }

    /// <summary>Applies the batch's changes in order and collects the output changes.</summary>
    private void Apply(Side self, Side other, ChangeBatch batch)
    {
        var n = batch.RowCount;
        var kinds = batch.Kinds;
        var otherView = other.View;
        _emissions.Clear();
        for (var r = 0; r < n; r++)
        {
            var kind = kinds is null ? (sbyte)RowKind.Insert : kinds[r];
            var live = RowKinds.IsLive(kind);
            var slot = _slotOfRow[r];
            if (slot < 0)
            {
                // a NULL key matches nothing, now or later: only an unmatched-row output, nothing stored
                if (self.EmitWhenUnmatched) EmitSelf(self, r, live ? (sbyte)RowKind.Insert : (sbyte)RowKind.Delete);
                continue;
            }
            var e = _entryOfRow[r];
            ref var entry = ref self.View.Entries[e];
            if (!live && entry.Count <= 0) continue; // retraction of a row that is not there: nothing to undo
            entry.Count += live ? 1 : -1;
            self.View.Dirty[slot] = true;

            long matches = 0;
            for (var p = _pairStart[r]; p < _pairStart[r + 1]; p++) matches += otherView.Entries[_pairEntry[p]].Count;
            if (self.TracksMatches && entry.Matches != matches) entry.Matches = matches;

            if (live) UpdateOtherMatches(other, r, +1);
            if (_emitsPairs)
            {
                for (var p = _pairStart[r]; p < _pairStart[r + 1]; p++)
                {
                    var o = _pairEntry[p];
                    for (var c = otherView.Entries[o].Count; c > 0; c--)
                        _emissions.Add(self.Index == 0 ? r : o, self.Index == 0 ? o : r, kind);
                }
            }
            if (matches == 0 && self.EmitWhenUnmatched) EmitSelf(self, r, live ? (sbyte)RowKind.Insert : (sbyte)RowKind.Delete);
            if (matches > 0 && self.EmitWhenMatched) EmitSelf(self, r, live ? (sbyte)RowKind.Insert : (sbyte)RowKind.Delete);
            if (!live) UpdateOtherMatches(other, r, -1);
        }
    }

    /// <summary>The row's matches on the other side gain or lose one match; their outputs change at 0 ↔ 1.</summary>
    private void UpdateOtherMatches(Side other, int r, int delta)
    {
        if (!other.TracksMatches) return;
        var view = other.View;
        for (var p = _pairStart[r]; p < _pairStart[r + 1]; p++)
        {
            var o = _pairEntry[p];
            ref var entry = ref view.Entries[o];
            var before = entry.Matches;
            entry.Matches = Math.Max(0, before + delta);
            view.Dirty[entry.Slot] = true;
            var becameMatched = before == 0 && entry.Matches > 0;
            var becameUnmatched = before > 0 && entry.Matches == 0;
            if (!becameMatched && !becameUnmatched) continue;
            // unmatched output (outer padding, anti row) goes when matched; matched output (semi row) comes
            var show = becameMatched ? other.EmitWhenMatched : other.EmitWhenUnmatched;
            var hide = becameMatched ? other.EmitWhenUnmatched : other.EmitWhenMatched;
            if (!show && !hide) continue;
            var kind = show ? (sbyte)RowKind.Insert : (sbyte)RowKind.Delete;
            for (var c = entry.Count; c > 0; c--)
                _emissions.Add(other.Index == 0 ? o : -1, other.Index == 0 ? -1 : o, kind);
        }
    }

    /// <summary>An output of the pushed row alone: padded with NULLs for the other side (or the left row of a semi/anti join).</summary>
    private void EmitSelf(Side self, int r, sbyte kind) =>
        _emissions.Add(self.Index == 0 ? r : -1, self.Index == 0 ? -1 : r, kind);

    /// <summary>
    /// Writes the changed keys of both sides back: a key's entries in one or more chunk records, of which only those
    /// whose bytes differ from the loaded ones are written.
    /// </summary>
    private void Store(int slots)
    {
        for (var side = 0; side < 2; side++)
        {
            var view = _sides[side].View;
            for (var s = 0; s < slots; s++)
            {
                if (!view.Dirty[s]) continue;
                if (side == _appendSide && view.ChunksBefore[s] > 0)
                {
                    Append(side, s, view);
                    continue;
                }
                var chunks = view.Serialize(s, _arena.WrittenSpan, _value, _chunkEnds, ChunkLimit, HeadLimit);
                var start = 0;
                for (var c = 0; c < chunks; c++)
                {
                    var bytes = _value.WrittenSpan[start.._chunkEnds[c]];
                    if (!_loadedChunks.TryGetValue((side, s, c), out var loaded) || !Bytes(loaded.Offset, loaded.Length).SequenceEqual(bytes))
                        _state.Session.Upsert(StateKey(side, s, c), bytes);
                    start = _chunkEnds[c];
                }
                for (var c = chunks; c < view.ChunksBefore[s]; c++) _state.Session.Delete(StateKey(side, s, c));
                Touch(side, s, chunks > 0);
            }
        }
    }

    /// <summary>Append mode: the key's new rows as chunks after its stored ones, and its head with the new chunk count.</summary>
    private void Append(int side, int slot, JoinRecordView view)
    {
        var chunks = view.SerializeAppended(slot, _firstNewEntry, _arena.WrittenSpan, _value, _chunkEnds, ChunkLimit);
        if (chunks == 0) return;
        var before = view.ChunksBefore[slot];
        var start = 0;
        for (var c = 0; c < chunks; c++)
        {
            _state.Session.Upsert(StateKey(side, slot, before + c), _value.WrittenSpan[start.._chunkEnds[c]]);
            start = _chunkEnds[c];
        }
        var (offset, length) = _loadedChunks[(side, slot, 0)];
        _head.Clear();
        _head.WriteBytes(Bytes(offset, length));
        _head.PatchUInt32(0, (uint)(before + chunks));
        _state.Session.Upsert(StateKey(side, slot, 0), _head.WrittenSpan);
    }
}
