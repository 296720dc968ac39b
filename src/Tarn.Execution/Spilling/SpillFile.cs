using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Tarn.Checksums;
using Tarn.Execution.Vectors;
using Tarn.Storage.IO;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Spilling;

/// <summary>
/// A temporary file of column batches written by a spilling operator and read back once or more, front to back.
/// Each batch is one block: <c>int32 payload length, uint32 CRC-32C of the payload, payload</c>; the payload is
/// <c>int32 rows, int32 columns</c>, then per column <c>byte kind (0 fixed-width, 1 bytes), byte has-nulls,
/// [rows null flags], values</c> (fixed: rows × width little-endian; bytes: rows+1 int32 offsets from 0, then the
/// data). The reader knows the column types; any mismatch or checksum failure is XX001. The file is created with
/// delete-on-close and is also deleted by <see cref="Dispose"/>; leftovers of a crashed process are removed when the
/// database is opened.
/// </summary>
public sealed class SpillFile : IDisposable
{
    private const int HeaderBytes = 8;
    private const int MaxBlockBytes = 1 << 30;

    private readonly FileStream _stream;
    private readonly DataType[] _types;
    private byte[] _buffer = new byte[4096];
    private bool _reading;

    public SpillFile(string directory, IReadOnlyList<DataType> types)
    {
        _types = [.. types];
        Path = System.IO.Path.Combine(directory, $"spill-{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
        }
        catch (Exception e)
        {
            throw StorageErrors.Wrap(e, Path, "create a spill file");
        }
    }

    public string Path { get; }

    public IReadOnlyList<DataType> Types => _types;

    public long RowCount { get; private set; }

    public long ByteCount { get; private set; }

    /// <summary>Appends a batch (rows [0, RowCount) of its first <see cref="Types"/>.Count columns). Not after reading started.</summary>
    public void Write(ColumnBatch batch)
    {
        if (_reading) throw new InvalidOperationException("the spill file is being read");
        if (batch.RowCount == 0) return;
        if (EncodedSize(batch) > MaxBlockBytes)
        {
            // a batch of more than 1 GB (very long strings): smaller blocks
            var half = batch.RowCount / 2;
            if (half == 0) throw new TarnException(SqlStates.OutOfMemory, "a single row is too large to spill");
            Write(batch.Slice(0, half));
            Write(batch.Slice(half, batch.RowCount - half));
            return;
        }
        var length = Encode(batch);
        try
        {
            _stream.Write(_buffer, 0, length);
        }
        catch (Exception e)
        {
            throw StorageErrors.Wrap(e, Path, "write a spill file");
        }
        RowCount += batch.RowCount;
        ByteCount += length;
    }

    /// <summary>The batches in the order written. Each enumeration starts from the front; one at a time.</summary>
    public IEnumerable<ColumnBatch> Read()
    {
        _reading = true;
        try
        {
            _stream.Flush();
        }
        catch (Exception e)
        {
            throw StorageErrors.Wrap(e, Path, "write a spill file");
        }
        long position = 0;
        var header = new byte[HeaderBytes];
        while (position < ByteCount)
        {
            ReadExactly(position, header, HeaderBytes);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (length < 8 || length > MaxBlockBytes || position + HeaderBytes + length > ByteCount) throw Corrupt("bad block length");
            var payload = new byte[length];
            ReadExactly(position + HeaderBytes, payload, length);
            if (Crc32C.Compute(payload) != crc) throw Corrupt("checksum mismatch");
            position += HeaderBytes + length;
            yield return Decode(payload);
        }
    }

    private void ReadExactly(long position, byte[] target, int count)
    {
        try
        {
            _stream.Position = position;
            _stream.ReadExactly(target, 0, count);
        }
        catch (EndOfStreamException)
        {
            throw Corrupt("the file is truncated");
        }
        catch (Exception e) when (e is not TarnException)
        {
            throw StorageErrors.Wrap(e, Path, "read a spill file");
        }
    }

    private TarnException Corrupt(string why) =>
        new(SqlStates.DataCorrupted, $"spill file '{Path}' is corrupt ({why}); the query was stopped") { FilePath = Path };

