using Tarn.Catalog;
using Tarn.Execution.Session;

namespace Tarn.Internal;

/// <summary>
/// CURRENT_SETTING, NEXTVAL and CURRVAL for queries of one session: option values with their defaults, sequence
/// names resolved against the session's current catalog and database, and the session's last value per sequence.
/// </summary>
internal sealed class SessionServices(TarnSession session) : ISessionServices
{
    public string Setting(string name) =>
        session.GetOption(name) ?? SessionSettingDefaults.Find(name)
        ?? throw new TarnException(SqlStates.UndefinedObject, $"unrecognized configuration parameter '{name}'");

    public long NextValue(string sequence)
    {
        var path = Resolve(sequence);
        var value = session.Core.Catalog.NextSequenceValue(path);
        session.SetSequenceValue(path.ToString(), value);
        return value;
    }

    public long CurrentValue(string sequence)
    {
        var path = Resolve(sequence);
        if (session.Core.Catalog.FindSequence(path) is null)
            throw new TarnException(SqlStates.UndefinedTable, $"sequence '{path}' does not exist");
        return session.GetSequenceValue(path.ToString())
            ?? throw new TarnException(SqlStates.ObjectNotInPrerequisiteState, $"currval of sequence '{path}' is not yet defined in this session");
    }

    /// <summary>'name', 'database.name' or 'catalog.database.name' (unquoted parts, as PostgreSQL's regclass text).</summary>
    private ObjectPath Resolve(string name)
    {
        var parts = name.Split('.');
        return parts.Length switch
        {
            1 => new ObjectPath(session.CurrentCatalog, session.CurrentDatabase, parts[0]),
            2 => new ObjectPath(session.CurrentCatalog, parts[0], parts[1]),
            3 => new ObjectPath(parts[0], parts[1], parts[2]),
            _ => throw new TarnException(SqlStates.InvalidParameterValue, $"invalid sequence name '{name}'"),
        };
    }
}
