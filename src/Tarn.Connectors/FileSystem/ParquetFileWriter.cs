using System.Text;
using Parquet;
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
            TypeKind.Boolean => new Values<bool>(type, static (c, r, _) => ((PrimitiveVector<bool>)c).Values[r], 1),
            TypeKind.TinyInt => new Values<sbyte>(type, static (c, r, _) => ((PrimitiveVector<sbyte>)c).Values[r], 1),
            TypeKind.SmallInt => new Values<short>(type, static (c, r, _) => ((PrimitiveVector<short>)c).Values[r], 2),
            TypeKind.Int => new Values<int>(type, static (c, r, _) => ((PrimitiveVector<int>)c).Values[r], 4),
            TypeKind.BigInt => new Values<long>(type, static (c, r, _) => ((PrimitiveVector<long>)c).Values[r], 8),
            TypeKind.Float => new Values<float>(type, static (c, r, _) => ((PrimitiveVector<float>)c).Values[r], 4),
            TypeKind.Double => new Values<double>(type, static (c, r, _) => ((PrimitiveVector<double>)c).Values[r], 8),
            TypeKind.Decimal => new Values<decimal>(type, static (c, r, t) => ToDecimal(EncodedValues.Unscaled(c, r), t), 16),
            TypeKind.Date => new Values<DateOnly>(type, static (c, r, _) => ValueConverter.EpochDate.AddDays(((PrimitiveVector<int>)c).Values[r]), 4),
            // TIME(MICROS) columns take the microseconds of the day
            TypeKind.Time => new Values<long>(type, static (c, r, t) => t.Precision > 6 ? ((PrimitiveVector<long>)c).Values[r] / 1000 : ((PrimitiveVector<long>)c).Values[r], 8),
            TypeKind.Timestamp => new Values<DateTime>(type, static (c, r, t) => ValueConverter.TimestampToDateTime(((PrimitiveVector<long>)c).Values[r], t), 8),
            TypeKind.TimestampLtz => new Values<DateTime>(type,
                static (c, r, t) => DateTime.SpecifyKind(ValueConverter.TimestampToDateTime(((PrimitiveVector<long>)c).Values[r], t), DateTimeKind.Utc), 8),
            TypeKind.Char or TypeKind.Varchar => new Strings(),
            _ => new ByteArrays(),
        };

        private static decimal ToDecimal(Int128 unscaled, DataType type) =>
            ValueConverter.DecimalToClr(unscaled, type.Scale) as decimal?
            ?? throw new TarnException(SqlStates.NumericValueOutOfRange, $"the parquet writer cannot hold DECIMAL value {ValueConverter.DecimalToString(unscaled, type.Scale)} (more than 28 digits)");
    }

    private sealed class Values<T>(DataType type, Func<ColumnVector, int, DataType, T> read, int width) : ColumnBuffer where T : struct
    {
        private T?[] _values = new T?[1024];
        private int _count;

        public override void Append(ColumnVector column, int offset, int count)
        {
            if (_count + count > _values.Length) Array.Resize(ref _values, Math.Max(_count + count, _values.Length * 2));
            for (var r = offset; r < offset + count; r++) _values[_count++] = column.IsNull(r) ? null : read(column, r, type);
            Bytes += (long)count * width;
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, DataField field) =>
            group.WriteAsync<T>(field, new ReadOnlyMemory<T?>(_values, 0, _count));

        public override void Clear()
        {
            _count = 0;
            Bytes = 0;
        }
    }

    private sealed class Strings : ColumnBuffer
    {
        private readonly List<string?> _values = [];

        public override void Append(ColumnVector column, int offset, int count)
        {
            for (var r = offset; r < offset + count; r++)
            {
                if (column.IsNull(r)) { _values.Add(null); continue; }
                var bytes = EncodedValues.Bytes(column, r);
                _values.Add(Encoding.UTF8.GetString(bytes));
                Bytes += bytes.Length + 4;
            }
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, DataField field) => group.WriteAsync(field, _values);

        public override void Clear()
        {
            _values.Clear();
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
