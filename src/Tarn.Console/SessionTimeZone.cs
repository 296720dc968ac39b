namespace Tarn.Console;

/// <summary>
/// The time zone TIMESTAMP_LTZ values are shown in: the session's <c>table.local-time-zone</c> option, UTC when it
/// is unset or unknown (the engine's own default).
/// </summary>
internal static class SessionTimeZone
{
    public const string OptionName = "table.local-time-zone";

    public static TimeZoneInfo Of(TarnSession session)
    {
        if (!session.Options.TryGetValue(OptionName, out var name) || string.IsNullOrEmpty(name) || name is "UTC" or "utc" or "Z")
            return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
