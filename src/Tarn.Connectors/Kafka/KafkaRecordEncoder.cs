using System.Buffers;
using Tarn.Connectors.Formats;
using Tarn.Execution.Streaming;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Kafka;

/// <summary>One record to produce: key and value (null for none / a tombstone).</summary>
internal readonly record struct KafkaRecord(byte[]? Key, byte[]? Value, long? TimestampMillis);

/// <summary>
/// Turns a sink's changes (rows of the table's physical columns) into Kafka records: the key format encodes
/// <c>key.fields</c> (without <c>key.fields-prefix</c>), the value format the value fields (all columns, or the
/// non-key ones with <c>value.fields-include</c> = EXCEPT_KEY). A kafka table writes every change through its value
/// format (changelog formats write -U/+U/-D); an upsert-kafka table writes +I/+U as the key's new value, -D as a
/// tombstone (null value) and drops -U (the +U that follows replaces the value).
/// </summary>
internal sealed class KafkaRecordEncoder
{
    private readonly KafkaTable _table;
    private readonly IChangeEncoder? _value;     // kafka tables
    private readonly IRowEncoder? _upsertValue;  // upsert-kafka tables
    private readonly bool _rawValue;
    private readonly IRowEncoder? _key;
    private readonly bool _rawKey;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly int[] _keyColumns;   // positions of the key fields in the written rows
    private readonly int[] _valueColumns; // positions of the value fields in the written rows
    private readonly int _timestampAt;
    private readonly DataType? _timestampType;

    public KafkaRecordEncoder(KafkaTable table)
    {
        _table = table;
        var zone = TimeZoneInfo.Utc;
        var (types, physicalAt, timestampAt) = table.SinkLayout();
        _keyColumns = Positions(table.KeyFields, physicalAt);
        _valueColumns = Positions(table.ValueFields, physicalAt);
        _timestampAt = timestampAt;
        _timestampType = timestampAt >= 0 ? types[timestampAt] : null;
        var valueOptions = table.ValueFormatOptions();
        var valueNames = table.FieldNames(table.ValueFields, "");
        var valueTypes = table.FieldTypes(table.ValueFields);
        var topic = table.Options.Topics.Count == 1 ? table.Options.Topics[0] : null;
        if (table.IsUpsert) _upsertValue = RowEncoders.CreateRow(valueOptions, valueNames, valueTypes, zone, topic + "-value");
        else _value = RowEncoders.CreateChange(valueOptions, valueNames, valueTypes, zone, topic + "-value");
        _rawValue = valueOptions.Format == "raw";
        if (table.KeyFormatOptions() is { } keyOptions)
        {
            _key = RowEncoders.CreateRow(keyOptions, table.FieldNames(table.KeyFields, table.Options.KeyFieldsPrefix), table.FieldTypes(table.KeyFields), zone, topic + "-key");
            _rawKey = keyOptions.Format == "raw";
        }
    }

    /// <summary>Checks that the table's formats can be written (at CREATE TABLE of a sink and at job submission).</summary>
    public static void Validate(KafkaTable table) => _ = new KafkaRecordEncoder(table);

    /// <summary>Encodes <paramref name="batch"/>'s changes, in order, into <paramref name="records"/>.</summary>
    public void Encode(ChangeBatch batch, List<KafkaRecord> records)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        var keys = _key is null ? null : Project(batch.Rows, _keyColumns);
        var values = Project(batch.Rows, _valueColumns);
        var valueChanges = new ChangeBatch(values, batch.Kinds);
        for (var r = 0; r < n;)
        {
            var kind = batch.KindOf(r);
            byte[]? value;
            int covered;
            if (_upsertValue is not null)
            {
                covered = 1;
                if (kind == RowKind.UpdateBefore) { r++; continue; }
                value = kind == RowKind.Delete ? null : EncodeRow(_upsertValue, values, r, _rawValue);
            }
            else
            {
                _buffer.ResetWrittenCount();
                covered = _value!.Encode(valueChanges, r, _buffer, out var isNull);
                value = isNull ? null : _buffer.WrittenSpan.ToArray();
            }
            // an update pair's record is keyed by its new row
            var key = keys is null ? null : EncodeRow(_key!, keys, r + covered - 1, _rawKey);
            records.Add(new KafkaRecord(key, value, Timestamp(batch.Rows, r + covered - 1)));
            r += covered;
        }
    }

    private byte[]? EncodeRow(IRowEncoder encoder, ColumnBatch rows, int row, bool raw)
    {
        if (raw && RawRowEncoder.IsNull(rows, row)) return null;
        _buffer.ResetWrittenCount();
        encoder.Encode(rows, row, _buffer);
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The record timestamp from a <c>timestamp</c> metadata column, in epoch milliseconds: TIMESTAMP_LTZ is an instant;
    /// a TIMESTAMP (without zone) is taken as UTC. Null without the column or for NULL (Kafka then sets the time).
    /// </summary>
    private long? Timestamp(ColumnBatch rows, int row)
    {
        if (_timestampAt < 0) return null;
        var column = rows.Columns[_timestampAt];
        if (column.IsNull(row)) return null;
        var units = EncodedValues.Integer(column, row);
        return _timestampType!.Precision > 6 ? Math.DivRem(units, 1_000_000L, out var r) - (r < 0 ? 1 : 0) : Math.DivRem(units, 1_000L, out var q) - (q < 0 ? 1 : 0);
    }

    private static int[] Positions(IReadOnlyList<int> fields, int[] physicalAt)
    {
        var positions = new int[fields.Count];
        for (var i = 0; i < positions.Length; i++) positions[i] = physicalAt[fields[i]];
        return positions;
    }

    private static ColumnBatch Project(ColumnBatch rows, IReadOnlyList<int> fields)
    {
        var columns = new ColumnVector[fields.Count];
        for (var i = 0; i < columns.Length; i++) columns[i] = rows.Columns[fields[i]];
        return new ColumnBatch(columns, rows.RowCount);
    }
}
