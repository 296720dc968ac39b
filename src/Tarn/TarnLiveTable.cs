using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Vectors;

namespace Tarn;

/// <summary>
/// The current rows of a subscription's result, kept up to date by applying its changes (Flink's SQL client table
/// result mode): +I/+U add a row, -U/-D remove one equal row. Rows keep the order in which they (last) appeared, so
/// an updated row moves to the end, as in Flink. Not thread-safe.
/// </summary>
public sealed class TarnLiveTable
{
    private sealed class Entry
    {
        public long Count;
        public required ColumnBatch Batch;
        public int Row;
        public LinkedListNode<byte[]>? Node;
    }

    private readonly Dictionary<byte[], Entry> _rows = new(ByteKeyComparer.Instance);
    private readonly LinkedList<byte[]> _order = new();
    private readonly ByteWriter _key = new(128);

    public TarnLiveTable(IReadOnlyList<TarnColumn> columns) => Columns = columns;

    public IReadOnlyList<TarnColumn> Columns { get; }

    /// <summary>Rows in the result now (a row present twice counts twice).</summary>
    public long RowCount { get; private set; }

    /// <summary>Changes applied so far.</summary>
    public long ChangeCount { get; private set; }

    public void Apply(TarnChangeBatch changes)
    {
        var batch = Flat(changes.Rows);
        var lookup = _rows.GetAlternateLookup<ReadOnlySpan<byte>>();
        for (var r = 0; r < batch.RowCount; r++)
        {
            _key.Clear();
            for (var c = 0; c < batch.ColumnCount; c++) ValueCodec.Write(_key, batch.Columns[c], r);
            var adds = changes.KindOf(r).Adds();
            if (!lookup.TryGetValue(_key.WrittenSpan, out var entry))
            {
                entry = new Entry { Batch = batch, Row = r };
                lookup[_key.WrittenSpan] = entry;
            }
            var before = Math.Max(entry.Count, 0);
            entry.Count += adds ? 1 : -1;
            var after = Math.Max(entry.Count, 0);
            RowCount += after - before;
            if (after > 0 && entry.Node is null)
            {
                // (Re)appearing: take this change's copy of the values and go to the end.
                entry.Batch = batch;
                entry.Row = r;
                entry.Node = _order.AddLast(KeyOf(lookup, _key.WrittenSpan));
            }
            else if (after == 0 && entry.Node is not null)
            {
                _order.Remove(entry.Node);
                entry.Node = null;
            }
            if (entry.Count == 0) lookup.Remove(_key.WrittenSpan);
            ChangeCount++;
        }
    }

    /// <summary>The stored key equal to <paramref name="key"/> (so the order list shares the dictionary's arrays).</summary>
    private static byte[] KeyOf(Dictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>> lookup, ReadOnlySpan<byte> key) =>
        lookup.TryGetValue(key, out var actual, out _) ? actual : key.ToArray();

    /// <summary>The current rows as a result, in order; at most the last <paramref name="maxRows"/> of them when given.</summary>
    public TarnResult ToResult(int maxRows = int.MaxValue)
    {
        var shown = (int)Math.Min(RowCount, maxRows);
        var columns = new ColumnVector[Columns.Count];
        for (var c = 0; c < columns.Length; c++) columns[c] = ColumnVector.Create(Columns[c].Type, Math.Max(shown, 1));
        var skip = RowCount - shown;
        var total = 0;
        for (var node = _order.First; node is not null && total < shown; node = node.Next)
        {
            var entry = _rows[node.Value];
            for (long i = 0; i < entry.Count && total < shown; i++)
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                for (var c = 0; c < columns.Length; c++) columns[c].AppendFrom(entry.Batch.Columns[c], entry.Row);
                total++;
            }
        }
        return new TarnResult(StatementKind.Query, Columns, total == 0 ? [] : [new ColumnBatch(columns, total)]);
    }

    /// <summary>The batch with dictionary columns decoded once (rows are copied out of it one at a time later).</summary>
    private static ColumnBatch Flat(ColumnBatch batch)
    {
        ColumnVector[]? flat = null;
        for (var c = 0; c < batch.ColumnCount; c++)
        {
            if (batch.Columns[c] is not DictionaryVector d) continue;
            flat ??= [.. batch.Columns];
            flat[c] = d.Flatten();
        }
        return flat is null ? batch : new ColumnBatch(flat, batch.RowCount);
    }
}
