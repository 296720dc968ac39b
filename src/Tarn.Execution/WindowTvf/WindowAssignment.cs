using Tarn.Execution.Text;
using Tarn.Planner.Logical;
using Tarn.Types;

namespace Tarn.Execution.WindowTvf;

/// <summary>
/// Which windows a row falls in, for the window table-valued functions (Flink's TimeWindow and window assigners,
/// in epoch milliseconds). Shared by the batch operators and the streaming runtime. A row's windows are numbered
/// 0..<see cref="Count"/>-1 in Flink's order: HOP from the latest start back, CUMULATE from the first end forward.
/// </summary>
public static class WindowAssignment
{
    /// <summary>Start of the window of <paramref name="size"/> aligned to <paramref name="offset"/> that holds <paramref name="time"/>.</summary>
    public static long WindowStart(long time, long offset, long size) => time - FloorMod(time - offset, size);

    /// <summary>How many windows of the TUMBLE, HOP or CUMULATE function hold <paramref name="time"/>.</summary>
    public static int Count(WindowTvfKind kind, long time, long size, long step, long offset)
    {
        switch (kind)
        {
            case WindowTvfKind.Tumble:
                return 1;
            case WindowTvfKind.Hop:
            {
                // Starts lastStart, lastStart - slide, ... while start > time - size.
                var span = WindowStart(time, offset, step) - time + size;
                return span <= 0 ? 0 : (int)((span + step - 1) / step);
            }
            case WindowTvfKind.Cumulate:
            {
                var start = WindowStart(time, offset, size);
                return (int)(size / step - (time - start) / step);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "SESSION windows depend on neighbouring rows");
        }
    }

    /// <summary>The <paramref name="index"/>-th window (see <see cref="Count"/>) that holds <paramref name="time"/>.</summary>
    public static (long Start, long End) Window(WindowTvfKind kind, long time, long size, long step, long offset, int index)
    {
        switch (kind)
        {
            case WindowTvfKind.Tumble:
            {
                var start = WindowStart(time, offset, size);
                return (start, start + size);
            }
            case WindowTvfKind.Hop:
            {
                var start = WindowStart(time, offset, step) - index * step;
                return (start, start + size);
            }
            default:
            {
                var start = WindowStart(time, offset, size);
                var firstEnd = WindowStart(time, offset, step) + step;
                return (start, firstEnd + index * step);
            }
        }
    }

    private static long FloorMod(long x, long m)
    {
        var r = x % m;
        return r < 0 ? r + m : r;
    }
}

/// <summary>
/// Converts between a time column's stored units and the millisecond clock windows are computed on: TIMESTAMP(p)
/// values as wall-clock milliseconds; TIMESTAMP_LTZ(p) instants as wall-clock milliseconds in the session time zone
/// (Flink aligns windows of TIMESTAMP_LTZ columns to local days and hours). Sub-millisecond digits are dropped.
/// </summary>
public readonly struct WindowClock
{
    private readonly long _unitsPerMilli;
    private readonly TimeZoneInfo? _zone;

    public WindowClock(DataType timeType, TimeZoneInfo sessionZone)
    {
        _unitsPerMilli = timeType.Precision > 6 ? 1_000_000 : 1_000;
        _zone = timeType.Kind == TypeKind.TimestampLtz && !ReferenceEquals(sessionZone, TimeZoneInfo.Utc) ? sessionZone : null;
        IsLtz = timeType.Kind == TypeKind.TimestampLtz;
    }

    public bool IsLtz { get; }

    /// <summary>The window clock's milliseconds for a stored time value.</summary>
    public long ToMillis(long units)
    {
        var millis = Math.DivRem(units, _unitsPerMilli, out var rem);
        if (rem < 0) millis--;
        return _zone is null ? millis : FloorMillis(TimeZones.UtcToLocalMicros(millis * 1000, _zone));
    }

    /// <summary>window_time (end - 1 ms) in microseconds: a local TIMESTAMP(3), or the UTC instant for TIMESTAMP_LTZ.</summary>
    public long WindowTimeMicros(long windowEndMillis)
    {
        var micros = windowEndMillis * 1000;
        if (_zone is not null) micros = TimeZones.LocalToUtcMicros(micros, _zone);
        return micros - 1000;
    }

    private static long FloorMillis(long micros) => micros >= 0 ? micros / 1000 : (micros - 999) / 1000;
}
