using Tarn.Storage.Format;

namespace Tarn.Catalog.Model;

/// <summary>Version 6 of the catalog image: users (SCRAM-SHA-256 verifiers) and table grants (storage-spec/09-catalog.md, CAT-007..CAT-009).</summary>
public static partial class CatalogCodec
{
    /// <summary>The first version that holds users and grants, after the catalogs [CAT-007].</summary>
    public const byte SecurityVersion = 6;

    /// <summary>SHA-256 output length: StoredKey and ServerKey are exactly this long [CAT-008].</summary>
    private const int ScramKeyBytes = 32;

    private static void WriteSecurity(ByteWriter w, SecurityDef security)
    {
        w.WriteVarUInt((ulong)security.Users.Count);
        foreach (var u in security.Users)
        {
            w.WriteString(u.Name);
            w.WriteBool(u.IsSuperuser);
            w.WriteBlob(u.Verifier.Salt);
            w.WriteVarUInt((ulong)u.Verifier.Iterations);
            w.WriteBytes(u.Verifier.StoredKey);
            w.WriteBytes(u.Verifier.ServerKey);
        }
        w.WriteVarUInt((ulong)security.Grants.Count);
        foreach (var g in security.Grants)
        {
            w.WriteString(g.User);
            w.WriteString(g.Object.Catalog);
            w.WriteString(g.Object.Database);
            w.WriteString(g.Object.Name);
            w.WriteVarUInt((ulong)g.Privileges);
        }
    }

    private static SecurityDef ReadSecurity(ref ByteReader r)
    {
        var users = new List<UserDef>();
        var nu = r.ReadCount(MaxItems);
        for (var i = 0; i < nu; i++)
        {
            var name = r.ReadString();
            var superuser = r.ReadBool();
            var salt = r.ReadBlob().ToArray();
            var iterations = r.ReadVarUInt();
            if (salt.Length == 0 || iterations is 0 or > int.MaxValue) Tarn.ThrowHelper.Corrupt(r.Source, $"user '{name}' has an invalid SCRAM verifier");
            var stored = r.ReadBytes(ScramKeyBytes).ToArray();
            var server = r.ReadBytes(ScramKeyBytes).ToArray();
            users.Add(new UserDef(name, superuser, new ScramVerifier(salt, (int)iterations, stored, server)));
        }
        var grants = new List<GrantDef>();
        var ng = r.ReadCount(MaxItems);
        for (var i = 0; i < ng; i++)
        {
            var user = r.ReadString();
            var path = new ObjectPath(r.ReadString(), r.ReadString(), r.ReadString());
            var privileges = r.ReadVarUInt();
            if (privileges == 0 || (privileges & ~(ulong)TablePrivileges.All) != 0) Tarn.ThrowHelper.Corrupt(r.Source, $"a grant to '{user}' has unknown privilege bits {privileges}");
            grants.Add(new GrantDef(user, path, (TablePrivileges)privileges));
        }
        return new SecurityDef(users, grants);
    }
}
