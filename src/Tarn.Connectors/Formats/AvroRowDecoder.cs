using Tarn.Connectors.FileSystem;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>avro</c> format: each message is one record in Avro's binary encoding, without a schema or header, written
/// with the schema derived from the table's columns (<see cref="AvroSchema"/>); a null message (tombstone) has no row.
/// Values go straight into the typed column vectors. <c>avro-confluent</c> (<see cref="AvroConfluentDecoder"/>) reads
/// the same encoding behind a schema-registry header.
/// </summary>
internal sealed class AvroRowDecoder : IRowDecoder
{
    private readonly AvroField[] _fields;
    private readonly DataType[] _types;
    private readonly CsvColumnBuilder?[] _builders;
    private readonly bool _ignoreErrors;

    public AvroRowDecoder(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types, CsvColumnBuilder?[] builders)
    {
        if (options.Format == "avro") options.CheckKnown("encoding", "timestamp_mapping.legacy", "ignore-parse-errors");
        _ignoreErrors = options.Flag("ignore-parse-errors");
        if (options.Get("encoding") is { } encoding && !encoding.Equals("binary", StringComparison.OrdinalIgnoreCase))
            throw new TarnException(SqlStates.FeatureNotSupported, $"{options.Owner}: 'avro.encoding' '{encoding}' is not supported (only binary)");
        if (!options.Flag("timestamp_mapping.legacy", true))
            throw new TarnException(SqlStates.FeatureNotSupported, $"{options.Owner}: 'avro.timestamp_mapping.legacy' = 'false' is not supported");
        _fields = AvroSchema.Fields(names, types, options.Owner);
        _types = [.. types];
        _builders = builders;
    }

    /// <summary>The reader's fields (the schema derived from the table).</summary>
    public IReadOnlyList<AvroField> Fields => _fields;

    public bool ProducesChanges => false;

    public int Prepare(ReadOnlySpan<byte> message, bool isNull)
    {
        if (isNull) return 0;
        return Validate(message, _fields);
    }

    /// <summary>The first pass over a record: 1 when it is valid, -1 when it is not and parse errors are ignored (Tarn's extension).</summary>
    internal int Validate(ReadOnlySpan<byte> message, AvroField[] writer)
    {
        try
        {
            Read(message, writer, append: false);
            return 1;
        }
        catch (RowDecodeException) when (_ignoreErrors)
        {
            return -1;
        }
    }

    public RowKind AppendRow(ReadOnlySpan<byte> message, int row)
    {
        Read(message, _fields, append: true);
        return RowKind.Insert;
    }

    /// <summary>
    /// Reads one record written with <paramref name="writer"/> (the reader's own fields, or a registry schema with the
    /// same fields in the same order); appends the values only when <paramref name="append"/>, so the first pass
    /// validates the whole record before any column grows.
    /// </summary>
    internal void Read(ReadOnlySpan<byte> message, AvroField[] writer, bool append)
    {
        var reader = new AvroReader(message);
        for (var i = 0; i < writer.Length; i++)
        {
            var f = writer[i];
            var builder = append ? _builders[i] : null;
            if (f.NullBranch >= 0)
            {
                var branch = reader.ReadLong();
                if (branch is not (0 or 1)) throw new RowDecodeException($"field '{_fields[i].Name}': union branch {branch} of a nullable field");
                if (branch == f.NullBranch)
                {
                    if (!_types[i].Nullable) throw new RowDecodeException($"field '{_fields[i].Name}' is NULL but the column is NOT NULL");
                    builder?.AppendNull();
                    continue;
                }
            }
            ReadValue(ref reader, f, i, builder);
        }
        if (!reader.AtEnd) throw new RowDecodeException($"avro: {message.Length - reader.Position} bytes after the record's last field");
    }

