using System.Security.Cryptography;
using System.Text;
using Tarn.Catalog.Model;

namespace Tarn.Catalog.Security;

/// <summary>
/// The SCRAM-SHA-256 primitives of RFC 5802 and RFC 7677: SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, i),
/// ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key").
/// Shared by CREATE USER (which keeps only the verifier) and both server endpoints (which check proofs).
/// </summary>
public static class ScramSha256
{
    /// <summary>PostgreSQL's and RFC 7677's iteration count.</summary>
    public const int DefaultIterations = 4096;

    public const int SaltBytes = 16;

    /// <summary>A verifier for <paramref name="password"/> with a fresh random salt.</summary>
    public static ScramVerifier CreateVerifier(string password, int iterations = DefaultIterations) =>
        CreateVerifier(password, RandomNumberGenerator.GetBytes(SaltBytes), iterations);

    public static ScramVerifier CreateVerifier(string password, byte[] salt, int iterations)
    {
        // RFC 5802 asks for SASLprep; like PostgreSQL for ASCII passwords, the UTF-8 bytes are used as they are.
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return new ScramVerifier(salt, iterations, storedKey, serverKey);
    }

    /// <summary>
    /// Checks a ClientProof against the verifier: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage), and
    /// H(ClientKey) must equal StoredKey (compared in constant time).
    /// </summary>
    public static bool VerifyProof(ScramVerifier verifier, ReadOnlySpan<byte> authMessage, ReadOnlySpan<byte> clientProof)
    {
        if (clientProof.Length != 32) return false;
        Span<byte> signature = stackalloc byte[32];
        HMACSHA256.HashData(verifier.StoredKey, authMessage, signature);
        Span<byte> clientKey = stackalloc byte[32];
        for (var i = 0; i < 32; i++) clientKey[i] = (byte)(clientProof[i] ^ signature[i]);
        Span<byte> stored = stackalloc byte[32];
        SHA256.HashData(clientKey, stored);
        return CryptographicOperations.FixedTimeEquals(stored, verifier.StoredKey);
    }

    /// <summary>ServerSignature = HMAC(ServerKey, AuthMessage), sent in server-final-message as <c>v=</c>.</summary>
    public static byte[] ServerSignature(ScramVerifier verifier, ReadOnlySpan<byte> authMessage) =>
        HMACSHA256.HashData(verifier.ServerKey, authMessage);

    /// <summary>The client side (for tests and tools): ClientProof for a password.</summary>
    public static byte[] ClientProof(string password, byte[] salt, int iterations, ReadOnlySpan<byte> authMessage)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var signature = HMACSHA256.HashData(SHA256.HashData(clientKey), authMessage);
        for (var i = 0; i < 32; i++) clientKey[i] ^= signature[i];
        return clientKey;
    }
}
