using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Vectors;

namespace Tarn.Execution.Lookup;

/// <summary>
/// The byte encoding of a lookup key (the key columns' values one after the other, as state keys encode them), so
/// caches and native sources can index keys in byte dictionaries (<see cref="ByteKeyComparer"/>).
/// </summary>
public static class LookupKeyCodec
{
    /// <summary>Writes the key of <paramref name="row"/>; false (nothing usable written) when a key value is NULL, which never matches.</summary>
    public static bool TryWrite(ByteWriter w, ReadOnlySpan<ColumnVector> keyColumns, int row)
    {
        w.Clear();
        foreach (var column in keyColumns)
        {
            if (column.IsNull(row)) return false;
            ValueCodec.Write(w, column, row);
        }
        return true;
    }

    /// <summary>The key of row <paramref name="row"/> of <paramref name="batch"/> whose key columns are <paramref name="keyColumns"/>.</summary>
    public static bool TryWrite(ByteWriter w, ColumnBatch batch, IReadOnlyList<int> keyColumns, int row)
    {
        w.Clear();
        foreach (var c in keyColumns)
        {
            var column = batch.Columns[c];
            if (column.IsNull(row)) return false;
            ValueCodec.Write(w, column, row);
        }
        return true;
    }

    /// <summary>Indexes the rows of <paramref name="batches"/> by their key (rows with a NULL key value are left out).</summary>
    public static Dictionary<byte[], LookupRow[]> Index(IEnumerable<ColumnBatch> batches, IReadOnlyList<int> keyColumns)
    {
        var grouped = new Dictionary<byte[], List<LookupRow>>(ByteKeyComparer.Instance);
        var lookup = grouped.GetAlternateLookup<ReadOnlySpan<byte>>();
        var w = new ByteWriter(64);
        foreach (var batch in batches)
        {
            for (var r = 0; r < batch.RowCount; r++)
            {
                if (!TryWrite(w, batch, keyColumns, r)) continue;
                if (!lookup.TryGetValue(w.WrittenSpan, out var rows))
                {
                    rows = [];
                    grouped[w.WrittenSpan.ToArray()] = rows;
                }
                rows.Add(new LookupRow(batch, r));
            }
        }
        var index = new Dictionary<byte[], LookupRow[]>(grouped.Count, ByteKeyComparer.Instance);
        foreach (var (key, rows) in grouped) index[key] = [.. rows];
        return index;
    }
}
