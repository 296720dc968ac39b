namespace Tarn.Server.PgWire;

/// <summary>Frame size limits: every length a client sends is checked against these before anything is allocated.</summary>
internal static class PgLimits
{
    /// <summary>StartupMessage, SSLRequest and anything else before authentication completes.</summary>
    public const int MaxPreAuthFrame = 16 * 1024;

    /// <summary>Any message after authentication (a large INSERT's text, a Bind with big parameters).</summary>
    public const int MaxFrame = 64 * 1024 * 1024;

    /// <summary>Parameters per Bind (PostgreSQL's own limit is 65535).</summary>
    public const int MaxParameters = 65535;
}
