using System.Numerics;
using System.Text;
using Parquet;
using Parquet.Data;
using Parquet.Schema;
using Tarn.Connectors.Formats;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Writes column batches as a Parquet file: rows are buffered per column (copied out of the batches, which the
/// caller may reuse) until about <see cref="ParquetFormatOptions.BlockSize"/> bytes of values or 122,880 rows, then
/// written as one row group compressed with <see cref="ParquetFormatOptions.Compression"/>.
/// </summary>
internal sealed class ParquetFileWriter : IFileFormatWriter
{
    /// <summary>DuckDB's row group size: bounds the rows buffered per open file (one per partition an INSERT writes) and per row group a reader holds.</summary>
    private const int MaxRowGroupRows = 122_880;

    private readonly Stream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly ColumnBuffer[] _columns;
    private readonly long _blockSize;
    private int _buffered;
    private bool _finished;

    public ParquetFileWriter(Stream stream, IReadOnlyList<string> names, IReadOnlyList<DataType> types, ParquetFormatOptions options, string owner)
    {
        _stream = stream;
        _blockSize = options.BlockSize;
        _fields = new DataField[names.Count];
        _columns = new ColumnBuffer[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            _fields[i] = ParquetSchemaMapping.ToField(names[i], types[i], owner);
            _columns[i] = ColumnBuffer.For(types[i]);
        }
        var parquetOptions = new ParquetOptions { CompressionMethod = options.Compression };
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(_fields), stream, parquetOptions).GetAwaiter().GetResult();
    }

    public long Rows { get; private set; }

    public long BytesWritten => _stream.Position;

    public void Write(ColumnBatch batch)
    {
        var offset = 0;
        while (offset < batch.RowCount)
        {
            var take = Math.Min(batch.RowCount - offset, MaxRowGroupRows - _buffered);
            long bytes = 0;
            for (var c = 0; c < _columns.Length; c++)
            {
                _columns[c].Append(batch.Columns[c], offset, take);
                bytes += _columns[c].Bytes;
            }
            _buffered += take;
            Rows += take;
            offset += take;
            if (_buffered >= MaxRowGroupRows || bytes >= _blockSize) FlushRowGroup();
        }
    }

    private void FlushRowGroup()
    {
        if (_buffered == 0) return;
        using (var group = _writer.CreateRowGroup())
        {
            for (var c = 0; c < _columns.Length; c++) _columns[c].WriteAsync(group, _fields[c]).GetAwaiter().GetResult();
            group.CompleteValidate();
        }
        foreach (var column in _columns) column.Clear();
        _buffered = 0;
    }

    public void Finish()
    {
        FlushRowGroup();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _finished = true;
        _stream.Flush();
        if (_stream is FileStream file) file.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        if (!_finished)
        {
            try { _writer.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
            catch (IOException) { } // an abandoned file is deleted anyway
            catch (InvalidOperationException) { }
        }
        _stream.Dispose();
    }

    /// <summary>One column's values of the row group being built, in the CLR form Parquet.Net writes.</summary>
    private abstract class ColumnBuffer
    {
        public long Bytes { get; protected set; }

        public abstract void Append(ColumnVector column, int offset, int count);

        public abstract Task WriteAsync(ParquetRowGroupWriter group, DataField field);

        public abstract void Clear();

        public static ColumnBuffer For(DataType type) => type.Kind switch
        {
            TypeKind.Boolean => new Values<bool, bool, Same<bool>>(type, 1),
            TypeKind.TinyInt => new Values<sbyte, sbyte, Same<sbyte>>(type, 1),
            TypeKind.SmallInt => new Values<short, short, Same<short>>(type, 2),
            TypeKind.Int => new Values<int, int, Same<int>>(type, 4),
            TypeKind.BigInt => new Values<long, long, Same<long>>(type, 8),
            TypeKind.Float => new Values<float, float, Same<float>>(type, 4),
            TypeKind.Double => new Values<double, double, Same<double>>(type, 8),
            TypeKind.Decimal when type.Precision <= 18 => new Values<long, decimal, NarrowDecimal>(type, 16),
            TypeKind.Decimal => new Values<Int128, BigDecimal, WideDecimal>(type, 16),
            TypeKind.Date => new Values<int, DateOnly, Date>(type, 4),
            TypeKind.Time => new Values<long, long, TimeMicros>(type, 8),
            TypeKind.Timestamp => new Values<long, DateTime, Timestamp>(type, 8),
            TypeKind.TimestampLtz => new Values<long, DateTime, Instant>(type, 8),
            TypeKind.Char or TypeKind.Varchar => new Strings(),
            _ => new ByteArrays(),
        };
    }

    /// <summary>A Tarn value in physical form as the CLR value Parquet.Net writes (a static member, so loops inline it).</summary>
    private interface IConvert<TIn, TOut>
    {
        static abstract TOut Convert(TIn value, DataType type);
    }

    private readonly struct Same<T> : IConvert<T, T>
    {
        public static T Convert(T value, DataType type) => value;
    }

    private readonly struct NarrowDecimal : IConvert<long, decimal>
    {
        public static decimal Convert(long value, DataType type) => ToDecimal(value, type);
    }

    /// <summary>DECIMAL(p &gt; 18): written from the exact unscaled value, any of its 38 digits.</summary>
    private readonly struct WideDecimal : IConvert<Int128, BigDecimal>
    {
        public static BigDecimal Convert(Int128 value, DataType type) => new((BigInteger)value, type.Precision, type.Scale);
    }

    private readonly struct Date : IConvert<int, DateOnly>
    {
        public static DateOnly Convert(int value, DataType type) => ValueConverter.EpochDate.AddDays(value);
    }

    /// <summary>TIME(MICROS) columns take the microseconds of the day.</summary>
    private readonly struct TimeMicros : IConvert<long, long>
    {
        public static long Convert(long value, DataType type) => type.Precision > 6 ? value / 1000 : value;
    }

    private readonly struct Timestamp : IConvert<long, DateTime>
    {
        public static DateTime Convert(long value, DataType type) => ValueConverter.TimestampToDateTime(value, type);
    }

    private readonly struct Instant : IConvert<long, DateTime>
    {
        public static DateTime Convert(long value, DataType type) => DateTime.SpecifyKind(ValueConverter.TimestampToDateTime(value, type), DateTimeKind.Utc);
    }

    /// <summary>An unscaled DECIMAL(p ≤ 18) value (|v| &lt; 10^18) as a System.Decimal with the column's scale.</summary>
    private static decimal ToDecimal(long unscaled, DataType type)
    {
        var magnitude = unscaled < 0 ? (ulong)-unscaled : (ulong)unscaled;
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, unscaled < 0, (byte)type.Scale);
    }

    private sealed class Values<TIn, TOut, TConvert>(DataType type, int width) : ColumnBuffer
        where TIn : unmanaged where TOut : struct where TConvert : IConvert<TIn, TOut>
    {
        private TOut?[] _values = new TOut?[1024];
        private int _count;

        public override void Append(ColumnVector column, int offset, int count)
        {
            if (_count + count > _values.Length) Array.Resize(ref _values, Math.Max(_count + count, _values.Length * 2));
            var source = ((PrimitiveVector<TIn>)column).Values;
            var target = _values;
            var at = _count;
            if (column.Nulls is { } nulls)
                for (var r = offset; r < offset + count; r++) target[at++] = nulls[r] != 0 ? null : TConvert.Convert(source[r], type);
            else
                for (var r = offset; r < offset + count; r++) target[at++] = TConvert.Convert(source[r], type);
            _count = at;
            Bytes += (long)count * width;
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, DataField field) =>
            group.WriteAsync<TOut>(field, new ReadOnlyMemory<TOut?>(_values, 0, _count));

        public override void Clear()
        {
            _count = 0;
            Bytes = 0;
        }
    }

    /// <summary>
    /// Strings as the UTF-16 slices Parquet.Net encodes (its string field's CLR type is ReadOnlyMemory&lt;char&gt;):
    /// decoded into shared character chunks rather than one .NET string per value, and a dictionary-encoded vector's
    /// entries decoded once per dictionary.
    /// </summary>
    private sealed class Strings : ColumnBuffer
    {
        private const int ChunkChars = 1 << 16;

        private ReadOnlyMemory<char>?[] _values = new ReadOnlyMemory<char>?[1024];
        private int _count;
        private char[] _chunk = new char[ChunkChars];
        private int _chunkUsed;
        private BinaryVector? _dictionary;
        private char[] _dictionaryChars = [];
        private int[] _dictionaryLengths = [];

        public override void Append(ColumnVector column, int offset, int count)
        {
            if (_count + count > _values.Length) Array.Resize(ref _values, Math.Max(_count + count, _values.Length * 2));
            var target = _values;
            var at = _count;
            long bytes = 0;
            if (column is DictionaryVector dictionary)
            {
                var codes = dictionary.Codes;
                for (var r = offset; r < offset + count; r++)
                {
                    if (dictionary.IsNull(r)) { target[at++] = null; continue; }
                    var code = codes[r];
                    target[at++] = Entry(dictionary.Dictionary, code);
                    bytes += dictionary.Dictionary.Offsets[code + 1] - dictionary.Dictionary.Offsets[code] + 4;
                }
            }
            else
            {
                for (var r = offset; r < offset + count; r++)
                {
                    if (column.IsNull(r)) { target[at++] = null; continue; }
                    var utf8 = EncodedValues.Bytes(column, r);
                    target[at++] = Decode(utf8);
                    bytes += utf8.Length + 4;
                }
            }
            _count = at;
            Bytes += bytes;
        }

        /// <summary>A value's characters in the current chunk (UTF-16 never takes more chars than UTF-8 takes bytes); a full chunk is left to the slices that point into it.</summary>
        private ReadOnlyMemory<char> Decode(ReadOnlySpan<byte> utf8)
        {
            if (_chunkUsed + utf8.Length > _chunk.Length)
            {
                _chunk = new char[Math.Max(ChunkChars, utf8.Length)];
                _chunkUsed = 0;
            }
            var length = Encoding.UTF8.GetChars(utf8, _chunk.AsSpan(_chunkUsed));
            var value = new ReadOnlyMemory<char>(_chunk, _chunkUsed, length);
            _chunkUsed += length;
            return value;
        }

        /// <summary>A dictionary entry's characters, decoded on first use at its byte offset in a buffer owned by this dictionary.</summary>
        private ReadOnlyMemory<char> Entry(BinaryVector dictionary, int code)
        {
            if (!ReferenceEquals(dictionary, _dictionary))
            {
                _dictionary = dictionary;
                _dictionaryChars = new char[Math.Max(dictionary.DataLength, 1)];
                _dictionaryLengths = new int[Math.Max(dictionary.Count, 1)];
                _dictionaryLengths.AsSpan().Fill(-1);
            }
            var start = dictionary.Offsets[code];
            var length = _dictionaryLengths[code];
            if (length < 0)
                _dictionaryLengths[code] = length = Encoding.UTF8.GetChars(dictionary.GetBytes(code), _dictionaryChars.AsSpan(start));
            return new ReadOnlyMemory<char>(_dictionaryChars, start, length);
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, DataField field) =>
            group.WriteAsync<ReadOnlyMemory<char>>(field, new ReadOnlyMemory<ReadOnlyMemory<char>?>(_values, 0, _count));

        public override void Clear()
        {
            // the row group is written: its values (and the chunk they point into) may be overwritten
            Array.Clear(_values, 0, _count);
            _count = 0;
            _chunkUsed = 0;
            Bytes = 0;
        }
    }

    private sealed class ByteArrays : ColumnBuffer
    {
        private readonly List<byte[]?> _values = [];

        public override void Append(ColumnVector column, int offset, int count)
        {
            for (var r = offset; r < offset + count; r++)
            {
                if (column.IsNull(r)) { _values.Add(null); continue; }
                var bytes = EncodedValues.Bytes(column, r).ToArray();
                _values.Add(bytes);
                Bytes += bytes.Length + 4;
            }
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, DataField field) => group.WriteAsync(field, _values!);

        public override void Clear()
        {
            _values.Clear();
            Bytes = 0;
        }
    }
}
