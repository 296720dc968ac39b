using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using Parquet;
using Parquet.Data;
using Parquet.Schema;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Reads one column of a Parquet row group into a Tarn vector of the table column's type. Values whose Parquet type
/// matches the column (or widens to it: INT32 into BIGINT, DATE into TIMESTAMP, ...) are converted directly; other
/// pairs go through the value's text and the CSV parsers (a Parquet string into a DATE column, say), so a file from
/// another tool reads as long as its values fit.
/// </summary>
internal static class ParquetColumnReader
{
    public static ColumnVector Read(ParquetRowGroupReader group, DataField field, DataType target, int rows, TimeZoneInfo zone, string file)
    {
        var clr = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (field is TimeDataField time && (clr == typeof(long) || clr == typeof(int)))
        {
            // TIME as a count of units since midnight
            var perTick = time.Precision switch { TimeUnitPrecision.Millis => 10_000.0, TimeUnitPrecision.Nanos => 0.01, _ => 10.0 };
            var units = clr == typeof(long) ? Map(ReadValues<long>(group, field, rows), t => TimeSpan.FromTicks((long)(t * perTick)))
                : Map(ReadValues<int>(group, field, rows), t => TimeSpan.FromTicks((long)(t * perTick)));
            return FromTime(units, target, zone, file, field);
        }
        // the type Tarn writes for the column: values copied as they are
        switch (target.Kind)
        {
            case TypeKind.Int when clr == typeof(int): return ReadExact<int>(group, field, rows, target);
            case TypeKind.BigInt when clr == typeof(long): return ReadExact<long>(group, field, rows, target);
            case TypeKind.Double when clr == typeof(double): return ReadExact<double>(group, field, rows, target);
            case TypeKind.Float when clr == typeof(float): return ReadExact<float>(group, field, rows, target);
            case TypeKind.SmallInt when clr == typeof(short): return ReadExact<short>(group, field, rows, target);
            case TypeKind.TinyInt when clr == typeof(sbyte): return ReadExact<sbyte>(group, field, rows, target);
            case TypeKind.Boolean when clr == typeof(bool): return ReadExact<bool>(group, field, rows, target);
        }
        if (clr == typeof(string) || clr == typeof(ReadOnlyMemory<char>)) return FromText(ReadStrings(group, field, rows), target, zone, file, field);
        if (clr == typeof(byte[]) || clr == typeof(ReadOnlyMemory<byte>)) return FromBytes(ReadBytes(group, field, rows), target, zone, file, field);
        if (clr == typeof(bool)) return FromBool(ReadValues<bool>(group, field, rows), target, zone, file, field);
        if (clr == typeof(sbyte)) return FromInteger(ReadValues<sbyte>(group, field, rows), static v => v, target, zone, file, field);
        if (clr == typeof(byte)) return FromInteger(ReadValues<byte>(group, field, rows), static v => v, target, zone, file, field);
        if (clr == typeof(short)) return FromInteger(ReadValues<short>(group, field, rows), static v => v, target, zone, file, field);
        if (clr == typeof(ushort)) return FromInteger(ReadValues<ushort>(group, field, rows), static v => v, target, zone, file, field);
        if (clr == typeof(int)) return FromInteger(ReadValues<int>(group, field, rows), static v => v, target, zone, file, field);
        if (clr == typeof(uint)) return FromInteger(ReadValues<uint>(group, field, rows), static v => v, target, zone, file, field);
        if (clr == typeof(long)) return FromInteger(ReadValues<long>(group, field, rows), static v => v, target, zone, file, field);
        if (clr == typeof(ulong)) return FromOther(ReadValues<ulong>(group, field, rows), target, zone, file, field);
        if (clr == typeof(float)) return FromDouble(ReadValues<float>(group, field, rows), static v => v, target, zone, file, field);
        if (clr == typeof(double)) return FromDouble(ReadValues<double>(group, field, rows), static v => v, target, zone, file, field);
        if (clr == typeof(BigDecimal)) return FromBigDecimal(ReadValues<BigDecimal>(group, field, rows), target, zone, file, field);
        if (clr == typeof(decimal)) return FromDecimal(ReadValues<decimal>(group, field, rows), target, zone, file, field);
        if (clr == typeof(DateTime)) return FromDateTime(ReadValues<DateTime>(group, field, rows), target, zone, file, field);
        if (clr == typeof(DateOnly)) return FromDateTime(Map(ReadValues<DateOnly>(group, field, rows), static d => d.ToDateTime(TimeOnly.MinValue)), target, zone, file, field);
        if (clr == typeof(TimeSpan)) return FromTime(ReadValues<TimeSpan>(group, field, rows), target, zone, file, field);
        if (clr == typeof(TimeOnly)) return FromTime(Map(ReadValues<TimeOnly>(group, field, rows), static t => t.ToTimeSpan()), target, zone, file, field);
        if (clr == typeof(Guid)) return FromOther(ReadValues<Guid>(group, field, rows), target, zone, file, field);
        throw new TarnException(SqlStates.FeatureNotSupported, $"{file}: parquet column '{field.Name}' holds {clr.Name} values, which Tarn cannot read") { FilePath = file };
    }

