using Confluent.Kafka;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Formats;
using Tarn.Execution.Streaming;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// Builds change batches from Kafka records: the value format decodes the value columns (and decides how many rows a
/// record is: none for tombstones, two for a changelog update), the key format the key-only columns
/// (<c>value.fields-include</c> = EXCEPT_KEY), and metadata columns come from the record itself. Only the columns a
/// scan asks for are built. A record that cannot be decoded fails the read with its topic, partition and offset,
/// or is skipped and counted when the format ignores parse errors.
/// </summary>
internal sealed class KafkaRowAssembler
{
    private readonly KafkaTable _table;
    private readonly DataType[] _types;
    private readonly CsvColumnBuilder?[] _fieldBuilders; // per output: physical column builder
    private readonly ColumnVector?[] _metadataVectors;   // per output: metadata column vector
    private readonly KafkaMetadataColumn?[] _metadata;
    private readonly int[] _sameAs;                      // per output: an earlier output with the same column, or -1
    private readonly IRowDecoder _value;
    private readonly IRowDecoder? _key;
    private readonly CsvColumnBuilder?[] _keyBuilders;
    private readonly List<CsvColumnBuilder> _valueOnly = []; // upsert-kafka: builders set to NULL for a tombstone
    private readonly TimeZoneInfo _zone;
    private readonly int _capacity;
    private sbyte[] _kinds;
    private bool _anyChange;
    private int _rows;

    public KafkaRowAssembler(KafkaTable table, IReadOnlyList<int> columnIndexes, TimeZoneInfo zone, int capacity)
    {
        _table = table;
        _zone = zone;
        _capacity = capacity;
        var count = columnIndexes.Count;
        _types = new DataType[count];
        _fieldBuilders = new CsvColumnBuilder?[count];
        _metadataVectors = new ColumnVector?[count];
        _metadata = new KafkaMetadataColumn?[count];
        _sameAs = new int[count];
        _kinds = new sbyte[capacity];
        var physicalCount = table.Physical.Count;
        var valueBuilders = new CsvColumnBuilder?[table.ValueFields.Count];
        _keyBuilders = new CsvColumnBuilder?[table.KeyFields.Count];
        var needKey = false;
        for (var j = 0; j < count; j++)
        {
            var index = columnIndexes[j];
            _sameAs[j] = -1;
            for (var k = 0; k < j; k++)
                if (columnIndexes[k] == index) { _sameAs[j] = k; break; }
            if (index >= physicalCount)
            {
                var m = table.Metadata[index - physicalCount];
                _types[j] = m.Type;
                if (_sameAs[j] >= 0) continue;
                _metadata[j] = m;
                _metadataVectors[j] = ColumnVector.Create(m.Type, capacity);
                continue;
            }
            _types[j] = table.Physical[index].Type;
            if (_sameAs[j] >= 0) continue;
            var builder = new CsvColumnBuilder(_types[j], zone, capacity);
            _fieldBuilders[j] = builder;
            var v = IndexOf(table.ValueFields, index);
            var keyAt = IndexOf(table.KeyFields, index);
            if (v >= 0) valueBuilders[v] = builder;
            else
            {
                _keyBuilders[keyAt] = builder;
                needKey = true;
            }
            if (table.IsUpsert)
            {
                // a tombstone's row is its key: key columns come from the key even when the value holds them too
                if (keyAt >= 0)
                {
                    _keyBuilders[keyAt] = builder;
                    needKey = true;
                }
                else _valueOnly.Add(builder);
            }
        }
        _value = RowFormats.Create(table.ValueFormatOptions(), table.FieldNames(table.ValueFields, ""), table.FieldTypes(table.ValueFields), valueBuilders);
        if (needKey)
            _key = RowFormats.Create(table.KeyFormatOptions()!, table.FieldNames(table.KeyFields, table.Options.KeyFieldsPrefix), table.FieldTypes(table.KeyFields), _keyBuilders);
    }

    public IReadOnlyList<DataType> OutputTypes => _types;

    /// <summary>Rows built so far (not yet taken by <see cref="Finish"/>).</summary>
    public int RowCount => _rows;

    /// <summary>Records skipped because they could not be decoded and the format ignores parse errors.</summary>
    public long SkippedRecords { get; private set; }

    public void Add(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (_table.IsUpsert)
        {
            AddUpsert(record);
            return;
        }
        var value = record.Message.Value;
        var key = record.Message.Key;
        int rows, keyRows = 0;
        var inKey = false;
        try
        {
            rows = _value.Prepare(value, value is null);
            inKey = true;
            if (rows > 0 && _key is not null) keyRows = _key.Prepare(key, key is null);
        }
        catch (RowDecodeException e)
        {
            throw DecodeError(record, e, inKey);
        }
        if (rows < 0 || keyRows < 0)
        {
            SkippedRecords++;
            return;
        }
        for (var r = 0; r < rows; r++)
        {
            RowKind kind;
            inKey = false;
            try
            {
                kind = _value.AppendRow(value, r);
                inKey = true;
                if (_key is not null)
                {
                    if (keyRows > 0) _key.AppendRow(key, 0);
                    else foreach (var b in _keyBuilders) b?.AppendNull();
                }
            }
            catch (RowDecodeException e)
            {
                throw DecodeError(record, e, inKey);
            }
            AppendMetadata(record);
            if (_rows == _kinds.Length) Array.Resize(ref _kinds, _kinds.Length * 2);
            _kinds[_rows++] = (sbyte)kind;
            if (kind != RowKind.Insert) _anyChange = true;
        }
    }

