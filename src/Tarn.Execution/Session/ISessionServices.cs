namespace Tarn.Execution.Session;

/// <summary>
/// What the session-reading functions need from the session running the query: option values for
/// <c>CURRENT_SETTING</c> and the session's sequence state for <c>NEXTVAL</c>/<c>CURRVAL</c>.
/// </summary>
public interface ISessionServices
{
    /// <summary>The option's current value, or its default; throws 42704 for an option that does not exist.</summary>
    string Setting(string name);

    /// <summary>Advances the named sequence (resolved against the session's current catalog and database).</summary>
    long NextValue(string sequence);

    /// <summary>The value NEXTVAL last returned for the sequence in this session; 55000 when there is none.</summary>
    long CurrentValue(string sequence);
}
