namespace Tarn.Execution.Text;

/// <summary>Conversions between UTC instants and wall-clock times of a zone, in microseconds since the epoch.</summary>
public static class TimeZones
{
    private static readonly long s_epochTicks = DateTime.UnixEpoch.Ticks;

    public static long UtcToLocalMicros(long utcMicros, TimeZoneInfo zone)
    {
        if (zone == TimeZoneInfo.Utc) return utcMicros;
        var ticks = s_epochTicks + utcMicros * 10;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return utcMicros;
        var offset = zone.GetUtcOffset(new DateTime(ticks, DateTimeKind.Utc));
        return utcMicros + offset.Ticks / 10;
    }

    /// <summary>Wall-clock time in <paramref name="zone"/> to UTC; a time in a DST gap or overlap uses the standard offset.</summary>
    public static long LocalToUtcMicros(long localMicros, TimeZoneInfo zone)
    {
        if (zone == TimeZoneInfo.Utc) return localMicros;
        var ticks = s_epochTicks + localMicros * 10;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return localMicros;
        var local = new DateTime(ticks, DateTimeKind.Unspecified);
        var offset = zone.IsInvalidTime(local) ? zone.BaseUtcOffset : zone.GetUtcOffset(local);
        return localMicros - offset.Ticks / 10;
    }
}
