using Tarn.Catalog.Model;
using Tarn.Internal;

namespace Tarn;

public sealed partial class TarnSession
{
    internal TarnSession(DatabaseCore core, TarnPrincipal? principal) : this(core) => Principal = principal;

    /// <summary>The authenticated user this session acts for, or null for the owner (embedded API, console): no checks.</summary>
    public TarnPrincipal? Principal { get; }

    /// <summary>True when the session bypasses grants: no principal, or a principal that is a superuser.</summary>
    public bool IsSuperuser => Principal is null || Core.Catalog.FindUser(Principal.UserName) is { IsSuperuser: true };

    /// <summary>
    /// Whether the session may <paramref name="privilege"/> the table or view <paramref name="table"/> ('name',
    /// 'database.name' or 'catalog.database.name'), for callers that do not go through SQL (the Kafka endpoint).
    /// </summary>
    public bool HasTablePrivilege(string table, TablePrivileges privilege)
    {
        if (IsSuperuser) return true;
        var path = TarnDatabase.ResolveTable(this, table);
        return (Core.Catalog.Current.Security.PrivilegesOf(Principal!.UserName, path) & privilege) == privilege;
    }
}