    private long EncodedSize(ColumnBatch batch)
    {
        var n = batch.RowCount;
        long size = HeaderBytes + 8;
        for (var c = 0; c < _types.Length; c++)
        {
            var v = batch.Columns[c];
            size += 2 + (v.Nulls is null ? 0 : n);
            size += _types[c].Physical == PhysicalType.Binary ? 4L * (n + 1) + DataBytes(v, n) : (long)n * Width(_types[c]);
        }
        return size;
    }

    private int Encode(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var size = EncodedSize(batch);
        if (_buffer.Length < size) _buffer = new byte[Math.Max(size, _buffer.Length * 2L)];
        var span = _buffer.AsSpan(0, (int)size);
        var at = HeaderBytes;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], n);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 4)..], _types.Length);
        at += 8;
        for (var c = 0; c < _types.Length; c++)
        {
            var v = batch.Columns[c];
            var binary = _types[c].Physical == PhysicalType.Binary;
            span[at++] = binary ? (byte)1 : (byte)0;
            var nulls = NullMask.Any(v.Nulls, n) ? v.Nulls : null;
            span[at++] = nulls is null ? (byte)0 : (byte)1;
            if (nulls is not null)
            {
                nulls.AsSpan(0, n).CopyTo(span[at..]);
                at += n;
            }
            if (binary) at = WriteBinary(v, n, span, at);
            else at = WriteFixed(v, n, span, at);
        }
        // the null masks are optional per column, so the computed size is an upper bound
        BinaryPrimitives.WriteInt32LittleEndian(span, at - HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Crc32C.Compute(span[HeaderBytes..at]));
        return at;
    }

    private static long DataBytes(ColumnVector v, int n)
    {
        var view = new StringView(v);
        long total = 0;
        for (var i = 0; i < n; i++)
            if (!view.IsNull(i)) total += view.Length(i);
        return total;
    }

    private static int WriteBinary(ColumnVector v, int n, Span<byte> span, int at)
    {
        var view = new StringView(v);
        var offsetsAt = at;
        var dataAt = at + 4 * (n + 1);
        var offset = 0;
        BinaryPrimitives.WriteInt32LittleEndian(span[offsetsAt..], 0);
        for (var i = 0; i < n; i++)
        {
            if (!view.IsNull(i))
            {
                var s = view.Get(i);
                s.CopyTo(span[(dataAt + offset)..]);
                offset += s.Length;
            }
            BinaryPrimitives.WriteInt32LittleEndian(span[(offsetsAt + 4 * (i + 1))..], offset);
        }
        return dataAt + offset;
    }

    private static int WriteFixed(ColumnVector v, int n, Span<byte> span, int at)
    {
        ReadOnlySpan<byte> bytes = v switch
        {
            PrimitiveVector<bool> x => MemoryMarshal.AsBytes(x.Values.AsSpan(0, n)),
            PrimitiveVector<sbyte> x => MemoryMarshal.AsBytes(x.Values.AsSpan(0, n)),
            PrimitiveVector<short> x => MemoryMarshal.AsBytes(x.Values.AsSpan(0, n)),
            PrimitiveVector<int> x => MemoryMarshal.AsBytes(x.Values.AsSpan(0, n)),
            PrimitiveVector<long> x => MemoryMarshal.AsBytes(x.Values.AsSpan(0, n)),
            PrimitiveVector<Int128> x => MemoryMarshal.AsBytes(x.Values.AsSpan(0, n)),
            PrimitiveVector<float> x => MemoryMarshal.AsBytes(x.Values.AsSpan(0, n)),
            PrimitiveVector<double> x => MemoryMarshal.AsBytes(x.Values.AsSpan(0, n)),
            _ => throw new InvalidOperationException($"cannot spill {v.GetType().Name}"),
        };
        bytes.CopyTo(span[at..]);
        return at + bytes.Length;
    }

    private static int Width(DataType type) => type.Physical switch
    {
        PhysicalType.Bool or PhysicalType.Int8 => 1,
        PhysicalType.Int16 => 2,
        PhysicalType.Int32 or PhysicalType.Float32 => 4,
        PhysicalType.Int128 => 16,
        _ => 8,
    };

    private ColumnBatch Decode(byte[] payload)
    {
        var span = (ReadOnlySpan<byte>)payload;
        var n = BinaryPrimitives.ReadInt32LittleEndian(span);
        var columns = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        if (n <= 0 || columns != _types.Length) throw Corrupt("bad batch header");
        var at = 8;
        var result = new ColumnVector[columns];
        for (var c = 0; c < columns; c++)
        {
            var type = _types[c];
            var binary = type.Physical == PhysicalType.Binary;
            if (at + 2 > span.Length || span[at] != (binary ? 1 : 0) || span[at + 1] > 1) throw Corrupt("bad column header");
            var hasNulls = span[at + 1] == 1;
            at += 2;
            byte[]? nulls = null;
            if (hasNulls)
            {
                if (at + n > span.Length) throw Corrupt("bad null mask");
                nulls = span.Slice(at, n).ToArray();
                at += n;
            }
            result[c] = binary ? ReadBinary(type, span, ref at, n, nulls) : ReadFixed(type, span, ref at, n, nulls);
        }
        if (at != span.Length) throw Corrupt("trailing bytes");
        return new ColumnBatch(result, n);
    }

    private BinaryVector ReadBinary(DataType type, ReadOnlySpan<byte> span, ref int at, int n, byte[]? nulls)
    {
        if ((long)at + 4L * (n + 1) > span.Length) throw Corrupt("bad offsets");
        var offsets = new int[n + 1];
        MemoryMarshal.Cast<byte, int>(span.Slice(at, 4 * (n + 1))).CopyTo(offsets);
        if (!BitConverter.IsLittleEndian)
            for (var i = 0; i < offsets.Length; i++) offsets[i] = BinaryPrimitives.ReverseEndianness(offsets[i]);
        at += 4 * (n + 1);
        if (offsets[0] != 0) throw Corrupt("bad offsets");
        for (var i = 0; i < n; i++)
            if (offsets[i + 1] < offsets[i]) throw Corrupt("bad offsets");
        var length = offsets[n];
        if ((long)at + length > span.Length) throw Corrupt("bad data length");
        var data = span.Slice(at, length).ToArray();
        at += length;
        return new BinaryVector(type, offsets, data.Length == 0 ? new byte[1] : data, n, nulls);
    }

    private ColumnVector ReadFixed(DataType type, ReadOnlySpan<byte> span, ref int at, int n, byte[]? nulls)
    {
        var bytes = (long)n * Width(type);
        if (at + bytes > span.Length) throw Corrupt("bad values");
        var source = span.Slice(at, (int)bytes);
        at += (int)bytes;
        return type.Physical switch
        {
            PhysicalType.Bool => Fixed<bool>(type, source, n, nulls),
            PhysicalType.Int8 => Fixed<sbyte>(type, source, n, nulls),
            PhysicalType.Int16 => Fixed<short>(type, source, n, nulls),
            PhysicalType.Int32 => Fixed<int>(type, source, n, nulls),
            PhysicalType.Int64 => Fixed<long>(type, source, n, nulls),
            PhysicalType.Int128 => Fixed<Int128>(type, source, n, nulls),
            PhysicalType.Float32 => Fixed<float>(type, source, n, nulls),
            _ => Fixed<double>(type, source, n, nulls),
        };
    }

    private static PrimitiveVector<T> Fixed<T>(DataType type, ReadOnlySpan<byte> source, int n, byte[]? nulls) where T : unmanaged
    {
        var values = new T[n];
        source.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        if (typeof(T) == typeof(bool))
        {
            // a bool must be 0 or 1 for the runtime; normalize whatever bytes were read
            var b = MemoryMarshal.AsBytes(values.AsSpan());
            for (var i = 0; i < b.Length; i++) b[i] = b[i] != 0 ? (byte)1 : (byte)0;
        }
        return new PrimitiveVector<T>(type, values, n, nulls);
    }

    public void Dispose()
    {
        _stream.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // deleted on close already, or removed when the database is next opened
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
