using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Streaming;

/// <summary>
/// Applies a changelog to an initially empty multiset of rows (+I/+U add a row, -U/-D remove one equal row), which is
/// what a streaming query's result "is" at a point in time: Flink's SQL client table mode, and what the batch-stream
/// parity tests compare with the batch answer.
/// </summary>
internal static class ChangelogMaterializer
{
    public static List<ColumnBatch> Apply(IReadOnlyList<ChangeBatch> changes, IReadOnlyList<DataType> types)
    {
        var rows = new Dictionary<byte[], (long Count, ColumnBatch Batch, int Row, long Order)>(ByteKeyComparer.Instance);
        var key = new ByteWriter(128);
        long order = 0;
        foreach (var change in changes)
        {
            var batch = change.Rows;
            for (var r = 0; r < batch.RowCount; r++)
            {
                key.Clear();
                for (var c = 0; c < batch.ColumnCount; c++) ValueCodec.Write(key, batch.Columns[c], r);
                var lookup = rows.GetAlternateLookup<ReadOnlySpan<byte>>();
                lookup.TryGetValue(key.WrittenSpan, out var entry);
                var delta = RowKinds.IsLive(change.KindOf(r)) ? 1 : -1;
                var count = entry.Count + delta;
                if (count == 0) lookup.Remove(key.WrittenSpan);
                else lookup[key.WrittenSpan] = entry.Batch is null ? (count, batch, r, order++) : (count, entry.Batch, entry.Row, entry.Order);
            }
        }
        var columns = new ColumnVector[types.Count];
        for (var c = 0; c < columns.Length; c++) columns[c] = ColumnVector.Create(types[c], Math.Max(rows.Count, 1));
        var total = 0;
        foreach (var (_, (count, batch, row, _)) in rows.OrderBy(e => e.Value.Order))
        {
            if (count < 0)
                throw new TarnException(SqlStates.InternalError, "the streaming result retracted a row it never produced");
            for (var i = 0; i < count; i++)
            {
                for (var c = 0; c < columns.Length; c++) columns[c].AppendFrom(Flat(batch.Columns[c]), row);
                total++;
            }
        }
        return total == 0 ? [] : [new ColumnBatch(columns, total)];
    }

    private static ColumnVector Flat(ColumnVector v) => v is DictionaryVector d ? d.Flatten() : v;
}
