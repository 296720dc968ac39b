using System.Security.Cryptography;
using System.Text;
using Tarn.Catalog.Model;
using Tarn.Catalog.Security;

namespace Tarn.Server.Security;

/// <summary>
/// The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), shared by the PostgreSQL and Kafka endpoints:
/// client-first-message → server-first-message, client-final-message → server-final-message. Channel binding is not
/// offered (gs2 header <c>n,,</c> or <c>y,,</c>). An unknown user gets a made-up but stable salt and always fails
/// the proof, so a client cannot tell a wrong user from a wrong password.
/// </summary>
internal sealed class ScramServerExchange(TarnDatabase database)
{
    /// <summary>Per process: makes the fake salts of unknown users stable within a run and unpredictable.</summary>
    private static readonly byte[] s_fakeSaltKey = RandomNumberGenerator.GetBytes(32);

    private ScramVerifier? _verifier;
    private string _gs2Header = "";
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";

    /// <summary>The user named by the client (in the SCRAM message, or the one given to <see cref="ClientFirst"/>).</summary>
    public string UserName { get; private set; } = "";

    /// <summary>
    /// Takes the client-first-message; returns the server-first-message, or null when the message is malformed or asks
    /// for channel binding. <paramref name="startupUser"/> (pgwire's startup user) wins over the message's <c>n=</c>.
    /// </summary>
    public string? ClientFirst(ReadOnlySpan<byte> message, string? startupUser)
    {
        var text = Encoding.UTF8.GetString(message);
        // gs2-header: cbind-flag "," [authzid] ","
        var first = text.IndexOf(',', StringComparison.Ordinal);
        if (first < 0) return null;
        var second = text.IndexOf(',', first + 1);
        if (second < 0) return null;
        var flag = text[..first];
        if (flag is not ("n" or "y")) return null; // "p=..." asks for channel binding, which is not offered
        _gs2Header = text[..(second + 1)];
        _clientFirstBare = text[(second + 1)..];
        string? user = null, nonce = null;
        foreach (var attribute in _clientFirstBare.Split(','))
        {
            if (attribute.StartsWith("n=", StringComparison.Ordinal)) user = attribute[2..].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
            else if (attribute.StartsWith("r=", StringComparison.Ordinal)) nonce = attribute[2..];
            else if (attribute.StartsWith("m=", StringComparison.Ordinal)) return null; // mandatory extensions are not supported
        }
        if (user is null || string.IsNullOrEmpty(nonce)) return null;
        UserName = string.IsNullOrEmpty(startupUser) ? user : startupUser;
        _verifier = database.FindScramVerifier(UserName);
        var salt = _verifier?.Salt ?? HMACSHA256.HashData(s_fakeSaltKey, Encoding.UTF8.GetBytes(UserName.ToLowerInvariant()))[..ScramSha256.SaltBytes];
        var iterations = _verifier?.Iterations ?? ScramSha256.DefaultIterations;
        _nonce = nonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(salt)},i={iterations}";
        return _serverFirst;
    }

    /// <summary>
    /// Takes the client-final-message; returns the server-final-message (<c>v=</c> ServerSignature) when the proof is
    /// right, else null.
    /// </summary>
    public string? ClientFinal(ReadOnlySpan<byte> message)
    {
        if (_serverFirst.Length == 0) return null;
        var text = Encoding.UTF8.GetString(message);
        var proofAt = text.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0) return null;
        var withoutProof = text[..proofAt];
        string? channel = null, nonce = null;
        foreach (var attribute in withoutProof.Split(','))
        {
            if (attribute.StartsWith("c=", StringComparison.Ordinal)) channel = attribute[2..];
            else if (attribute.StartsWith("r=", StringComparison.Ordinal)) nonce = attribute[2..];
        }
        // The nonce must END with ours, as Kafka's ScramSaslServer checks: librdkafka 2.0.x (kcat 1.7.1) sends its client
        // nonce followed by the whole server nonce. The proof still binds the exchange, since the AuthMessage it signs
        // contains our server-first message.
        if (channel != Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header)) || nonce is null || !nonce.EndsWith(_nonce, StringComparison.Ordinal)) return null;
        Span<byte> proof = stackalloc byte[32];
        if (!Convert.TryFromBase64String(text[(proofAt + 3)..], proof, out var written) || written != 32) return null;
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        // An unknown user is checked against a verifier nobody knows the password of, costing the same work.
        var verifier = _verifier ?? s_nobody;
        if (!ScramSha256.VerifyProof(verifier, authMessage, proof) || _verifier is null) return null;
        return "v=" + Convert.ToBase64String(ScramSha256.ServerSignature(verifier, authMessage));
    }

    private static readonly ScramVerifier s_nobody = new(new byte[ScramSha256.SaltBytes], ScramSha256.DefaultIterations,
        RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
}
