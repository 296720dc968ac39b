using System.Buffers.Binary;
using K4os.Compression.LZ4;
using Tarn.Checksums;
using Tarn.Storage.Encodings;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Segments;

/// <summary>
/// Builds a segment image (storage-spec/03-segment-file.md). Rows are buffered one row group at a time and the
/// row group is encoded as soon as it is full, so memory stays bounded by one row group plus the encoded image.
/// Not thread-safe.
/// </summary>
public sealed class SegmentBuilder
{
    /// <summary>String columns are copied in slices this small so a row group can close before its data gets huge.</summary>
    private const int BinarySliceRows = 4096;

    private readonly Schema _schema;
    private readonly SegmentWriterOptions _options;
    private readonly ColumnAccumulator[] _columns;
    private readonly SegmentStatsMerger[] _merged;
    private readonly ChunkPayloadEncoder _encoder = new();
    private readonly EncodeBuffer _image;
    private readonly EncodeBuffer _payload = new(64 << 10);
    private readonly List<RowGroupInfo> _rowGroups = [];
    private readonly bool _hasBinary;
    private byte[] _compressed = [];
    private int _buffered;
    private bool _finished;

    public SegmentBuilder(Schema schema, SegmentWriterOptions? options = null)
    {
        _schema = schema;
        _options = options ?? SegmentWriterOptions.Default;
        if (_options.RowGroupRows is < 1 or > SegmentFormat.MaxRowGroupRows)
            throw new TarnException(SqlStates.InvalidParameterValue, $"row group size must be between 1 and {SegmentFormat.MaxRowGroupRows}, not {_options.RowGroupRows}");
        _columns = new ColumnAccumulator[schema.Count];
        _merged = new SegmentStatsMerger[schema.Count];
        for (var c = 0; c < schema.Count; c++)
        {
            _columns[c] = ColumnAccumulator.Create(schema[c], _options.RowGroupRows);
            _merged[c] = new SegmentStatsMerger(schema[c].Type.Physical);
            _hasBinary |= schema[c].Type.Physical == PhysicalType.Binary;
        }
        _image = new EncodeBuffer(4096, pooled: false);
        WriteHeader();
    }

    /// <summary>Rows appended so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Appends all rows of <paramref name="batch"/> (columns in schema order; may be dictionary vectors).</summary>
    public void Append(ColumnBatch batch)
    {
        CheckBatch(batch);
        var done = 0;
        while (done < batch.RowCount)
        {
            var count = Math.Min(batch.RowCount - done, Room);
            if (_hasBinary) count = Math.Min(count, BinarySliceRows);
            for (var c = 0; c < _columns.Length; c++) _columns[c].Append(batch.Columns[c], done, count);
            done += count;
            Appended(count);
        }
    }

    /// <summary>Appends the rows of <paramref name="batch"/> listed in <paramref name="rows"/>, in that order.</summary>
    public void Append(ColumnBatch batch, ReadOnlySpan<int> rows)
    {
        CheckBatch(batch);
        foreach (var r in rows)
            if ((uint)r >= (uint)batch.RowCount) throw new ArgumentOutOfRangeException(nameof(rows), $"row {r} is outside the batch of {batch.RowCount} rows");
        var done = 0;
        while (done < rows.Length)
        {
            var count = Math.Min(rows.Length - done, Room);
            if (_hasBinary) count = Math.Min(count, BinarySliceRows);
            var slice = rows.Slice(done, count);
            for (var c = 0; c < _columns.Length; c++) _columns[c].Append(batch.Columns[c], slice);
            done += count;
            Appended(count);
        }
    }

    /// <summary>Rows the current row group can still take.</summary>
    private int Room => _options.RowGroupRows - _buffered;

    private void CheckBatch(ColumnBatch batch)
    {
        if (_finished) throw new InvalidOperationException("the segment is already finished");
        if (batch.ColumnCount != _schema.Count)
            throw new TarnException(SqlStates.DatatypeMismatch, $"batch has {batch.ColumnCount} columns, the segment schema {_schema.Count}");
        for (var c = 0; c < batch.ColumnCount; c++)
        {
            if (batch.Columns[c].Count < batch.RowCount)
                throw new ArgumentException($"column {c} holds {batch.Columns[c].Count} rows, the batch says {batch.RowCount}", nameof(batch));
        }
    }

    private void Appended(int count)
    {
        RowCount += count;
        _buffered += count;
        if (Room == 0 || (_hasBinary && BinaryBytesFull())) FlushRowGroup();
    }

    private bool BinaryBytesFull()
    {
        foreach (var c in _columns) if (c.DataBytes >= SegmentFormat.MaxRowGroupBinaryBytes) return true;
        return false;
    }

