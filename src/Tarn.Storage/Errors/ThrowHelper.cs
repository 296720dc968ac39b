using System.Diagnostics.CodeAnalysis;

namespace Tarn;

/// <summary>Throw sites kept out of hot methods so those stay small enough to inline.</summary>
public static class ThrowHelper
{
    [DoesNotReturn]
    public static void Corrupt(string? file, string detail) =>
        throw new TarnException(SqlStates.DataCorrupted, file is null ? $"data corruption: {detail}" : $"data corruption in '{file}': {detail}") { FilePath = file };

    [DoesNotReturn]
    public static T Corrupt<T>(string? file, string detail)
    {
        Corrupt(file, detail);
        return default;
    }

    [DoesNotReturn]
    public static void Internal(string detail) =>
        throw new TarnException(SqlStates.InternalError, $"internal error: {detail}");

    [DoesNotReturn]
    public static void NotSupported(string what) =>
        throw new TarnException(SqlStates.FeatureNotSupported, $"not supported: {what}");

    [DoesNotReturn]
    public static void Argument(string detail) =>
        throw new TarnException(SqlStates.InvalidParameterValue, detail);

    [DoesNotReturn]
    public static void Mismatch(string detail) =>
        throw new TarnException(SqlStates.DatatypeMismatch, detail);
}
