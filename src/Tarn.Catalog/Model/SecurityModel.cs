namespace Tarn.Catalog.Model;

/// <summary>What a grant allows on a table (PostgreSQL's table privileges that Tarn checks).</summary>
[Flags]
public enum TablePrivileges
{
    None = 0,
    Select = 1,
    Insert = 2,
    Update = 4,
    Delete = 8,
    All = Select | Insert | Update | Delete,
}

/// <summary>
/// A SCRAM-SHA-256 verifier (RFC 5802/7677): the salt, the PBKDF2 iteration count, StoredKey = H(ClientKey) and
/// ServerKey. Enough to check a client's proof and to prove the server to it; the password itself is never kept.
/// </summary>
public sealed record ScramVerifier(byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey);

/// <summary>A user that can log in over the server endpoints; a superuser bypasses grants.</summary>
public sealed record UserDef(string Name, bool IsSuperuser, ScramVerifier Verifier);

/// <summary>Privileges of one user on one table or view.</summary>
public sealed record GrantDef(string User, ObjectPath Object, TablePrivileges Privileges);

/// <summary>Users and grants (catalog image version 6). Names compare case-insensitively.</summary>
public sealed record SecurityDef(IReadOnlyList<UserDef> Users, IReadOnlyList<GrantDef> Grants)
{
    public static readonly SecurityDef Empty = new([], []);

    public bool IsEmpty => Users.Count == 0 && Grants.Count == 0;

    public UserDef? FindUser(string name)
    {
        foreach (var u in Users) if (string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)) return u;
        return null;
    }

    /// <summary>The privileges <paramref name="user"/> holds on <paramref name="path"/>.</summary>
    public TablePrivileges PrivilegesOf(string user, ObjectPath path)
    {
        var p = TablePrivileges.None;
        foreach (var g in Grants)
            if (string.Equals(g.User, user, StringComparison.OrdinalIgnoreCase) && SamePath(g.Object, path)) p |= g.Privileges;
        return p;
    }

    public static bool SamePath(ObjectPath a, ObjectPath b) =>
        string.Equals(a.Catalog, b.Catalog, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Database, b.Database, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase);
}