    /// <summary>
    /// An upsert-kafka record: a value is an upsert (+U) of its key's row; a null value (tombstone) deletes the key
    /// (-D of a row holding only the key columns). The job's normalizing step turns these into exact changes.
    /// </summary>
    private void AddUpsert(ConsumeResult<byte[]?, byte[]?> record)
    {
        var value = record.Message.Value;
        var key = record.Message.Key;
        var tombstone = value is null;
        var useKey = _key is not null && (tombstone || _table.Options.ValueExceptKey);
        int rows = 1, keyRows = 0;
        var inKey = false;
        try
        {
            if (!tombstone) rows = _value.Prepare(value, false);
            inKey = true;
            if (rows > 0 && useKey) keyRows = _key!.Prepare(key, key is null);
        }
        catch (RowDecodeException e)
        {
            throw DecodeError(record, e, inKey);
        }
        if (rows < 0 || keyRows < 0)
        {
            SkippedRecords++;
            return;
        }
        if (rows == 0) return;
        inKey = false;
        try
        {
            if (tombstone)
                foreach (var b in _valueOnly) b.AppendNull();
            else _value.AppendRow(value, 0);
            inKey = true;
            if (useKey)
            {
                if (keyRows > 0) _key!.AppendRow(key, 0);
                else foreach (var b in _keyBuilders) b?.AppendNull();
            }
        }
        catch (RowDecodeException e)
        {
            throw DecodeError(record, e, inKey);
        }
        AppendMetadata(record);
        if (_rows == _kinds.Length) Array.Resize(ref _kinds, _kinds.Length * 2);
        _kinds[_rows++] = (sbyte)(tombstone ? RowKind.Delete : RowKind.UpdateAfter);
        _anyChange = true;
    }

    /// <summary>The rows built so far as a batch (null when there are none); starts the next batch.</summary>
    public ChangeBatch? Finish()
    {
        if (_rows == 0) return null;
        var columns = new ColumnVector[_types.Length];
        for (var j = 0; j < columns.Length; j++)
        {
            if (_sameAs[j] >= 0) columns[j] = columns[_sameAs[j]];
            else if (_fieldBuilders[j] is { } b) columns[j] = b.Finish(_capacity);
            else
            {
                columns[j] = _metadataVectors[j]!;
                _metadataVectors[j] = ColumnVector.Create(_types[j], _capacity);
            }
        }
        sbyte[]? kinds = null;
        if (_anyChange) kinds = _kinds.AsSpan(0, _rows).ToArray();
        var batch = new ChangeBatch(new ColumnBatch(columns, _rows), kinds);
        _rows = 0;
        _anyChange = false;
        return batch;
    }

    private void AppendMetadata(ConsumeResult<byte[]?, byte[]?> record)
    {
        for (var j = 0; j < _metadata.Length; j++)
        {
            if (_metadata[j] is not { } m) continue;
            var v = _metadataVectors[j]!;
            switch (m.Kind)
            {
                case KafkaMetadataKind.Topic: ((BinaryVector)v).Append(record.Topic); break;
                case KafkaMetadataKind.Partition: AppendInteger(v, record.Partition.Value); break;
                case KafkaMetadataKind.Offset: ((PrimitiveVector<long>)v).Append(record.Offset.Value); break;
                case KafkaMetadataKind.LeaderEpoch:
                    if (record.LeaderEpoch is { } epoch) AppendInteger(v, epoch);
                    else v.AppendNull();
                    break;
                case KafkaMetadataKind.TimestampType:
                    ((BinaryVector)v).Append(record.Message.Timestamp.Type switch
                    {
                        TimestampType.CreateTime => "CreateTime",
                        TimestampType.LogAppendTime => "LogAppendTime",
                        _ => "NoTimestampType",
                    });
                    break;
                case KafkaMetadataKind.Timestamp:
                    ((PrimitiveVector<long>)v).Append(TimestampUnits(record.Message.Timestamp.UnixTimestampMs, m.Type));
                    break;
                default:
                    if (record.Message.Key is { } key) ((BinaryVector)v).Append(key);
                    else v.AppendNull();
                    break;
            }
        }
    }

    private static void AppendInteger(ColumnVector v, int value)
    {
        if (v is PrimitiveVector<int> ints) ints.Append(value);
        else ((PrimitiveVector<long>)v).Append(value);
    }

    /// <summary>Epoch milliseconds as the column's units; a TIMESTAMP (without zone) column gets the session zone's wall time.</summary>
    private long TimestampUnits(long millis, DataType type)
    {
        var micros = millis * 1000;
        if (type.Kind == TypeKind.Timestamp) micros += (long)_zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(millis)).TotalMicroseconds;
        return type.Precision > 6 ? micros * 1000 : micros;
    }

    private TarnException DecodeError(ConsumeResult<byte[]?, byte[]?> record, RowDecodeException e, bool key)
    {
        var options = key ? _table.KeyFormatOptions()! : _table.ValueFormatOptions();
        return new TarnException(SqlStates.InvalidTextRepresentation,
            $"kafka table '{_table.Name}': cannot decode the {(key ? "key" : "value")} of the record at topic '{record.Topic}' partition {record.Partition.Value} offset {record.Offset.Value}: {e.Message} (set '{options.Format}.ignore-parse-errors' = 'true' to skip such records)");
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        return -1;
    }
}
