namespace Tarn.Server.PgWire;

/// <summary>
/// The ParameterStatus values sent after authentication. Npgsql needs server_version (numeric first) and
/// integer_datetimes=on; psql shows server_version in its banner.
/// </summary>
internal static class PgServerParameters
{
    public const string ServerVersion = "16.0 (Tarn)";

    public static IEnumerable<(string Name, string Value)> For(IReadOnlyDictionary<string, string> startup, Catalog.PgSessionUser user)
    {
        yield return ("server_version", ServerVersion);
        yield return ("server_encoding", "UTF8");
        yield return ("client_encoding", "UTF8");
        yield return ("DateStyle", "ISO, MDY");
        yield return ("IntervalStyle", "postgres");
        yield return ("integer_datetimes", "on");
        yield return ("standard_conforming_strings", "on");
        yield return ("TimeZone", "UTC");
        yield return ("is_superuser", user.IsSuperuser ? "on" : "off");
        yield return ("session_authorization", user.Name);
        yield return ("application_name", startup.GetValueOrDefault("application_name") ?? "");
    }
}
