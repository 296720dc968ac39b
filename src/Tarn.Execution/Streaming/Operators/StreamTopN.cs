using Tarn.Execution.Expressions;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.State;
using Tarn.Storage.Format;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>What a <see cref="StreamTopN"/> keeps and emits.</summary>
/// <param name="Start">First row number emitted (1-based).</param>
/// <param name="End">Last row number emitted: the operator ranks the first <paramref name="End"/> rows of each partition.</param>
/// <param name="RankInOutput">
/// Whether the row number is read downstream. If so, every position whose row changes is updated (-U/+U of the
/// position's old and new row, -D/+I when the position empties or fills); if not, only rows entering or leaving
/// the range are emitted (-D/+I), except for a single-position range (Top-1, deduplication) whose change is -U/+U.
/// </param>
/// <param name="KeepFirst">Keep-first deduplication: the first row per partition is final, later rows are ignored.</param>
/// <param name="InputRetracts">
/// Whether the input carries -U/-D. A retracted row of the top may have to be replaced by one ranked below it, so a
/// retracting input keeps every row of the partition in state; an insert-only input keeps only the first
/// <paramref name="End"/>, since a row pushed out can never come back.
/// </param>
public sealed record TopNSpec(long Start, long End, bool RankInOutput, bool KeepFirst, bool InputRetracts);

/// <summary>
/// Streaming Top-N and deduplication: ROW_NUMBER() OVER (PARTITION BY .. ORDER BY ..) filtered to a range of row
/// numbers (Flink's AppendOnlyTopNFunction, RetractableTopNFunction and deduplicate functions). Output: the input
/// columns plus the row number, the layout of the window node it replaces. Per partition, the state holds the
/// ranked rows as one entry: each row's order key in an order-preserving encoding (so ranking compares bytes), the
/// row itself and its multiplicity. Per batch the touched partitions are read in one batched read, the top before
/// and after applying the batch's changes are compared, and the differences are emitted: retractions before
/// additions, so that a consumer keyed by the row or by (partition, row number) ends with the batch answer.
/// Ties in the ORDER BY are broken by the encoded row, deterministically but not necessarily like batch mode.
/// A retracting input keeps every row of a partition, so its state is paged instead (StreamTopN.Paged.cs): a change
/// rewrites the pages it touches, not the whole partition.
/// </summary>
public sealed partial class StreamTopN : IChangeConsumer
{
    private const byte PartitionSpace = 1;

    private readonly VectorExpression[] _partitionKeys;
    private readonly VectorExpression[] _orderKeys;
    private readonly bool[] _descending;
    private readonly bool[] _nullsFirst;
    private readonly DataType[] _inputTypes;
    private readonly DataType _rankType;
    private readonly TopNSpec _spec;
    private readonly OperatorState _state;
    private readonly IChangeConsumer _output;
    private readonly BatchKeyGrouper _grouper = new();
    private readonly List<Partition> _partitions = [];
    private readonly StateReadBatch _reads = new();
    private readonly ByteWriter _scratch = new(64);
    private readonly ByteWriter _value = new(1024);
    private readonly List<Change> _retractions = [];
    private readonly List<Change> _additions = [];

    public StreamTopN(IReadOnlyList<BoundExpression> partitionBy, IReadOnlyList<BoundSortKey> orderBy, IReadOnlyList<DataType> inputTypes,
        DataType rankType, TopNSpec spec, OperatorState state, ExecutionContext context, IChangeConsumer output)
    {
        var compiler = new ExpressionCompiler(context);
        _partitionKeys = [.. partitionBy.Select(compiler.Compile)];
        _orderKeys = [.. orderBy.Select(k => compiler.Compile(k.Expression))];
        _descending = [.. orderBy.Select(k => k.Descending)];
        _nullsFirst = [.. orderBy.Select(k => k.EffectiveNullsFirst)];
        _inputTypes = [.. inputTypes];
        _rankType = rankType;
        _spec = spec;
        _state = state;
        _output = output;
    }

    private sealed class Partition
    {
        public List<RankedRow> Entries { get; } = [];
        public bool Stored { get; set; }
        public bool HadRows { get; set; }
        public byte[][] Before { get; set; } = [];
    }

