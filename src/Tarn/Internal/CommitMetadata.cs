namespace Tarn.Internal;

/// <summary>
/// Small named blobs committed atomically with rows (see <see cref="TarnTableWriter"/>). They share the storage's
/// keyed progress map with streaming jobs (<see cref="Tarn.Storage.Log.JobProgressOp"/>: an opaque payload committed in
/// the same record as the output); job ids are GUID hex, so the reserved prefix keeps the two apart.
/// </summary>
internal static class CommitMetadata
{
    public const string Prefix = "$meta/";

    public static bool IsMetadata(string key) => key.StartsWith(Prefix, StringComparison.Ordinal);

    public static void CheckKey(string key)
    {
        if (!IsMetadata(key) || key.Length > 512) throw new TarnException(SqlStates.InvalidParameterValue, $"commit metadata keys start with '{Prefix}' (got '{key}')");
    }
}
