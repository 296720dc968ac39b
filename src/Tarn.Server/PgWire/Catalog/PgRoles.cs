namespace Tarn.Server.PgWire.Catalog;

/// <summary>
/// Who a PostgreSQL connection is: the authenticated user (SCRAM), or under trust (no user in the catalog) the user
/// name of the startup packet, who acts as the owner and so is a superuser. <c>current_user</c>, <c>session_user</c>,
/// ParameterStatus <c>is_superuser</c>/<c>session_authorization</c> and <c>SHOW</c> of them report it.
/// </summary>
internal sealed record PgSessionUser(string Name, bool IsSuperuser)
{
    /// <summary>The connection's user: the session's principal, else the trust-mode name (or the owner's when none was sent).</summary>
    public static PgSessionUser Of(TarnSession session, string? trustName) =>
        new(session.Principal?.UserName ?? (string.IsNullOrEmpty(trustName) ? PgCatalogSnapshot.Owner : trustName), session.IsSuperuser);
}

/// <summary>A role as pg_roles, pg_user and psql's <c>\du</c> show it.</summary>
internal sealed record PgRole(int Oid, string Name, bool IsSuperuser);

/// <summary>
/// The roles the endpoint shows: the owner role <c>tarn</c> (OID 10, PostgreSQL's bootstrap superuser, which owns every
/// object), Tarn's users (CREATE USER), and under trust the connection's own user name, a superuser.
/// </summary>
internal static class PgRoles
{
    public static IReadOnlyList<PgRole> Of(TarnSession session, PgSessionUser user)
    {
        var roles = new List<PgRole> { new(PgOids.OwnerRole, PgCatalogSnapshot.Owner, true) };
        foreach (var u in session.CatalogSnapshot.Security.Users) Add(roles, u.Name, u.IsSuperuser);
        Add(roles, user.Name, user.IsSuperuser);
        roles.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return roles;
    }

    private static void Add(List<PgRole> roles, string name, bool superuser)
    {
        foreach (var r in roles) if (string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)) return;
        roles.Add(new PgRole(PgOids.Stable("role", "", "", name), name, superuser));
    }
}
