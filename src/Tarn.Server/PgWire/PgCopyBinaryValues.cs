using System.Buffers.Binary;
using System.Text.Unicode;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Server.PgWire;

/// <summary>
/// Decodes one field of binary COPY (PostgreSQL's send/recv formats, big-endian) into its column's vector. Integer
/// columns accept int2/int4/int8 fields and float columns float4/float8 (clients pick the width from their own
/// types), with range checks; dates and timestamps count from PostgreSQL's epoch 2000-01-01.
/// </summary>
internal static class PgCopyBinaryValues
{
    private const int DaysFrom1970To2000 = 10957;

    public static void Append(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        switch (column.Kind)
        {
            case PgCopyKind.Bool:
                if (s.Length != 1) throw PgCopyErrors.BinaryLength(column, s.Length);
                ((PrimitiveVector<bool>)column.Vector).Append(s[0] != 0);
                return;
            case PgCopyKind.TinyInt: ((PrimitiveVector<sbyte>)column.Vector).Append((sbyte)Integer(column, s, sbyte.MinValue, sbyte.MaxValue)); return;
            case PgCopyKind.SmallInt: ((PrimitiveVector<short>)column.Vector).Append((short)Integer(column, s, short.MinValue, short.MaxValue)); return;
            case PgCopyKind.Int: ((PrimitiveVector<int>)column.Vector).Append((int)Integer(column, s, int.MinValue, int.MaxValue)); return;
            case PgCopyKind.BigInt: ((PrimitiveVector<long>)column.Vector).Append(Integer(column, s, long.MinValue, long.MaxValue)); return;
            case PgCopyKind.Float: ((PrimitiveVector<float>)column.Vector).Append((float)Float(column, s)); return;
            case PgCopyKind.Double: ((PrimitiveVector<double>)column.Vector).Append(Float(column, s)); return;
            case PgCopyKind.Decimal64: ((PrimitiveVector<long>)column.Vector).Append((long)Numeric(column, s)); return;
            case PgCopyKind.Decimal128: ((PrimitiveVector<Int128>)column.Vector).Append(Numeric(column, s)); return;
            case PgCopyKind.Text:
                if (!Utf8.IsValid(s)) throw PgCopyErrors.BadEncoding(s);
                ((BinaryVector)column.Vector).Append(s);
                return;
            case PgCopyKind.Bytes: ((BinaryVector)column.Vector).Append(s); return;
            case PgCopyKind.Date:
                if (s.Length != 4) throw PgCopyErrors.BinaryLength(column, s.Length);
                var days = BinaryPrimitives.ReadInt32BigEndian(s);
                if (days is int.MaxValue or int.MinValue) throw PgCopyErrors.DateOutOfRange(column); // PostgreSQL's ±infinity
                ((PrimitiveVector<int>)column.Vector).Append(days + DaysFrom1970To2000);
                return;
            case PgCopyKind.Time:
                if (s.Length != 8) throw PgCopyErrors.BinaryLength(column, s.Length);
                var micros = BinaryPrimitives.ReadInt64BigEndian(s);
                ((PrimitiveVector<long>)column.Vector).Append(ValueConverter.TruncateToPrecision(column.NanoTime ? micros * 1000 : micros, column.Type));
                return;
            case PgCopyKind.Timestamp or PgCopyKind.TimestampTz:
                if (s.Length != 8) throw PgCopyErrors.BinaryLength(column, s.Length);
                var since2000 = BinaryPrimitives.ReadInt64BigEndian(s);
                if (since2000 is long.MaxValue or long.MinValue) throw PgCopyErrors.DateOutOfRange(column);
                var since1970 = PgCopyTextValues.From2000(since2000);
                if (column.NanoTime && (since1970 > long.MaxValue / 1000 || since1970 < long.MinValue / 1000)) throw PgCopyErrors.DateOutOfRange(column);
                ((PrimitiveVector<long>)column.Vector).Append(ValueConverter.TruncateToPrecision(column.NanoTime ? since1970 * 1000 : since1970, column.Type));
                return;
            case PgCopyKind.IntervalDayTime or PgCopyKind.IntervalYearMonth:
                AppendInterval(column, s);
                return;
            default:
                // Arrays, rows and the rest travel as their text form.
                if (!Utf8.IsValid(s)) throw PgCopyErrors.BadEncoding(s);
                PgCopyTextValues.Append(column, s);
                return;
        }
    }

    private static long Integer(PgCopyColumn column, ReadOnlySpan<byte> s, long min, long max)
    {
        long value = s.Length switch
        {
            2 => BinaryPrimitives.ReadInt16BigEndian(s),
            4 => BinaryPrimitives.ReadInt32BigEndian(s),
            8 => BinaryPrimitives.ReadInt64BigEndian(s),
            1 => (sbyte)s[0],
            _ => throw PgCopyErrors.BinaryLength(column, s.Length),
        };
        if (value < min || value > max)
            throw new TarnException(SqlStates.NumericValueOutOfRange, $"value {value} is out of range for type {column.PgTypeName}");
        return value;
    }

    private static double Float(PgCopyColumn column, ReadOnlySpan<byte> s) => s.Length switch
    {
        4 => BinaryPrimitives.ReadSingleBigEndian(s),
        8 => BinaryPrimitives.ReadDoubleBigEndian(s),
        _ => throw PgCopyErrors.BinaryLength(column, s.Length),
    };

    private static Int128 Numeric(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        if (s.Length < 8) throw PgCopyErrors.BinaryLength(column, s.Length);
        decimal value;
        try
        {
            value = PgNumericBinary.Read(s);
        }
        catch (OverflowException)
        {
            throw PgCopyErrors.NumericOverflow(column);
        }
        catch (PgProtocolException)
        {
            throw PgCopyErrors.BinaryLength(column, s.Length);
        }
        return PgCopyTextValues.ToUnscaled(column, value);
    }

    /// <summary>int64 microseconds, int32 days, int32 months; a day-time interval takes the first two, a year-month one the months.</summary>
    private static void AppendInterval(PgCopyColumn column, ReadOnlySpan<byte> s)
    {
        if (s.Length != 16) throw PgCopyErrors.BinaryLength(column, s.Length);
        var micros = BinaryPrimitives.ReadInt64BigEndian(s);
        var days = BinaryPrimitives.ReadInt32BigEndian(s[8..]);
        var months = BinaryPrimitives.ReadInt32BigEndian(s[12..]);
        if (column.Kind == PgCopyKind.IntervalYearMonth)
        {
            if (micros != 0 || days != 0) throw new TarnException(SqlStates.InvalidTextRepresentation, "an INTERVAL YEAR TO MONTH value cannot hold days or time");
            ((PrimitiveVector<int>)column.Vector).Append(months);
            return;
        }
        if (months != 0) throw new TarnException(SqlStates.InvalidTextRepresentation, "an INTERVAL DAY TO SECOND value cannot hold months");
        ((PrimitiveVector<long>)column.Vector).Append(checked(micros + days * 86_400_000_000L));
    }
}
