namespace Tarn;

/// <summary>
/// The user a session acts for, once a server endpoint has authenticated it (see <see cref="TarnDatabase.CreateSession(TarnPrincipal)"/>).
/// Its rights are looked up in the catalog at every statement, so GRANT, REVOKE, ALTER USER and DROP USER take effect
/// for connected sessions at once. A session without a principal (embedded API, console) is the database's owner.
/// </summary>
public sealed record TarnPrincipal(string UserName);
