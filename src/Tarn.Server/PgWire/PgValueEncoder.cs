using System.Globalization;
using System.Text;

namespace Tarn.Server.PgWire;

/// <summary>
/// Writes one result value in PostgreSQL's text or binary format for its type OID (see <see cref="PgTypeOids"/>).
/// Values arrive as the CLR objects the facade hands out (long, decimal, DateOnly, DateTime, ...).
/// </summary>
internal static class PgValueEncoder
{
    private static readonly DateTime PgEpoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
    private static readonly DateOnly PgEpochDate = new(2000, 1, 1);

    public static void WriteBinary(PgMessageWriter w, int oid, object value)
    {
        switch (oid)
        {
            case PgTypeOids.Bool: w.WriteByte((bool)value ? (byte)1 : (byte)0); return;
            case PgTypeOids.Int2: w.WriteInt16(Convert.ToInt16(value, CultureInfo.InvariantCulture)); return;
            case PgTypeOids.Int4: w.WriteInt32(Convert.ToInt32(value, CultureInfo.InvariantCulture)); return;
            case PgTypeOids.Int8: w.WriteInt64(Convert.ToInt64(value, CultureInfo.InvariantCulture)); return;
            case PgTypeOids.Float4: w.WriteInt32(BitConverter.SingleToInt32Bits(Convert.ToSingle(value, CultureInfo.InvariantCulture))); return;
            case PgTypeOids.Float8: w.WriteInt64(BitConverter.DoubleToInt64Bits(Convert.ToDouble(value, CultureInfo.InvariantCulture))); return;
            case PgTypeOids.Numeric: PgNumericBinary.Write(w, Convert.ToDecimal(value, CultureInfo.InvariantCulture)); return;
            case PgTypeOids.Bytea: w.WriteBytes((byte[])value); return;
            case PgTypeOids.Date: w.WriteInt32(((DateOnly)value).DayNumber - PgEpochDate.DayNumber); return;
            case PgTypeOids.Time: w.WriteInt64(((TimeOnly)value).Ticks / 10); return;
            case PgTypeOids.Timestamp: w.WriteInt64((((DateTime)value).Ticks - PgEpoch.Ticks) / 10); return;
            case PgTypeOids.TimestampTz: w.WriteInt64((((DateTimeOffset)value).UtcTicks - PgEpoch.Ticks) / 10); return;
            case PgTypeOids.Interval:
                if (value is TimeSpan span) { w.WriteInt64(span.Ticks / 10); w.WriteInt32(0); w.WriteInt32(0); }
                else { w.WriteInt64(0); w.WriteInt32(0); w.WriteInt32(Convert.ToInt32(value, CultureInfo.InvariantCulture)); }
                return;
            default: w.WriteText(FormatText(oid, value)); return; // text-like types: binary == UTF-8 text
        }
    }

    public static void WriteText(PgMessageWriter w, int oid, object value) => w.WriteText(FormatText(oid, value));

    public static string FormatText(int oid, object value) => value switch
    {
        bool b => b ? "t" : "f",
        float f => FormatFloat(f, oid),
        double d => FormatDouble(d),
        byte[] bytes when oid == PgTypeOids.Bytea => "\\x" + Convert.ToHexStringLower(bytes),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "+00",
        TimeSpan ts => FormatInterval(ts),
        int months when oid == PgTypeOids.Interval => $"{months / 12} years {months % 12} mons",
        long months when oid == PgTypeOids.Interval => $"{months / 12} years {months % 12} mons",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list and not string => FormatArray(list),
        _ => value.ToString() ?? "",
    };

    private static string FormatFloat(float f, int oid) => float.IsNaN(f) ? "NaN"
        : float.IsPositiveInfinity(f) ? "Infinity"
        : float.IsNegativeInfinity(f) ? "-Infinity"
        : oid == PgTypeOids.Float8 ? ((double)f).ToString("R", CultureInfo.InvariantCulture) : f.ToString("R", CultureInfo.InvariantCulture);

    private static string FormatDouble(double d) => double.IsNaN(d) ? "NaN"
        : double.IsPositiveInfinity(d) ? "Infinity"
        : double.IsNegativeInfinity(d) ? "-Infinity"
        : d.ToString("R", CultureInfo.InvariantCulture);

    private static string FormatInterval(TimeSpan ts)
    {
        var sign = ts < TimeSpan.Zero ? "-" : "";
        var abs = ts.Duration();
        var days = abs.Days;
        var clock = $"{sign}{abs.Hours:00}:{abs.Minutes:00}:{abs.Seconds:00}";
        var micros = abs.Ticks % TimeSpan.TicksPerSecond / 10;
        if (micros != 0) clock += "." + micros.ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0');
        return days == 0 ? clock : $"{sign}{days} days {clock}";
    }

    private static string FormatArray(System.Collections.IEnumerable list)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var item in list)
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append(item is null ? "NULL" : FormatText(PgTypeOids.Text, item));
        }
        return sb.Append('}').ToString();
    }
}
