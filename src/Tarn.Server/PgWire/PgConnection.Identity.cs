using Tarn.Server.PgWire.Catalog;

namespace Tarn.Server.PgWire;

/// <summary>
/// Who the connection is: the authenticated principal of its session, or under trust (no users) the startup packet's
/// user name, which current_user, session_user, pg_roles and ParameterStatus report.
/// </summary>
internal sealed partial class PgConnection
{
    private string? _trustUserName;

    private PgSessionUser SessionUser => PgSessionUser.Of(_session, _trustUserName);
}
