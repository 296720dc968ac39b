namespace Tarn.Storage.IO;

/// <summary>Turns operating-system I/O failures into Tarn errors with SQLSTATE codes.</summary>
public static class StorageErrors
{
    private const int Enospc = 28;
    private const int WindowsDiskFull = 0x70;
    private const int WindowsHandleDiskFull = 0x27;

    public static bool IsDiskFull(Exception e)
    {
        if (e is TarnException t) return t.SqlState == SqlStates.DiskFull;
        if (e is not IOException io) return false;
        var code = io.HResult & 0xFFFF;
        return code is Enospc or WindowsDiskFull or WindowsHandleDiskFull
            || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);
    }

    public static TarnException DiskFull(string path, Exception? inner) =>
        new(SqlStates.DiskFull, $"could not write '{path}': disk full (no space left on device); nothing was acknowledged, retry when space is available", inner) { FilePath = path };

    /// <summary>Wraps any exception raised while persisting data into a Tarn error, keeping Tarn errors as they are.</summary>
    public static TarnException Wrap(Exception e, string path, string action) => e switch
    {
        TarnException t => t,
        _ when IsDiskFull(e) => DiskFull(path, e),
        UnauthorizedAccessException => new TarnException(SqlStates.IoError, $"permission denied: could not {action} '{path}'", e) { FilePath = path },
        _ => new TarnException(SqlStates.IoError, $"could not {action} '{path}': {e.Message}", e) { FilePath = path },
    };
}
