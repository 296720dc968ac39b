using Tarn.Catalog.Model;
using Tarn.Storage.Log;

namespace Tarn.Catalog;

/// <summary>Users and grants: each change is one catalog commit like any DDL (storage-spec/09-catalog.md, CAT-007).</summary>
public sealed partial class CatalogManager
{
    public UserDef? FindUser(string name) => _image.Security.FindUser(name);

    /// <summary>True once some user exists: the server endpoints then require authentication.</summary>
    public bool HasUsers => _image.Security.Users.Count > 0;

    public Task CreateUserAsync(string name, bool superuser, ScramVerifier verifier) => DdlAsync(image =>
    {
        var s = image.Security;
        if (s.FindUser(name) is not null) throw new TarnException(SqlStates.DuplicateObject, $"role \"{name}\" already exists");
        return (image with { Security = s with { Users = [.. s.Users, new UserDef(name, superuser, verifier)] } }, new List<LogOp>(), true);
    });

    /// <summary>Changes a user's password and/or superuser flag (null = unchanged).</summary>
    public Task AlterUserAsync(string name, ScramVerifier? verifier, bool? superuser) => DdlAsync(image =>
    {
        var s = image.Security;
        var u = s.FindUser(name) ?? throw UnknownUser(name);
        var updated = u with { Verifier = verifier ?? u.Verifier, IsSuperuser = superuser ?? u.IsSuperuser };
        return (image with { Security = s with { Users = s.Users.Select(x => ReferenceEquals(x, u) ? updated : x).ToList() } }, new List<LogOp>(), true);
    });

    /// <summary>Drops a user and its grants.</summary>
    public Task DropUserAsync(string name, bool ifExists) => DdlAsync(image =>
    {
        var s = image.Security;
        var u = s.FindUser(name);
        if (u is null)
        {
            if (ifExists) return (image, [], true);
            throw UnknownUser(name);
        }
        var security = new SecurityDef(
            s.Users.Where(x => !ReferenceEquals(x, u)).ToList(),
            s.Grants.Where(g => !string.Equals(g.User, u.Name, StringComparison.OrdinalIgnoreCase)).ToList());
        return (image with { Security = security }, new List<LogOp>(), true);
    });

    /// <summary>Adds (<paramref name="grant"/>) or removes privileges of a user on tables or views, which must exist.</summary>
    public Task ChangeGrantsAsync(string user, IReadOnlyList<ObjectPath> objects, TablePrivileges privileges, bool grant) => DdlAsync(image =>
    {
        var s = image.Security;
        var u = s.FindUser(user) ?? throw UnknownUser(user);
        var grants = s.Grants.ToList();
        foreach (var path in objects)
        {
            var database = image.FindCatalog(path.Catalog)?.FindDatabase(path.Database);
            if (database?.FindTable(path.Name) is null && database?.FindView(path.Name) is null)
                throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist");
            var current = s.PrivilegesOf(u.Name, path);
            grants.RemoveAll(g => string.Equals(g.User, u.Name, StringComparison.OrdinalIgnoreCase) && SecurityDef.SamePath(g.Object, path));
            var next = grant ? current | privileges : current & ~privileges;
            if (next != TablePrivileges.None) grants.Add(new GrantDef(u.Name, path, next));
            s = s with { Grants = grants.ToList() };
        }
        return (image with { Security = s }, new List<LogOp>(), true);
    });

    /// <summary>A dropped table or view takes its grants along, so a new object of the same name starts with none.</summary>
    private static CatalogImage WithoutGrantsOn(CatalogImage image, ObjectPath path)
    {
        var s = image.Security;
        if (s.Grants.Count == 0) return image;
        return image with { Security = s with { Grants = s.Grants.Where(g => !SecurityDef.SamePath(g.Object, path)).ToList() } };
    }

    private static TarnException UnknownUser(string name) => new(SqlStates.UndefinedObject, $"role \"{name}\" does not exist");
}
