using Tarn.Execution.Text;
using Tarn.Types;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// TIMESTAMP text as UTF-8 bytes in a caller's buffer, byte for byte what <see cref="DateTimeText.FormatTimestamp"/>
/// returns (<c>2024-05-01 12:30:00.000</c>: the fraction has the type's precision digits plus any further non-zero
/// ones), without the string and StringBuilder it allocates: the SQLite sink binds millions of these.
/// </summary>
internal static class SqliteTimestampText
{
    /// <summary>The longest text: <c>yyyy-MM-dd HH:mm:ss.fffffffff</c>.</summary>
    public const int MaxLength = 29;

    /// <summary>Writes the text of <paramref name="units"/> and returns its length, or -1 for a year outside 0..9999 (use the general formatter).</summary>
    public static int TryFormat(long units, DataType type, Span<byte> destination)
    {
        var perDay = 86_400L * type.TimeUnitsPerSecond;
        var days = CivilDate.FloorDiv(units, perDay);
        var inDay = units - days * perDay;
        CivilDate.FromDays(days, out var year, out var month, out var day);
        if (year is < 0 or > 9999 || destination.Length < MaxLength) return -1;
        var nanosOfDay = DateTimeText.UnitsToNanos(inDay, type);
        var seconds = nanosOfDay / 1_000_000_000L;
        var nanos = nanosOfDay % 1_000_000_000L;
        Digits(destination, 0, year, 4);
        destination[4] = (byte)'-';
        Digits(destination, 5, month, 2);
        destination[7] = (byte)'-';
        Digits(destination, 8, day, 2);
        destination[10] = (byte)' ';
        Digits(destination, 11, seconds / 3600, 2);
        destination[13] = (byte)':';
        Digits(destination, 14, seconds / 60 % 60, 2);
        destination[16] = (byte)':';
        Digits(destination, 17, seconds % 60, 2);
        Digits(destination, 20, nanos, 9);
        var length = 9;
        while (length > type.Precision && destination[20 + length - 1] == (byte)'0') length--;
        if (length == 0) return 19;
        destination[19] = (byte)'.';
        return 20 + length;
    }

    private static void Digits(Span<byte> destination, int at, long value, int width)
    {
        for (var i = at + width - 1; i >= at; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
