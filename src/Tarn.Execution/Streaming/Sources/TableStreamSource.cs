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
public sealed class TableStreamSource : IStreamSource
{
    private readonly StorageEngine _engine;
    private readonly long _tableId;
    private readonly IReadOnlyList<int> _columnIds;
    private StreamingReader _reader;
    private StreamBatch? _pending;
    private long _polledAtSeq = -1;

    public TableStreamSource(StorageEngine engine, long tableId, IReadOnlyList<int> columnIds, IReadOnlyList<DataType> types, StreamStart start)
    {
        _engine = engine;
        _tableId = tableId;
        _columnIds = columnIds;
        OutputTypes = types;
        _reader = new StreamingReader(engine, tableId, start, columnIds);
    }

    public long TableId => _tableId;

    public IReadOnlyList<DataType> OutputTypes { get; }

    public bool IsFinished => false;

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
        return new ChangeBatch(new ColumnBatch(user, rows.RowCount), batch.Kinds);
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
        var r = new ByteReader(position, "stream source position");
        var offsets = new long[r.ReadCount(1 << 16)];
        for (var i = 0; i < offsets.Length; i++) offsets[i] = (long)r.ReadVarUInt();
        _pending = null;
        _reader = new StreamingReader(_engine, _tableId, StreamStart.AtOffsets(offsets), _columnIds);
    }

    public void Dispose() { }
}
