namespace Tarn.Storage.Manifest;

/// <summary>Constants of manifest files (storage-spec/06-manifest.md).</summary>
public static class ManifestFormat
{
    public static ReadOnlySpan<byte> Magic => "TARNMAN\0"u8;
    public const ushort Version = 2;

    /// <summary>The version written when the database has no streaming job progress (MAN-008): byte-identical to Tarn 0.1.</summary>
    public const ushort VersionWithoutJobs = 1;

    // Header: magic(8) version(2) flags(2) reserved(4) databaseId(16) seq(8); then payload; then CRC-32C(4) of all preceding bytes.
    public const int HeaderSize = 40;
    public const int TrailerSize = 4;

    /// <summary>How many manifests are kept: the newest and one fallback.</summary>
    public const int Retained = 2;

    public static string FileName(long seq) => $"{seq:D20}.manifest";

    public static bool TryParseFileName(string path, out long seq)
    {
        var name = Path.GetFileName(path);
        seq = 0;
        return name.Length == 29 && name.EndsWith(".manifest", StringComparison.Ordinal) && long.TryParse(name.AsSpan(0, 20), out seq);
    }
}