    private readonly record struct Change(byte[] Row, long Rank, RowKind Kind);

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        var rows = batch.Rows;
        var partitionVectors = new ColumnVector[_partitionKeys.Length];
        for (var k = 0; k < partitionVectors.Length; k++) partitionVectors[k] = _partitionKeys[k].Evaluate(rows);
        var orderVectors = new ColumnVector[_orderKeys.Length];
        for (var k = 0; k < orderVectors.Length; k++) orderVectors[k] = _orderKeys[k].Evaluate(rows);

        var slotOfRow = GroupByPartition(partitionVectors, n);
        if (_spec.InputRetracts)
        {
            PushPaged(rows, batch.Kinds, slotOfRow, orderVectors);
            return;
        }
        Load();
        foreach (var p in _partitions) p.Before = Top(p.Entries);

        var kinds = batch.Kinds;
        for (var r = 0; r < n; r++)
        {
            var partition = _partitions[slotOfRow[r]];
            if (_spec.KeepFirst && partition.HadRows) continue;
            _scratch.Clear();
            for (var k = 0; k < orderVectors.Length; k++) OrderedKeyCodec.Write(_scratch, orderVectors[k], r, _descending[k], _nullsFirst[k]);
            var sort = _scratch.ToArray();
            _scratch.Clear();
            for (var c = 0; c < rows.ColumnCount; c++) ValueCodec.Write(_scratch, rows[c], r);
            var entry = new RankedRow(sort, _scratch.ToArray(), 1);
            if (kinds is null || RowKinds.IsLive(kinds[r])) Add(partition.Entries, entry);
            else Retract(partition.Entries, entry);
        }

