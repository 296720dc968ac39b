namespace Tarn.State.Tests;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tarn-state-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class TestOptions
{
    /// <summary>Small enough that a few thousand records already spill to disk: 256 KB log memory, 16 KB pages.</summary>
    public static StateStoreOptions Small(string directory) => new()
    {
        Directory = directory,
        IndexBuckets = 1 << 10,
        LogMemorySize = 1 << 18,
        PageSize = 1 << 14,
        SegmentSize = 1 << 20,
    };

    public static byte[] Key(int i) => System.Text.Encoding.UTF8.GetBytes($"key-{i}");

    public static byte[] Value(int i, int length)
    {
        var value = new byte[length];
        for (var j = 0; j < length; j++)
            value[j] = (byte)(i * 31 + j);
        return value;
    }

    public static byte[]? Read(StateSession session, ReadOnlySpan<byte> key) =>
        session.TryRead(key, out ReadOnlySpan<byte> value) ? value.ToArray() : null;

    /// <summary>All live records, through a full scan.</summary>
    public static Dictionary<string, byte[]> ScanAll(StateSession session, byte[]? prefix = null)
    {
        var result = new Dictionary<string, byte[]>();
        using var scan = session.ScanPrefix(prefix ?? []);
        while (scan.MoveNext())
            Assert.True(result.TryAdd(Convert.ToHexString(scan.Key), scan.Value.ToArray()), "scan returned a key twice");
        return result;
    }
}
