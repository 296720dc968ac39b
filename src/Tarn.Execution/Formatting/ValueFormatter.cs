using Tarn.Execution.Expressions;
using Tarn.Execution.Text;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Formatting;

/// <summary>
/// Display text of values, as Flink's SQL client prints them (and as CAST(x AS STRING) produces them):
/// <list type="bullet">
/// <item>NULL → <c>null</c> (the caller chooses how to show it, e.g. "NULL");</item>
/// <item>BOOLEAN → <c>TRUE</c>/<c>FALSE</c>; integers plain; DECIMAL exact with all its scale digits (<c>1.50</c>);</item>
/// <item>FLOAT/DOUBLE → shortest round-trip digits in Java's layout (<c>1.0</c>, <c>0.001</c>, <c>1.0E7</c>, <c>NaN</c>);</item>
/// <item>DATE <c>2024-01-31</c>; TIME <c>10:00:00</c>; TIMESTAMP <c>2024-01-01 10:00:00.123456</c> — the fraction always
/// has the type's precision digits (TIMESTAMP(3) shows <c>.000</c>, TIMESTAMP(0) none), as Flink's
/// TimestampStringUtils does; TIMESTAMP_LTZ is shown in the session time zone;</item>
/// <item>BINARY/BYTES → <c>x'0a1b'</c>; INTERVAL → <c>+1 02:03:04.000</c> / <c>+1-02</c>.</item>
/// </list>
/// </summary>
public static class ValueFormatter
{
    public static string? Format(ColumnVector v, int row, TimeZoneInfo? sessionZone = null) =>
        v.IsNull(row) ? null : FormatPhysical(v.Type, PhysicalValues.Get(v, row), sessionZone);

    /// <summary>Formats a value in physical form (see <c>BoundLiteral</c>).</summary>
    public static string? FormatPhysical(DataType type, object? value, TimeZoneInfo? sessionZone = null)
    {
        if (value is null) return null;
        return type.Kind switch
        {
            TypeKind.Boolean => (bool)value ? "TRUE" : "FALSE",
            TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt =>
                Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            TypeKind.Float => NumberText.FormatFloat((float)value),
            TypeKind.Double => NumberText.FormatDouble((double)value),
            TypeKind.Decimal => NumberText.FormatDecimal(value is long l ? l : (Int128)value, type.Scale),
            TypeKind.Char or TypeKind.Varchar => (string)value,
            TypeKind.Binary or TypeKind.Varbinary => "x'" + Convert.ToHexStringLower((byte[])value) + "'",
            TypeKind.Date => DateTimeText.FormatDate((int)value),
            TypeKind.Time => DateTimeText.FormatTime((long)value, type),
            TypeKind.Timestamp => DateTimeText.FormatTimestamp((long)value, type),
            TypeKind.TimestampLtz => new TimestampText(type, sessionZone ?? TimeZoneInfo.Utc).Format((long)value),
            TypeKind.IntervalDayTime => ValueFormatting.FormatInterval((long)value, yearMonth: false),
            TypeKind.IntervalYearMonth => ValueFormatting.FormatInterval((int)value, yearMonth: true),
            TypeKind.Array => FormatArray(type.Element!, (byte[])value, sessionZone),
            _ => null,
        };
    }

    /// <summary>ARRAY as <c>[1, 2, NULL]</c> (elements as above, nested arrays likewise).</summary>
    private static string FormatArray(DataType element, byte[] encoded, TimeZoneInfo? sessionZone)
    {
        var parts = ArrayValues.ToPhysical(encoded, element);
        var texts = new string[parts.Length];
        for (var i = 0; i < parts.Length; i++) texts[i] = FormatPhysical(element, parts[i], sessionZone) ?? "NULL";
        return "[" + string.Join(", ", texts) + "]";
    }
}
