using Tarn.Catalog.Model;
using Tarn.Catalog.Security;

namespace Tarn;

public sealed partial class TarnDatabase
{
    /// <summary>A session acting for an authenticated user: its statements are checked against the user's grants.</summary>
    public TarnSession CreateSession(TarnPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new TarnSession(_core, principal);
    }

    /// <summary>True once some user exists (CREATE USER): the server endpoints then require authentication.</summary>
    public bool HasUsers => _core.Catalog.HasUsers;

    /// <summary>The SCRAM-SHA-256 verifier of a user, or null when there is no such user.</summary>
    public ScramVerifier? FindScramVerifier(string userName) => _core.Catalog.FindUser(userName)?.Verifier;

    /// <summary>
    /// Checks a cleartext password (SASL PLAIN) against the stored verifier, in constant time; null for an unknown
    /// user or a wrong password, else the principal.
    /// </summary>
    public TarnPrincipal? AuthenticatePassword(string userName, string password)
    {
        var user = _core.Catalog.FindUser(userName);
        // An unknown user costs the same PBKDF2 work, so timing does not tell whether the user exists.
        var verifier = user?.Verifier ?? s_dummyVerifier;
        var candidate = ScramSha256.CreateVerifier(password, verifier.Salt, verifier.Iterations);
        var same = System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(candidate.StoredKey, verifier.StoredKey);
        return user is not null && same ? new TarnPrincipal(user.Name) : null;
    }

    private static readonly ScramVerifier s_dummyVerifier = ScramSha256.CreateVerifier(Guid.NewGuid().ToString("N"));
}
