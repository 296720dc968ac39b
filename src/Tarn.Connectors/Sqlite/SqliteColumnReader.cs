using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Tarn.Connectors.FileSystem;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// Reads one column of a SQLite result into a vector of the Tarn column's type (the mapping is described on
/// <see cref="SqliteTable"/>): integers, floating point numbers, booleans and unbounded strings are read typed;
/// every other type parses the value's text (or a BLOB's bytes) with the parsers the CSV reader uses.
/// </summary>
internal sealed class SqliteColumnReader
{
    private enum Kind : byte { Bool, Int8, Int16, Int32, Int64, Float32, Float64, String, Parsed }

    private readonly DataType _type;
    private readonly string _column;
    private readonly string _table;
    private readonly Kind _kind;
    private readonly CsvColumnBuilder? _parsed;
    private ColumnVector _vector;

    public SqliteColumnReader(DataType type, string column, string table, TimeZoneInfo zone, int capacity)
    {
        CheckSupported(type, column, table);
        _type = type.WithNullable(true);
        _column = column;
        _table = table;
        _kind = type.Kind switch
        {
            TypeKind.Boolean => Kind.Bool,
            TypeKind.TinyInt => Kind.Int8,
            TypeKind.SmallInt => Kind.Int16,
            TypeKind.Int => Kind.Int32,
            TypeKind.BigInt => Kind.Int64,
            TypeKind.Float => Kind.Float32,
            TypeKind.Double => Kind.Float64,
            TypeKind.Varchar when type.Length == DataType.MaxLength => Kind.String,
            _ => Kind.Parsed,
        };
        if (_kind == Kind.Parsed) _parsed = new CsvColumnBuilder(_type, zone, capacity);
        _vector = ColumnVector.Create(_type, capacity);
    }

    /// <summary>Rejects column types a SQLite value cannot be read as (0A000), at CREATE TABLE and when a table is opened.</summary>
    public static void CheckSupported(DataType type, string column, string table)
    {
        if (type.Kind is TypeKind.Array or TypeKind.Row or TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth or TypeKind.Null)
            throw new TarnException(SqlStates.FeatureNotSupported, $"column '{column}' of SQLite table '{table}' has type {type.ToSql()}, which SQLite values cannot be read as");
    }

    /// <summary>Hands out the vector built so far and starts a new one.</summary>
    public ColumnVector Finish(int capacity)
    {
        if (_parsed is not null) return _parsed.Finish(capacity);
        var v = _vector;
        _vector = ColumnVector.Create(_type, capacity);
        return v;
    }

    /// <summary>Appends field <paramref name="ordinal"/> of the reader's current row.</summary>
    public void Append(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            if (_parsed is not null) _parsed.AppendNull();
            else _vector.AppendNull();
            return;
        }
        var stored = reader.GetFieldType(ordinal);
        switch (_kind)
        {
            case Kind.Bool:
                ((PrimitiveVector<bool>)_vector).Append(ReadBool(reader, ordinal, stored));
                break;
            case Kind.Int8:
                ((PrimitiveVector<sbyte>)_vector).Append((sbyte)ReadInteger(reader, ordinal, stored, sbyte.MinValue, sbyte.MaxValue));
                break;
            case Kind.Int16:
                ((PrimitiveVector<short>)_vector).Append((short)ReadInteger(reader, ordinal, stored, short.MinValue, short.MaxValue));
                break;
            case Kind.Int32:
                ((PrimitiveVector<int>)_vector).Append((int)ReadInteger(reader, ordinal, stored, int.MinValue, int.MaxValue));
                break;
            case Kind.Int64:
                ((PrimitiveVector<long>)_vector).Append(ReadInteger(reader, ordinal, stored, long.MinValue, long.MaxValue));
                break;
            case Kind.Float32:
                ((PrimitiveVector<float>)_vector).Append((float)ReadDouble(reader, ordinal, stored));
                break;
            case Kind.Float64:
                ((PrimitiveVector<double>)_vector).Append(ReadDouble(reader, ordinal, stored));
                break;
            case Kind.String:
                ((BinaryVector)_vector).Append(reader.GetString(ordinal));
                break;
            default:
                var bytes = stored == typeof(byte[]) ? reader.GetFieldValue<byte[]>(ordinal) : Encoding.UTF8.GetBytes(reader.GetString(ordinal));
                if (!_parsed!.TryAppend(bytes)) throw Invalid(reader, ordinal);
                break;
        }
    }

    private long ReadInteger(SqliteDataReader reader, int ordinal, Type stored, long min, long max)
    {
        long value;
        if (stored == typeof(long)) value = reader.GetInt64(ordinal);
        else if (stored == typeof(double))
        {
            var d = reader.GetDouble(ordinal);
            if (d != Math.Floor(d) || d < -9.2e18 || d > 9.2e18) throw Invalid(reader, ordinal);
            value = (long)d;
        }
        else if (!long.TryParse(reader.GetString(ordinal).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            throw Invalid(reader, ordinal);
        if (value < min || value > max)
            throw new TarnException(SqlStates.NumericValueOutOfRange, $"column '{_column}' of SQLite table '{_table}' holds {value}, which is out of range for {_type.ToSql()}");
        return value;
    }

    private double ReadDouble(SqliteDataReader reader, int ordinal, Type stored)
    {
        if (stored == typeof(long) || stored == typeof(double)) return reader.GetDouble(ordinal);
        return double.TryParse(reader.GetString(ordinal).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Invalid(reader, ordinal);
    }

    private bool ReadBool(SqliteDataReader reader, int ordinal, Type stored)
    {
        if (stored == typeof(long)) return reader.GetInt64(ordinal) != 0;
        var text = reader.GetString(ordinal).Trim();
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) || text == "1") return true;
        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) || text == "0") return false;
        throw Invalid(reader, ordinal);
    }

    private TarnException Invalid(SqliteDataReader reader, int ordinal)
    {
        var text = reader.GetFieldType(ordinal) == typeof(byte[]) ? "a BLOB" : $"'{reader.GetString(ordinal)}'";
        return new TarnException(SqlStates.InvalidTextRepresentation, $"column '{_column}' of SQLite table '{_table}' holds {text}, which is not a valid {_type.ToSql()}");
    }
}