    private void FlushRowGroup()
    {
        var rows = _buffered;
        if (rows == 0) return;
        var firstRow = RowCount - rows;
        var chunks = new ChunkInfo[_columns.Length];
        for (var c = 0; c < _columns.Length; c++)
        {
            _encoder.Analyze(_columns[c].View(), rows);
            _payload.Clear();
            _encoder.Write(_payload);
            chunks[c] = WriteChunk(_encoder.Chosen, _encoder.Stats);
            _merged[c].Add(_encoder.Stats, rows, _encoder.Sketch);
            _columns[c].Reset();
        }
        _rowGroups.Add(new RowGroupInfo(rows, firstRow, chunks));
        _buffered = 0;
    }

    /// <summary>Writes chunk header + (maybe compressed) payload to the image and checksums it.</summary>
    private ChunkInfo WriteChunk(ChunkEncoding encoding, ColumnStats stats)
    {
        var payload = _payload.WrittenSpan;
        ReadOnlySpan<byte> stored = payload;
        var compressed = false;
        if (_options.Compress && payload.Length >= 64)
        {
            var max = LZ4Codec.MaximumOutputSize(payload.Length);
            if (_compressed.Length < max) _compressed = new byte[Math.Max(max, _compressed.Length * 2)];
            var n = LZ4Codec.Encode(payload, _compressed, LZ4Level.L00_FAST);
            if (n > 0 && n <= payload.Length - payload.Length / 8)
            {
                stored = _compressed.AsSpan(0, n);
                compressed = true;
            }
        }
        var offset = _image.Length;
        var length = SegmentFormat.ChunkHeaderSize + stored.Length;
        var chunk = _image.Reserve(length);
        chunk[SegmentFormat.ChunkEncodingOffset] = (byte)encoding;
        chunk[SegmentFormat.ChunkFlagsOffset] = compressed ? SegmentFormat.ChunkFlagCompressed : (byte)0;
        BinaryPrimitives.WriteUInt16LittleEndian(chunk[SegmentFormat.ChunkReservedOffset..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[SegmentFormat.ChunkDecodedLengthOffset..], (uint)payload.Length);
        stored.CopyTo(chunk[SegmentFormat.ChunkHeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk, Crc32C.Compute(chunk[4..]));
        return new ChunkInfo(offset, length, encoding, compressed, stats);
    }

    private void WriteHeader()
    {
        var header = _image.Reserve(SegmentFormat.HeaderSize);
        SegmentFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[SegmentFormat.HeaderMajorOffset..], SegmentFormat.MajorVersionFor(_schema));
        BinaryPrimitives.WriteUInt16LittleEndian(header[SegmentFormat.HeaderMinorOffset..], SegmentFormat.MinorVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SegmentFormat.HeaderFlagsOffset..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SegmentFormat.HeaderCrcOffset..], Crc32C.Compute(header[..SegmentFormat.HeaderCrcOffset]));
    }

    /// <summary>Encodes the last row group and appends footer and trailer. The builder cannot be used afterwards.</summary>
    public SegmentImage Finish()
    {
        if (_finished) throw new InvalidOperationException("the segment is already finished");
        FlushRowGroup();
        _finished = true;
        _payload.Dispose();
        ColumnStats[]? segmentStats = null;
        if (_rowGroups.Count > 1)
        {
            segmentStats = new ColumnStats[_merged.Length];
            for (var c = 0; c < _merged.Length; c++) segmentStats[c] = _merged[c].Result();
        }
        var footerOffset = _image.Length;
        FooterCodec.Write(_image, _schema, RowCount, _rowGroups, segmentStats);
        var footerLength = _image.Length - footerOffset;
        var trailer = _image.Reserve(SegmentFormat.TrailerSize);
        BinaryPrimitives.WriteUInt64LittleEndian(trailer[SegmentFormat.TrailerFooterOffset..], (ulong)footerOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[SegmentFormat.TrailerFooterLength..], (uint)footerLength);
        BinaryPrimitives.WriteUInt16LittleEndian(trailer[SegmentFormat.TrailerMajorOffset..], SegmentFormat.MajorVersionFor(_schema));
        BinaryPrimitives.WriteUInt16LittleEndian(trailer[SegmentFormat.TrailerMinorOffset..], SegmentFormat.MinorVersion);
        SegmentFormat.Magic.CopyTo(trailer[SegmentFormat.TrailerMagicOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[SegmentFormat.TrailerCrcOffset..], Crc32C.Compute(trailer[..SegmentFormat.TrailerCrcOffset]));
        var footer = new SegmentFooter(_schema, RowCount, _rowGroups.ToArray(), segmentStats);
        // Small images (log records) get an exact-size copy; big ones keep the buffer to avoid copying megabytes.
        ReadOnlyMemory<byte> bytes = _image.Length <= (1 << 20) ? _image.ToArray() : _image.RawBuffer.AsMemory(0, _image.Length);
        return new SegmentImage(bytes, footer);
    }
}
