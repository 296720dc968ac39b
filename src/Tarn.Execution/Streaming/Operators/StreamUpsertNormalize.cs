using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// Flink's ChangelogNormalize: turns an upsert stream (each row the new value of its key, a delete carrying the key)
/// into an exact changelog — +I for a new key, -U old / +U new for a changed one, -D with the old row for a delete;
/// an upsert that repeats the current row and a delete of an absent key emit nothing. The current row of every key
/// lives in the job's state store, so downstream aggregates retract exactly what they counted. Used after an
/// upsert-kafka source.
/// </summary>
public sealed class StreamUpsertNormalize : IChangeConsumer
{
    private const byte RowSpace = 1;

    private readonly int[] _keyColumns;
    private readonly IReadOnlyList<DataType> _types;
    private readonly OperatorState _state;
    private readonly IChangeConsumer _output;
    private readonly ByteWriter _key = new(64);
    private readonly ByteWriter _row = new(256);
    private readonly Dictionary<byte[], byte[]?> _touched = new(ByteKeyComparer.Instance);

    public StreamUpsertNormalize(int[] keyColumns, IReadOnlyList<DataType> types, OperatorState state, IChangeConsumer output)
    {
        _keyColumns = keyColumns;
        _types = types;
        _state = state;
        _output = output;
    }

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        var columns = RowCodec.NewColumns(_types, n * 2);
        var kinds = new List<sbyte>(n * 2);
        var rows = batch.Rows;
        for (var r = 0; r < n; r++)
        {
            _key.Clear();
            foreach (var c in _keyColumns) ValueCodec.Write(_key, rows[c], r);
            var key = _key.ToArray();
            var old = Current(key);
            var kind = batch.KindOf(r);
            if (kind is RowKind.Delete or RowKind.UpdateBefore)
            {
                if (old is null) continue;
                Emit(columns, kinds, old, RowKind.Delete);
                _touched[key] = null;
                continue;
            }
            _row.Clear();
            RowCodec.Write(_row, rows, r);
            var now = _row.ToArray();
            if (old is null) Emit(columns, kinds, now, RowKind.Insert);
            else if (old.AsSpan().SequenceEqual(now)) continue;
            else
            {
                Emit(columns, kinds, old, RowKind.UpdateBefore);
                Emit(columns, kinds, now, RowKind.UpdateAfter);
            }
            _touched[key] = now;
        }
        foreach (var (key, row) in _touched)
        {
            var stateKey = StateKey(key);
            if (row is null) _state.Session.Delete(stateKey);
            else _state.Session.Upsert(stateKey, row);
        }
        _touched.Clear();
        if (kinds.Count > 0) _output.Push(new ChangeBatch(new ColumnBatch(columns, kinds.Count), [.. kinds]));
    }

    /// <summary>The key's current row: changed earlier in this batch, else from the state store; null when absent.</summary>
    private byte[]? Current(byte[] key)
    {
        if (_touched.TryGetValue(key, out var row)) return row;
        return _state.Session.TryRead(StateKey(key), out ReadOnlySpan<byte> found) ? found.ToArray() : null;
    }

    private byte[] StateKey(byte[] key)
    {
        var w = _state.BeginKey(RowSpace);
        w.WriteBytes(key);
        return w.ToArray();
    }

    private static void Emit(ColumnVector[] columns, List<sbyte> kinds, byte[] row, RowKind kind)
    {
        var reader = new ByteReader(row, "upsert normalize state");
        RowCodec.ReadInto(ref reader, columns);
        kinds.Add((sbyte)kind);
    }

    public void Watermark(long watermark) => _output.Watermark(watermark);

    public void Flush() => _output.Flush();

    public void Finish() => _output.Finish();
}