    private static T?[] ReadValues<T>(ParquetRowGroupReader group, DataField field, int rows) where T : struct
    {
        var values = new T?[rows];
        if (!field.IsNullable)
        {
            // a required column: read as plain values (reading it as nullable misaligns rows after the first row group)
            var plain = new T[rows];
            group.ReadAsync<T>(field, plain.AsMemory(), null).AsTask().GetAwaiter().GetResult();
            for (var i = 0; i < rows; i++) values[i] = plain[i];
            return values;
        }
        group.ReadAsync<T>(field, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
        return values;
    }

    /// <summary>
    /// A column of the very type Tarn stores, read straight into the vector's array: Parquet.Net hands the non-null
    /// values densely with one definition level per row, spread out in place (from the back) when there are NULLs.
    /// </summary>
    private static PrimitiveVector<T> ReadExact<T>(ParquetRowGroupReader group, DataField field, int rows, DataType target) where T : unmanaged
    {
        var values = new T[Math.Max(rows, 1)];
        if (!field.IsNullable)
        {
            group.ReadAsync<T>(field, values.AsMemory(0, rows), null).AsTask().GetAwaiter().GetResult();
            return new PrimitiveVector<T>(target, values, rows, null);
        }
        var levels = ArrayPool<int>.Shared.Rent(Math.Max(rows, 1));
        try
        {
            group.ReadRawAsync<T>(field, values.AsMemory(0, rows), levels.AsMemory(0, rows), null, default).AsTask().GetAwaiter().GetResult();
            var defined = field.MaxDefinitionLevel;
            var present = 0;
            for (var i = 0; i < rows; i++) if (levels[i] == defined) present++;
            if (present == rows) return new PrimitiveVector<T>(target, values, rows, null);
            var nulls = new byte[values.Length];
            var from = present;
            for (var i = rows - 1; i >= 0; i--)
            {
                if (levels[i] == defined) values[i] = values[--from];
                else { values[i] = default; nulls[i] = 1; }
            }
            return new PrimitiveVector<T>(target, values, rows, nulls);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(levels);
        }
    }

    private static string?[] ReadStrings(ParquetRowGroupReader group, DataField field, int rows)
    {
        var values = new string?[rows];
        group.ReadAsync(field, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
        return values;
    }

    private static byte[]?[] ReadBytes(ParquetRowGroupReader group, DataField field, int rows)
    {
        var values = new byte[]?[rows];
        group.ReadAsync(field, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
        return values;
    }

    private static TOut?[] Map<TIn, TOut>(TIn?[] values, Func<TIn, TOut> map) where TIn : struct where TOut : struct
    {
        var result = new TOut?[values.Length];
        for (var i = 0; i < values.Length; i++) if (values[i] is { } v) result[i] = map(v);
        return result;
    }

    private static ColumnVector FromBool(bool?[] values, DataType target, TimeZoneInfo zone, string file, DataField field)
    {
        if (target.Kind != TypeKind.Boolean) return FromOther(values, target, zone, file, field);
        var vector = new PrimitiveVector<bool>(target, values.Length);
        foreach (var v in values) { if (v is { } b) vector.Append(b); else vector.AppendNull(); }
        return vector;
    }

    private static ColumnVector FromInteger<T>(T?[] values, Func<T, long> widen, DataType target, TimeZoneInfo zone, string file, DataField field) where T : struct
    {
        var vector = ColumnVector.Create(target, values.Length);
        switch (target.Kind)
        {
            case TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt:
            {
                var (min, max) = target.Kind switch
                {
                    TypeKind.TinyInt => (sbyte.MinValue, sbyte.MaxValue),
                    TypeKind.SmallInt => (short.MinValue, short.MaxValue),
                    TypeKind.Int => (int.MinValue, (long)int.MaxValue),
                    _ => (long.MinValue, long.MaxValue),
                };
                foreach (var value in values)
                {
                    if (value is not { } x) { vector.AppendNull(); continue; }
                    var v = widen(x);
                    if (v < min || v > max) throw OutOfRange(file, field, target, v.ToString(CultureInfo.InvariantCulture));
                    switch (vector)
                    {
                        case PrimitiveVector<sbyte> p: p.Append((sbyte)v); break;
                        case PrimitiveVector<short> p: p.Append((short)v); break;
                        case PrimitiveVector<int> p: p.Append((int)v); break;
                        default: ((PrimitiveVector<long>)vector).Append(v); break;
                    }
                }
                return vector;
            }
            case TypeKind.Double or TypeKind.Float:
                return FromDouble(values, x => widen(x), target, zone, file, field);
            case TypeKind.Decimal:
                return FromDecimal(Map(values, x => (decimal)widen(x)), target, zone, file, field);
            default:
                return FromOther(values, target, zone, file, field);
        }
    }

    private static ColumnVector FromDouble<T>(T?[] values, Func<T, double> widen, DataType target, TimeZoneInfo zone, string file, DataField field) where T : struct
    {
        if (target.Kind == TypeKind.Double)
        {
            var vector = new PrimitiveVector<double>(target, values.Length);
            foreach (var v in values) { if (v is { } x) vector.Append(widen(x)); else vector.AppendNull(); }
            return vector;
        }
        if (target.Kind == TypeKind.Float)
        {
            var vector = new PrimitiveVector<float>(target, values.Length);
            foreach (var v in values) { if (v is { } x) vector.Append((float)widen(x)); else vector.AppendNull(); }
            return vector;
        }
        return FromOther(values, target, zone, file, field);
    }

    private static ColumnVector FromDecimal(decimal?[] values, DataType target, TimeZoneInfo zone, string file, DataField field)
    {
        if (target.Kind is TypeKind.Double or TypeKind.Float) return FromDouble(values, static d => (double)d, target, zone, file, field);
        if (target.Kind != TypeKind.Decimal) return FromOther(values, target, zone, file, field);
        var vector = ColumnVector.Create(target, values.Length);
        var limit = Int128.One;
        for (var i = 0; i < target.Precision; i++) limit *= 10;
        foreach (var value in values)
        {
            if (value is not { } d) { vector.AppendNull(); continue; }
            var unscaled = ValueConverter.DecimalToUnscaled(d, target.Scale);
            if (unscaled >= limit || unscaled <= -limit) throw OutOfRange(file, field, target, d.ToString(CultureInfo.InvariantCulture));
            if (vector is PrimitiveVector<long> narrow) narrow.Append((long)unscaled);
            else ((PrimitiveVector<Int128>)vector).Append(unscaled);
        }
        return vector;
    }

    private static ColumnVector FromBigDecimal(BigDecimal?[] values, DataType target, TimeZoneInfo zone, string file, DataField field)
    {
        if (target.Kind != TypeKind.Decimal) return FromText(Array.ConvertAll(values, v => v is { } d ? Text(d) : null), target, zone, file, field);
        var vector = ColumnVector.Create(target, values.Length);
        var limit = BigInteger.Pow(10, target.Precision);
        foreach (var value in values)
        {
            if (value is not { } d) { vector.AppendNull(); continue; }
            var unscaled = d.UnscaledValue;
            if (d.Scale < target.Scale) unscaled *= BigInteger.Pow(10, target.Scale - d.Scale);
            else if (d.Scale > target.Scale)
            {
                // round half away from zero, as CAST does
                var divisor = BigInteger.Pow(10, d.Scale - target.Scale);
                var quotient = BigInteger.DivRem(unscaled, divisor, out var remainder);
                if (BigInteger.Abs(remainder) * 2 >= divisor) quotient += unscaled.Sign;
                unscaled = quotient;
            }
            if (BigInteger.Abs(unscaled) >= limit) throw OutOfRange(file, field, target, Text(d));
            if (vector is PrimitiveVector<long> narrow) narrow.Append((long)unscaled);
            else ((PrimitiveVector<Int128>)vector).Append((Int128)unscaled);
        }
        return vector;
    }

    private static string Text(BigDecimal value) => ValueConverter.DecimalToString((Int128)value.UnscaledValue, value.Scale);

    private static ColumnVector FromDateTime(DateTime?[] values, DataType target, TimeZoneInfo zone, string file, DataField field)
    {
        switch (target.Kind)
        {
            case TypeKind.Timestamp or TypeKind.TimestampLtz:
            {
                var vector = new PrimitiveVector<long>(target, values.Length);
                foreach (var v in values)
                {
                    if (v is not { } t) { vector.AppendNull(); continue; }
                    // an instant (UTC) into TIMESTAMP shows its UTC wall time, as Flink's parquet reader does by default
                    vector.Append(ValueConverter.DateTimeToTimestamp(DateTime.SpecifyKind(t, DateTimeKind.Unspecified), target));
                }
                return vector;
            }
            case TypeKind.Date:
            {
                var vector = new PrimitiveVector<int>(target, values.Length);
                foreach (var v in values) { if (v is { } t) vector.Append(ValueConverter.DateOnlyToDays(DateOnly.FromDateTime(t))); else vector.AppendNull(); }
                return vector;
            }
            default:
                return FromOther(values, target, zone, file, field);
        }
    }

    private static ColumnVector FromTime(TimeSpan?[] values, DataType target, TimeZoneInfo zone, string file, DataField field)
    {
        if (target.Kind != TypeKind.Time) return FromOther(values, target, zone, file, field);
        var vector = new PrimitiveVector<long>(target, values.Length);
        foreach (var v in values) { if (v is { } t) vector.Append(ValueConverter.TimeOnlyToTime(TimeOnly.FromTimeSpan(t), target)); else vector.AppendNull(); }
        return vector;
    }

    private static ColumnVector FromOther<T>(T?[] values, DataType target, TimeZoneInfo zone, string file, DataField field) where T : struct
    {
        var text = new string?[values.Length];
        for (var i = 0; i < values.Length; i++)
            text[i] = values[i] switch
            {
                null => null,
                DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
                TimeSpan s => s.ToString("hh\\:mm\\:ss\\.fffffff", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                { } v => v.ToString(),
            };
        return FromText(text, target, zone, file, field);
    }

    private static ColumnVector FromText(string?[] values, DataType target, TimeZoneInfo zone, string file, DataField field)
    {
        var builder = new CsvColumnBuilder(target, zone, values.Length);
        foreach (var value in values)
        {
            if (value is null) { builder.AppendNull(); continue; }
            if (!builder.TryAppend(Encoding.UTF8.GetBytes(value))) throw Invalid(file, field, target, value);
        }
        return builder.Finish(1);
    }

    private static ColumnVector FromBytes(byte[]?[] values, DataType target, TimeZoneInfo zone, string file, DataField field)
    {
        var builder = new CsvColumnBuilder(target, zone, values.Length);
        foreach (var value in values)
        {
            if (value is null) { builder.AppendNull(); continue; }
            if (!builder.TryAppend(value)) throw Invalid(file, field, target, Convert.ToHexStringLower(value.AsSpan(0, Math.Min(value.Length, 50))));
        }
        return builder.Finish(1);
    }

    private static TarnException Invalid(string file, DataField field, DataType target, string value) =>
        new(SqlStates.InvalidTextRepresentation, $"{file}: parquet column '{field.Name}': value '{(value.Length > 100 ? value[..100] : value)}' is not a valid {target.WithNullable(true).ToSql()}") { FilePath = file };

    private static TarnException OutOfRange(string file, DataField field, DataType target, string value) =>
        new(SqlStates.NumericValueOutOfRange, $"{file}: parquet column '{field.Name}': value {value} is out of range for {target.WithNullable(true).ToSql()}") { FilePath = file };
}
