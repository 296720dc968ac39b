using Avro;
using Avro.Generic;
using Avro.IO;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Avro schema resolution for a writer schema that differs from the table's (schema evolution: fields added, removed
/// or reordered, int→long→float→double and string↔bytes promotions, a writer without a union for a nullable column):
/// Apache.Avro reads the record with the writer schema resolved against the reader schema derived from the columns,
/// and writes it again with the reader schema, which the fast decoder then reads. Slower than the direct path, so it
/// is only used for writer schemas that are not field-for-field the table's. A reader field the writer lacks takes
/// its default (null for nullable columns); a NOT NULL column the writer lacks cannot be resolved.
/// </summary>
internal sealed class AvroSchemaResolver
{
    private readonly GenericDatumReader<GenericRecord> _reader;
    private readonly GenericDatumWriter<GenericRecord> _writer;
    private readonly MemoryStream _buffer = new();

    private AvroSchemaResolver(Schema writer, Schema reader)
    {
        _reader = new GenericDatumReader<GenericRecord>(writer, reader);
        _writer = new GenericDatumWriter<GenericRecord>(reader);
    }

    /// <summary>A resolver from <paramref name="writerJson"/> to the table's fields; throws <see cref="RowDecodeException"/> when the schemas cannot be resolved.</summary>
    public static AvroSchemaResolver Create(string writerJson, IReadOnlyList<AvroField> readerFields, int id)
    {
        try
        {
            var writer = Schema.Parse(writerJson);
            if (writer is not RecordSchema record) throw new RowDecodeException($"avro-confluent: writer schema {id} is not a record");
            // Records resolve by name: the reader takes the writer's record name.
            var reader = Schema.Parse(AvroSchema.ToJson(readerFields, record.Name, record.Namespace));
            foreach (var field in ((RecordSchema)reader).Fields)
            {
                if (record.Contains(field.Name) || field.DefaultValue is not null) continue;
                throw new RowDecodeException($"avro-confluent: writer schema {id} has no field '{field.Name}' and the column is NOT NULL");
            }
            return new AvroSchemaResolver(writer, reader);
        }
        catch (AvroException e)
        {
            throw new RowDecodeException($"avro-confluent: writer schema {id} cannot be read as the table's schema: {e.Message}");
        }
    }

    /// <summary>The record written with the writer schema, re-encoded with the reader schema.</summary>
    public ReadOnlySpan<byte> Resolve(ReadOnlySpan<byte> record)
    {
        try
        {
            var value = _reader.Read(null!, new BinaryDecoder(new MemoryStream(record.ToArray(), writable: false)));
            _buffer.SetLength(0);
            _writer.Write(value, new BinaryEncoder(_buffer));
            return _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);
        }
        catch (Exception e) when (e is AvroException or EndOfStreamException or InvalidCastException or IOException or ArgumentException)
        {
            throw new RowDecodeException($"avro-confluent: {e.Message}");
        }
    }
}