        _retractions.Clear();
        _additions.Clear();
        for (var s = 0; s < _partitions.Count; s++)
        {
            var partition = _partitions[s];
            if (!_spec.InputRetracts) Truncate(partition.Entries, _spec.End);
            var after = Top(partition.Entries);
            if (_spec.RankInOutput || _spec.Start == _spec.End) DiffPositions(partition.Before, after);
            else DiffMembers(partition.Before, after);
            Store(s, partition);
        }
        Emit();
    }

    private int[] GroupByPartition(ColumnVector[] partitionVectors, int n)
    {
        _grouper.Clear();
        _partitions.Clear();
        var slotOfRow = new int[n];
        _grouper.Group(partitionVectors, n, slotOfRow);
        for (var s = 0; s < _grouper.Count; s++) _partitions.Add(new Partition());
        return slotOfRow;
    }

    private byte[] StateKey(byte[] partitionKey)
    {
        var w = _state.BeginKey(PartitionSpace);
        w.WriteBytes(partitionKey);
        return w.ToArray();
    }

    private void Load()
    {
        _reads.Clear();
        foreach (var key in _grouper.Keys) _reads.Add(StateKey(key));
        _state.Session.Read(_reads);
        for (var s = 0; s < _partitions.Count; s++)
        {
            if (!_reads.TryGetValue(s, out var stored)) continue;
            var partition = _partitions[s];
            partition.Stored = true;
            var reader = new ByteReader(stored, "top-n state");
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var sort = reader.ReadBlob().ToArray();
                var row = reader.ReadBlob().ToArray();
                partition.Entries.Add(new RankedRow(sort, row, reader.ReadInt32()));
            }
            partition.HadRows = count > 0;
        }
    }

    private void Store(int slot, Partition partition)
    {
        var key = StateKey(_grouper.Keys[slot]);
        if (partition.Entries.Count == 0)
        {
            if (partition.Stored) _state.Session.Delete(key);
            return;
        }
        _value.Clear();
        _value.WriteInt32(partition.Entries.Count);
        foreach (var e in partition.Entries)
        {
            _value.WriteBlob(e.Sort);
            _value.WriteBlob(e.Row);
            _value.WriteInt32(e.Count);
        }
        _state.Session.Upsert(key, _value.WrittenSpan);
    }

    private static void Add(List<RankedRow> entries, RankedRow entry)
    {
        var i = entries.BinarySearch(entry, RankedRowOrder.Instance);
        if (i >= 0) entries[i].Count++;
        else entries.Insert(~i, entry);
    }

    /// <summary>Removes one copy of the row; a retraction of a row never seen (or already pushed out) is ignored.</summary>
    private static void Retract(List<RankedRow> entries, RankedRow entry)
    {
        var i = entries.BinarySearch(entry, RankedRowOrder.Instance);
        if (i < 0) return;
        if (--entries[i].Count == 0) entries.RemoveAt(i);
    }

    /// <summary>Drops the rows ranked after <paramref name="limit"/>.</summary>
    private static void Truncate(List<RankedRow> entries, long limit)
    {
        if (limit <= 0)
        {
            entries.Clear(); // a filter such as rn < 1 keeps nothing
            return;
        }
        long seen = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (seen + e.Count > limit)
            {
                e.Count = (int)(limit - seen);
                var from = e.Count == 0 ? i : i + 1;
                entries.RemoveRange(from, entries.Count - from);
                return;
            }
            seen += e.Count;
        }
    }

    /// <summary>The rows at positions 1..End (fewer if the partition is smaller), one array element per position.</summary>
    private byte[][] Top(List<RankedRow> entries)
    {
        var rows = new List<byte[]>();
        foreach (var e in entries)
        {
            for (var c = 0; c < e.Count && rows.Count < _spec.End; c++) rows.Add(e.Row);
            if (rows.Count >= _spec.End) break;
        }
        return [.. rows];
    }

    /// <summary>Per position in [Start, End] whose row changed: retract the old row, add the new one.</summary>
    private void DiffPositions(byte[][] before, byte[][] after)
    {
        var last = Math.Max(before.Length, after.Length);
        for (var p = _spec.Start; p <= last; p++)
        {
            var old = p <= before.Length ? before[p - 1] : null;
            var now = p <= after.Length ? after[p - 1] : null;
            if (old is not null && now is not null && old.AsSpan().SequenceEqual(now)) continue;
            if (old is not null) _retractions.Add(new Change(old, p, now is null ? RowKind.Delete : RowKind.UpdateBefore));
            if (now is not null) _additions.Add(new Change(now, p, old is null ? RowKind.Insert : RowKind.UpdateAfter));
        }
    }

    /// <summary>Rows that left the range are deleted, rows that entered it inserted; rows that only moved are not emitted.</summary>
    private void DiffMembers(byte[][] before, byte[][] after)
    {
        var balance = new Dictionary<byte[], int>(ByteKeyComparer.Instance);
        for (var p = _spec.Start; p <= before.Length; p++)
            balance[before[p - 1]] = balance.GetValueOrDefault(before[p - 1]) + 1;
        for (var p = _spec.Start; p <= after.Length; p++)
            balance[after[p - 1]] = balance.GetValueOrDefault(after[p - 1]) - 1;
        for (var p = _spec.Start; p <= before.Length; p++)
        {
            var row = before[p - 1];
            if (balance[row] <= 0) continue;
            balance[row]--;
            _retractions.Add(new Change(row, p, RowKind.Delete));
        }
        for (var p = _spec.Start; p <= after.Length; p++)
        {
            var row = after[p - 1];
            if (balance[row] >= 0) continue;
            balance[row]++;
            _additions.Add(new Change(row, p, RowKind.Insert));
        }
    }

    private void Emit()
    {
        var count = _retractions.Count + _additions.Count;
        if (count == 0) return;
        var columns = new ColumnVector[_inputTypes.Length + 1];
        for (var c = 0; c < _inputTypes.Length; c++) columns[c] = ColumnVector.Create(_inputTypes[c], count);
        var rank = ColumnVector.Create(_rankType, count);
        columns[^1] = rank;
        var kinds = new sbyte[count];
        var i = 0;
        var allInserts = true;
        foreach (var list in (List<Change>[])[_retractions, _additions])
        {
            foreach (var change in list)
            {
                var reader = new ByteReader(change.Row, "top-n row");
                for (var c = 0; c < _inputTypes.Length; c++) ValueCodec.ReadInto(ref reader, columns[c]);
                AppendRank(rank, change.Rank);
                kinds[i++] = (sbyte)change.Kind;
                allInserts &= change.Kind == RowKind.Insert;
            }
        }
        _output.Push(new ChangeBatch(new ColumnBatch(columns, count), allInserts ? null : kinds));
    }

    private static void AppendRank(ColumnVector rank, long value)
    {
        switch (rank)
        {
            case PrimitiveVector<long> l: l.Append(value); break;
            case PrimitiveVector<int> i: i.Append((int)value); break;
            default: throw new InvalidOperationException($"row number of type {rank.Type} is not supported");
        }
    }

    public void Watermark(long watermark) => _output.Watermark(watermark);

    public void Flush() => _output.Flush();

    public void Finish() => _output.Finish();
}
