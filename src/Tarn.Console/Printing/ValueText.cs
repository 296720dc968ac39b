using Tarn.Execution.Formatting;
using Tarn.Vectors;

namespace Tarn.Console.Printing;

/// <summary>
/// The text of one value for display, null for SQL NULL: exactly what CAST(x AS STRING) gives (Flink's layout, see
/// <see cref="ValueFormatter"/>), with TIMESTAMP_LTZ shown in the session's time zone.
/// </summary>
internal static class ValueText
{
    public static string? Format(ColumnVector vector, int row, TimeZoneInfo timeZone) =>
        ValueFormatter.Format(vector, row, timeZone);
}