    private void ReadValue(ref AvroReader reader, AvroField f, int i, CsvColumnBuilder? builder)
    {
        var type = _types[i];
        switch (f.Kind)
        {
            case AvroKind.Boolean:
            {
                var b = reader.ReadBoolean();
                if (builder is not null) ((PrimitiveVector<bool>)builder.Vector).Append(b);
                break;
            }
            case AvroKind.Int:
            {
                var v = reader.ReadInt();
                var vector = builder?.Vector;
                switch (type.Kind)
                {
                    case TypeKind.TinyInt:
                        if (v is < sbyte.MinValue or > sbyte.MaxValue) throw OutOfRange(i, v);
                        (vector as PrimitiveVector<sbyte>)?.Append((sbyte)v);
                        break;
                    case TypeKind.SmallInt:
                        if (v is < short.MinValue or > short.MaxValue) throw OutOfRange(i, v);
                        (vector as PrimitiveVector<short>)?.Append((short)v);
                        break;
                    case TypeKind.BigInt:
                        (vector as PrimitiveVector<long>)?.Append(v);
                        break;
                    default:
                        (vector as PrimitiveVector<int>)?.Append(v);
                        break;
                }
                break;
            }
            case AvroKind.Long:
            {
                var v = reader.ReadLong();
                if (builder is not null) ((PrimitiveVector<long>)builder.Vector).Append(v);
                break;
            }
            case AvroKind.Float:
            {
                var v = reader.ReadFloat();
                if (builder is null) break;
                if (builder.Vector is PrimitiveVector<double> d) d.Append(v);
                else ((PrimitiveVector<float>)builder.Vector).Append(v);
                break;
            }
            case AvroKind.Double:
            {
                var v = reader.ReadDouble();
                if (builder is not null) ((PrimitiveVector<double>)builder.Vector).Append(v);
                break;
            }
            case AvroKind.String:
            case AvroKind.Bytes:
            {
                var bytes = reader.ReadBytes();
                if (builder is not null) ((BinaryVector)builder.Vector).Append(bytes);
                break;
            }
            case AvroKind.Decimal:
            {
                var unscaled = AvroValues.ReadUnscaled(reader.ReadBytes(), _fields[i].Name);
                var limit = Int128Pow10(type.Precision);
                if (unscaled >= limit || unscaled <= -limit)
                    throw new RowDecodeException($"field '{_fields[i].Name}': decimal value does not fit {type.ToSql()}");
                if (builder is null) break;
                if (builder.Vector is PrimitiveVector<long> l) l.Append((long)unscaled);
                else ((PrimitiveVector<Int128>)builder.Vector).Append(unscaled);
                break;
            }
            case AvroKind.Date:
            {
                var days = reader.ReadInt();
                if (builder is not null) ((PrimitiveVector<int>)builder.Vector).Append(days);
                break;
            }
            case AvroKind.TimeMillis:
            {
                var millis = reader.ReadInt();
                if (millis is < 0 or >= 86_400_000) throw new RowDecodeException($"field '{_fields[i].Name}': time-millis {millis} is outside a day");
                if (builder is not null) ((PrimitiveVector<long>)builder.Vector).Append(ValueConverter.TruncateToPrecision(millis * AvroValues.UnitsPerMilli(type), type));
                break;
            }
            case AvroKind.TimestampMillis:
            case AvroKind.TimestampMicros:
            {
                var v = reader.ReadLong();
                if (builder is null) break;
                var units = f.Kind == AvroKind.TimestampMillis ? v * AvroValues.UnitsPerMilli(type) : v * AvroValues.UnitsPerMicro(type);
                ((PrimitiveVector<long>)builder.Vector).Append(ValueConverter.TruncateToPrecision(units, type));
                break;
            }
        }
    }

    private static Int128 Int128Pow10(int n)
    {
        Int128 v = 1;
        for (var i = 0; i < n; i++) v *= 10;
        return v;
    }

    private RowDecodeException OutOfRange(int i, long v) => new($"field '{_fields[i].Name}': {v} does not fit {_types[i].ToSql()}");
}
