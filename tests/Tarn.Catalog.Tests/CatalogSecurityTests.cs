using CsCheck;
using Tarn.Catalog.Model;
using Tarn.Catalog.Security;

namespace Tarn.Catalog.Tests;

public sealed class CatalogSecurityTests
{
    private static readonly Gen<string> Names = Gen.String[Gen.Char["abcXYZ_é1"], 1, 8];

    private static readonly Gen<UserDef> Users =
        Gen.Select(Names, Gen.Bool, Gen.Byte.Array[1, 24], Gen.Int[1, 100_000], Gen.Byte.Array[32], Gen.Byte.Array[32],
            (name, superuser, salt, iterations, stored, server) => new UserDef(name, superuser, new ScramVerifier(salt, iterations, stored, server)));

    private static readonly Gen<GrantDef> Grants =
        Gen.Select(Names, Names, Names, Names, Gen.Int[1, 15], (user, c, d, t, p) => new GrantDef(user, new ObjectPath(c, d, t), (TablePrivileges)p));

    [Fact]
    [Trait("Spec", "CAT-007")]
    public void Users_and_grants_round_trip_in_image_version_6()
    {
        Gen.Select(Users.List[0, 4], Grants.List[0, 4]).Sample((users, grants) =>
        {
            var image = CatalogImage.Initial with { Security = new SecurityDef(users, grants) };
            var bytes = CatalogCodec.Encode(image);
            Assert.Equal(users.Count + grants.Count == 0 ? 1 : 6, bytes[0]);
            var back = CatalogCodec.Decode(bytes, "test").Security;
            Assert.Equal(users.Count, back.Users.Count);
            for (var i = 0; i < users.Count; i++)
            {
                Assert.Equal(users[i].Name, back.Users[i].Name);
                Assert.Equal(users[i].IsSuperuser, back.Users[i].IsSuperuser);
                Assert.Equal(users[i].Verifier.Salt, back.Users[i].Verifier.Salt);
                Assert.Equal(users[i].Verifier.Iterations, back.Users[i].Verifier.Iterations);
                Assert.Equal(users[i].Verifier.StoredKey, back.Users[i].Verifier.StoredKey);
                Assert.Equal(users[i].Verifier.ServerKey, back.Users[i].Verifier.ServerKey);
            }
            Assert.Equal(grants, back.Grants);
        });
    }

    [Fact]
    [Trait("Spec", "CAT-008")]
    public void The_image_holds_the_verifier_and_never_the_password()
    {
        var verifier = ScramSha256.CreateVerifier("correct horse battery staple");
        Assert.Equal(ScramSha256.DefaultIterations, verifier.Iterations);
        Assert.Equal(ScramSha256.SaltBytes, verifier.Salt.Length);
        var image = CatalogImage.Initial with { Security = new SecurityDef([new UserDef("u", false, verifier)], []) };
        var bytes = CatalogCodec.Encode(image);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("horse"u8));
    }

    [Fact]
    [Trait("Spec", "CAT-008")]
    public void A_grant_with_unknown_privilege_bits_is_corrupt()
    {
        var image = CatalogImage.Initial with { Security = new SecurityDef([], [new GrantDef("u", new ObjectPath("c", "d", "t"), (TablePrivileges)16)]) };
        var e = Assert.Throws<TarnException>(() => CatalogCodec.Decode(CatalogCodec.Encode(image), "bad"));
        Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
    }
}
