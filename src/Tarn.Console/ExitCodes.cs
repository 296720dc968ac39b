namespace Tarn.Console;

/// <summary>The process exit status: scripts rely on these.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A statement failed, a file could not be read or the database could not be opened.</summary>
    public const int Error = 1;

    /// <summary>The command line itself was wrong.</summary>
    public const int Usage = 2;
}
