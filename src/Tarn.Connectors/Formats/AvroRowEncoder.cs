using System.Buffers;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Writes rows as Flink's <c>avro</c> format writes them: one record per row in Avro's binary encoding, with the schema
/// derived from the columns (<see cref="AvroSchema"/>, available as <see cref="SchemaJson"/>), no header. The
/// avro-confluent encoder (<see cref="AvroConfluentEncoder"/>) puts the registry header before the same bytes.
/// </summary>
internal sealed class AvroRowEncoder : IRowEncoder
{
    private readonly AvroField[] _fields;
    private readonly DataType[] _types;
    private readonly int[] _columns;
    private readonly string _owner;
    private ColumnBatch? _flattenedFor;
    private readonly ColumnVector[] _flat;

    /// <param name="names">Field names (the columns' names, for the schema).</param>
    /// <param name="types">The columns' types.</param>
    /// <param name="owner">Names the table in errors.</param>
    /// <param name="columns">For each field, the batch column it reads (null: field i reads column i).</param>
    public AvroRowEncoder(IReadOnlyList<string> names, IReadOnlyList<DataType> types, string owner, IReadOnlyList<int>? columns = null)
    {
        _fields = AvroSchema.Fields(names, types, owner);
        _types = [.. types];
        _owner = owner;
        _columns = new int[_fields.Length];
        for (var i = 0; i < _columns.Length; i++) _columns[i] = columns?[i] ?? i;
        _flat = new ColumnVector[_fields.Length];
        SchemaJson = AvroSchema.ToJson(_fields);
    }

    /// <summary>An encoder for a table's format options (<c>avro.encoding</c> = binary, <c>avro.timestamp_mapping.legacy</c> = true are the only ones supported).</summary>
    public AvroRowEncoder(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types)
        : this(names, types, CheckOptions(options))
    {
    }

    private static string CheckOptions(FormatOptions options)
    {
        options.CheckKnown("encoding", "timestamp_mapping.legacy", "ignore-parse-errors");
        if (options.Get("encoding") is { } encoding && !encoding.Equals("binary", StringComparison.OrdinalIgnoreCase))
            throw new TarnException(SqlStates.FeatureNotSupported, $"{options.Owner}: 'avro.encoding' '{encoding}' is not supported (only binary)");
        if (!options.Flag("timestamp_mapping.legacy", true))
            throw new TarnException(SqlStates.FeatureNotSupported, $"{options.Owner}: 'avro.timestamp_mapping.legacy' = 'false' is not supported");
        return options.Owner;
    }

    /// <summary>The writer schema (JSON) of the encoded records.</summary>
    public string SchemaJson { get; }

    internal IReadOnlyList<AvroField> Fields => _fields;

    /// <summary>Appends row <paramref name="row"/> of <paramref name="batch"/> as one Avro record to <paramref name="output"/>.</summary>
    public void Encode(ColumnBatch batch, int row, IBufferWriter<byte> output)
    {
        if (!ReferenceEquals(batch, _flattenedFor))
        {
            // Dictionary-encoded columns are expanded once per batch, not per row.
            for (var i = 0; i < _flat.Length; i++) _flat[i] = Tarn.Execution.Vectors.PhysicalValues.Flatten(batch[_columns[i]]);
            _flattenedFor = batch;
        }
        for (var i = 0; i < _fields.Length; i++)
        {
            var f = _fields[i];
            var v = _flat[i];
            if (v.IsNull(row))
            {
                if (f.NullBranch < 0)
                    throw new TarnException(SqlStates.NotNullViolation, $"{_owner}: column '{f.Name}' is NOT NULL but the row has NULL");
                AvroWriter.WriteLong(output, f.NullBranch);
                continue;
            }
            if (f.NullBranch >= 0) AvroWriter.WriteLong(output, 1 - f.NullBranch);
            WriteValue(output, f, _types[i], v, row);
        }
    }

    private static void WriteValue(IBufferWriter<byte> output, AvroField f, DataType type, ColumnVector v, int row)
    {
        switch (f.Kind)
        {
            case AvroKind.Boolean:
                AvroWriter.WriteBoolean(output, ((PrimitiveVector<bool>)v).Values[row]);
                break;
            case AvroKind.Int:
            case AvroKind.Long:
                AvroWriter.WriteLong(output, AvroValues.Integer(v, row));
                break;
            case AvroKind.Float:
                AvroWriter.WriteFloat(output, ((PrimitiveVector<float>)v).Values[row]);
                break;
            case AvroKind.Double:
                AvroWriter.WriteDouble(output, ((PrimitiveVector<double>)v).Values[row]);
                break;
            case AvroKind.String:
            case AvroKind.Bytes:
                AvroWriter.WriteBytes(output, EncodedValues.Bytes(v, row));
                break;
            case AvroKind.Decimal:
            {
                Span<byte> buffer = stackalloc byte[16];
                var length = AvroValues.WriteUnscaled(AvroValues.Unscaled(v, row), buffer);
                AvroWriter.WriteBytes(output, buffer[..length]);
                break;
            }
            case AvroKind.Date:
                AvroWriter.WriteLong(output, ((PrimitiveVector<int>)v).Values[row]);
                break;
            case AvroKind.TimeMillis:
                AvroWriter.WriteLong(output, AvroValues.FloorDiv(((PrimitiveVector<long>)v).Values[row], AvroValues.UnitsPerMilli(type)));
                break;
            case AvroKind.TimestampMillis:
                AvroWriter.WriteLong(output, AvroValues.FloorDiv(((PrimitiveVector<long>)v).Values[row], AvroValues.UnitsPerMilli(type)));
                break;
            case AvroKind.TimestampMicros:
                AvroWriter.WriteLong(output, AvroValues.FloorDiv(((PrimitiveVector<long>)v).Values[row], AvroValues.UnitsPerMicro(type)));
                break;
        }
    }
}
