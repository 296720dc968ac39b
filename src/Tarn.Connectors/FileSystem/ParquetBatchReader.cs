using Parquet;
using Parquet.Schema;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Reads a Parquet file one row group at a time, only the columns the query needs (matched by name, ignoring case;
/// a column the file lacks reads as NULL), and hands the row group out in batches.
/// </summary>
internal sealed class ParquetBatchReader : IFileBatchReader
{
    private readonly Stream _stream;
    private readonly string _file;
    private readonly ParquetReader _reader;
    private readonly DataField?[] _fields;
    private readonly IReadOnlyList<DataType> _types;
    private readonly TimeZoneInfo _zone;
    private ColumnVector[]? _group;
    private int _groupRows;
    private int _groupOffset;
    private int _nextGroup;

    public ParquetBatchReader(Stream stream, string file, IReadOnlyList<string> names, IReadOnlyList<DataType> types, TimeZoneInfo zone)
    {
        _stream = stream;
        _file = file;
        _types = types;
        _zone = zone;
        try
        {
            _reader = ParquetReader.CreateAsync(stream, new ParquetOptions(), leaveStreamOpen: true).GetAwaiter().GetResult();
            if (HasWideDecimals(_reader.Schema, names))
            {
                // System.Decimal holds 28 digits: files with wider decimals are read as exact BigDecimals
                _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
                stream.Position = 0;
                _reader = ParquetReader.CreateAsync(stream, new ParquetOptions { UseBigDecimal = true }, leaveStreamOpen: true).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new TarnException(SqlStates.InvalidTextRepresentation, $"{file}: not a readable parquet file: {e.Message}", e) { FilePath = file };
        }
        _fields = new DataField?[names.Count];
        var top = _reader.Schema.Fields;
        for (var i = 0; i < names.Count; i++)
        {
            foreach (var field in top)
            {
                if (!string.Equals(field.Name, names[i], StringComparison.OrdinalIgnoreCase)) continue;
                _fields[i] = field as DataField ?? throw new TarnException(SqlStates.FeatureNotSupported,
                    $"{file}: parquet column '{field.Name}' is a nested {field.SchemaType}, which Tarn cannot read yet") { FilePath = file };
                break;
            }
        }
    }

    private static bool HasWideDecimals(ParquetSchema schema, IReadOnlyList<string> names)
    {
        foreach (var field in schema.Fields)
            if (field is DecimalDataField { Precision: > 28 } or BigDecimalDataField && names.Any(n => string.Equals(n, field.Name, StringComparison.OrdinalIgnoreCase))) return true;
        return false;
    }

    public ColumnBatch? ReadBatch(int maxRows)
    {
        while (_group is null || _groupOffset >= _groupRows)
        {
            if (_nextGroup >= _reader.RowGroupCount) return null;
            LoadGroup(_nextGroup++);
        }
        var take = Math.Min(maxRows, _groupRows - _groupOffset);
        var columns = new ColumnVector[_group.Length];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = _groupOffset == 0 && take == _groupRows ? _group[i] : _group[i].Slice(_groupOffset, take);
        _groupOffset += take;
        return new ColumnBatch(columns, take);
    }

    private void LoadGroup(int index)
    {
        using var group = _reader.OpenRowGroupReader(index);
        var rows = checked((int)group.RowCount);
        var columns = new ColumnVector[_fields.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            if (_fields[i] is { } field)
            {
                try
                {
                    columns[i] = ParquetColumnReader.Read(group, field, _types[i], rows, _zone, _file);
                }
                catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException or InvalidCastException)
                {
                    throw new TarnException(SqlStates.InvalidTextRepresentation, $"{_file}: cannot read parquet column '{field.Name}': {e.Message}", e) { FilePath = _file };
                }
            }
            else
            {
                var nulls = ColumnVector.Create(_types[i], rows);
                for (var r = 0; r < rows; r++) nulls.AppendNull();
                columns[i] = nulls;
            }
        }
        _group = columns;
        _groupRows = rows;
        _groupOffset = 0;
    }

    public void Dispose()
    {
        _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Dispose();
    }
}
