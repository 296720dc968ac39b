using Tarn.Storage.Engine;
using Tarn.Storage.Format;
using Tarn.Storage.Scans;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Sources;

/// <summary>
/// A native table followed as a log: every committed row once, in offset order per bucket, with its change kind
/// (primary-key tables carry +I/-U/+U/-D). The position is the next offset of every bucket.
/// </summary>
public sealed class TableStreamSource : IStreamSource, IReplayableSource
{
    private readonly StorageEngine _engine;
    private readonly long _tableId;
    private readonly IReadOnlyList<int> _columnIds;
    private StreamingReader _reader;
    private StreamBatch? _pending;
    private long _polledAtSeq = -1;

    private readonly long[]? _end;

    /// <param name="bounded">
    /// Read only the rows committed when the source is created, then finish (Flink's bounded 'values' test source; a
    /// native table is otherwise followed forever).
    /// </param>
    public TableStreamSource(StorageEngine engine, long tableId, IReadOnlyList<int> columnIds, IReadOnlyList<DataType> types, StreamStart start, bool bounded = false)
    {
        _engine = engine;
        _tableId = tableId;
        _columnIds = columnIds;
        OutputTypes = types;
        _reader = new StreamingReader(engine, tableId, start, columnIds);
        if (bounded) _end = (engine.GetTable(tableId) ?? throw new TarnException(SqlStates.UndefinedTable, "the table was dropped")).NextOffsets.ToArray();
    }

    public long TableId => _tableId;

    public IReadOnlyList<DataType> OutputTypes { get; }

    public bool IsFinished
    {
        get
        {
            if (_end is null || _pending is not null) return false;
            var positions = _reader.Positions;
            for (var b = 0; b < _end.Length; b++) if (positions[b] < _end[b]) return false;
            return true;
        }
    }

    /// <summary>The next offset per bucket.</summary>
    public IReadOnlyList<long> Positions => _reader.Positions;

    public ChangeBatch? Poll(int maxRows)
    {
        _polledAtSeq = _engine.Current.Seq;
        var batch = _pending ?? _reader.TryRead();
        _pending = null;
        if (batch is null) return null;
        var rows = batch.Rows;
        var user = new ColumnVector[_columnIds.Count];
        Array.Copy(rows.Columns, user, user.Length);
        var result = new ChangeBatch(new ColumnBatch(user, rows.RowCount), batch.Kinds);
        if (_end is null) return result;
        // Bounded: keep only rows below the end offsets captured at the start ($offset follows the user columns).
        var offsets = (PrimitiveVector<long>)rows.Columns[_columnIds.Count];
        var keep = new List<int>(rows.RowCount);
        for (var r = 0; r < rows.RowCount; r++) if (offsets.Values[r] < _end[batch.Bucket]) keep.Add(r);
        return keep.Count == rows.RowCount ? result : keep.Count == 0 ? null : result.Gather(keep.ToArray());
    }

    /// <summary>
    /// Returns when this table has rows, or at the next commit to ANY table: the job then polls again and records
    /// that it is idle at the newer storage sequence, which WaitForJobsAsync needs when other jobs commit.
    /// </summary>
    public async ValueTask WaitForDataAsync(CancellationToken cancellation)
    {
        if (_pending is not null) return;
        var next = _engine.NextCommitAsync(); // taken before looking, so a commit in between is not missed
        if (_engine.Current.Seq != _polledAtSeq) return;
        _pending = _reader.TryRead();
        if (_pending is not null) return;
        await next.WaitAsync(cancellation).ConfigureAwait(false);
    }

    public byte[] SavePosition()
    {
        var w = new ByteWriter(32);
        var positions = _reader.Positions;
        w.WriteVarUInt((ulong)positions.Count);
        foreach (var p in positions) w.WriteVarUInt((ulong)p);
        return w.ToArray();
    }

    public void RestorePosition(ReadOnlySpan<byte> position)
    {
        var offsets = DecodePosition(position);
        _pending = null;
        _reader = new StreamingReader(_engine, _tableId, StreamStart.AtOffsets(offsets), _columnIds);
    }

    public void ReplayUntil(ReadOnlySpan<byte> end)
    {
        _pending = null;
        _reader.LimitTo(DecodePosition(end));
    }

    public void EndReplay() => _reader.LimitTo(null);

    /// <summary>A position (as <see cref="SavePosition"/> writes it) at these next offsets per bucket, e.g. a table's committed end for <see cref="ReplayUntil"/>.</summary>
    public static byte[] EncodePosition(IReadOnlyList<long> offsets)
    {
        var w = new ByteWriter(32);
        w.WriteVarUInt((ulong)offsets.Count);
        foreach (var p in offsets) w.WriteVarUInt((ulong)p);
        return w.ToArray();
    }

    /// <summary>The next offset per bucket that <paramref name="position"/> (from <see cref="SavePosition"/>) holds.</summary>
    public static long[] DecodePosition(ReadOnlySpan<byte> position)
    {
        var r = new ByteReader(position, "stream source position");
        var offsets = new long[r.ReadCount(1 << 16)];
        for (var i = 0; i < offsets.Length; i++) offsets[i] = (long)r.ReadVarUInt();
        return offsets;
    }

    public void Dispose() { }
}
