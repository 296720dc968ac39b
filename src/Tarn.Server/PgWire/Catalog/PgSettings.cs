namespace Tarn.Server.PgWire.Catalog;

/// <summary>
/// The PostgreSQL run-time settings the endpoint reports (SHOW name, current_setting, pg_settings): the values it
/// announces in ParameterStatus plus the few clients and BI tools ask for. Read-only: SET of these is accepted and ignored.
/// </summary>
internal static class PgSettings
{
    public const string VersionText = "PostgreSQL " + PgServerParameters.ServerVersion + " on x86_64-pc-linux-gnu, compiled by .NET, 64-bit";

    // name, value, category, short description, vartype
    public static readonly IReadOnlyList<(string Name, string Value, string Category, string Description, string Type)> All =
    [
        ("application_name", "", "Reporting and Logging", "Sets the application name to be reported in statistics and logs.", "string"),
        ("client_encoding", "UTF8", "Client Connection Defaults", "Sets the client's character set encoding.", "string"),
        ("DateStyle", "ISO, MDY", "Client Connection Defaults", "Sets the display format for date and time values.", "string"),
        ("default_transaction_isolation", "read committed", "Client Connection Defaults", "Sets the transaction isolation level of each new transaction.", "enum"),
        ("default_transaction_read_only", "off", "Client Connection Defaults", "Sets the default read-only status of new transactions.", "bool"),
        ("integer_datetimes", "on", "Preset Options", "Shows whether datetimes are integer based.", "bool"),
        ("IntervalStyle", "postgres", "Client Connection Defaults", "Sets the display format for interval values.", "enum"),
        ("is_superuser", "on", "Preset Options", "Shows whether the current user is a superuser.", "bool"),
        ("session_authorization", PgCatalogSnapshot.Owner, "Preset Options", "Sets the session user name.", "string"),
        ("lc_collate", "C", "Preset Options", "Shows the collation order locale.", "string"),
        ("lc_ctype", "C", "Preset Options", "Shows the character classification and case conversion locale.", "string"),
        ("max_identifier_length", "63", "Preset Options", "Shows the maximum identifier length.", "integer"),
        ("search_path", "\"$user\", public", "Client Connection Defaults", "Sets the schema search order for names that are not schema-qualified.", "string"),
        ("server_encoding", "UTF8", "Preset Options", "Shows the server (database) character set encoding.", "string"),
        ("server_version", PgServerParameters.ServerVersion, "Preset Options", "Shows the server version.", "string"),
        ("server_version_num", ServerVersionNumber(), "Preset Options", "Shows the server version as an integer.", "integer"),
        ("standard_conforming_strings", "on", "Version and Platform Compatibility", "Causes '...' strings to treat backslashes literally.", "bool"),
        ("TimeZone", "UTC", "Client Connection Defaults", "Sets the time zone for displaying and interpreting time stamps.", "string"),
        ("transaction_isolation", "read committed", "Client Connection Defaults", "Sets the current transaction's isolation level.", "enum"),
        ("transaction_read_only", "off", "Client Connection Defaults", "Sets the current transaction's read-only status.", "bool"),
    ];

    /// <summary>
    /// The setting's value, by PostgreSQL's case-insensitive name ("transaction isolation level" included); with a
    /// <paramref name="user"/>, is_superuser and session_authorization are the connection's.
    /// </summary>
    public static (string Name, string Value)? Find(string name, PgSessionUser? user = null)
    {
        var key = string.Equals(name, "transaction isolation level", StringComparison.OrdinalIgnoreCase) ? "transaction_isolation" : name;
        foreach (var s in All) if (string.Equals(s.Name, key, StringComparison.OrdinalIgnoreCase)) return (s.Name, ValueFor(s.Name, s.Value, user));
        return null;
    }

    /// <summary>Whether the setting's value is the connection's (see <see cref="ValueFor"/>).</summary>
    public static bool DependsOnUser(string name) => name is "is_superuser" or "session_authorization";

    /// <summary>A setting's value for the connection of <paramref name="user"/> (the static value when null).</summary>
    public static string ValueFor(string name, string value, PgSessionUser? user) => (name, user) switch
    {
        (_, null) => value,
        ("is_superuser", _) => user.IsSuperuser ? "on" : "off",
        ("session_authorization", _) => user.Name,
        _ => value,
    };

    /// <summary>"16.0 (Tarn)" → "160000", as PostgreSQL spells server_version_num.</summary>
    private static string ServerVersionNumber()
    {
        var version = PgServerParameters.ServerVersion;
        var end = 0;
        while (end < version.Length && (char.IsAsciiDigit(version[end]) || version[end] == '.')) end++;
        var parts = version[..end].Split('.', StringSplitOptions.RemoveEmptyEntries);
        var major = parts.Length > 0 ? int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var minor = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (major * 10000 + minor).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
