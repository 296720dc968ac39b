using Tarn.Storage.Engine;
using Tarn.Storage.Manifest;
using Tarn.Storage.Tests.Support;

namespace Tarn.Storage.Tests.Manifest;

public class ManifestCorruptionTests
{
    [Fact]
    [Trait("Spec", "MAN-002")]
    [Trait("Spec", "DMG-001")]
    [Trait("Spec", "DMG-002")]
    public void Every_bit_flip_and_truncation_of_a_manifest_is_detected()
    {
        using var dir = new TempDirectory();
        Guid dbId;
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            dbId = engine.Header.DatabaseId;
            var t = TestTables.Create(engine, partitionIds: [2]).TableId;
            TestTables.Append(engine, t, TestTables.Rows(0, 20));
            TestTables.Append(engine, t, TestTables.Rows(20, 20_000, day: id => id % 2 == 0 ? "a" : "b"));
            engine.Checkpoint();
        }
        var path = Directory.GetFiles(Path.Combine(dir.Path, "manifest"), "*.manifest").Single();
        var original = File.ReadAllBytes(path);
        var good = ManifestCodec.Decode(original, dbId, path);
        Assert.Single(good.Tables);
        for (var i = 0; i < original.Length; i++)
        {
            var bytes = (byte[])original.Clone();
            bytes[i] ^= (byte)(1 << (i % 8));
            var e = Assert.Throws<TarnException>(() => ManifestCodec.Decode(bytes, dbId, path));
            Assert.True(e.SqlState is SqlStates.DataCorrupted or SqlStates.FeatureNotSupported, e.SqlState);
        }
        for (var len = 0; len < original.Length; len++)
        {
            var e = Assert.Throws<TarnException>(() => ManifestCodec.Decode(original.AsSpan(0, len), dbId, path));
            Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
        }
    }

    [Fact]
    [Trait("Spec", "MAN-003")]
    public void Leftover_temporary_manifests_are_removed_on_open()
    {
        using var dir = new TempDirectory();
        using (StorageEngine.Open(dir.Path, TestTables.QuietOptions)) { }
        var tmp = Path.Combine(dir.Path, "manifest", "00000000000000000099.manifest.tmp");
        File.WriteAllText(tmp, "partial");
        using (StorageEngine.Open(dir.Path, TestTables.QuietOptions)) { }
        Assert.False(File.Exists(tmp));
    }

    [Fact]
    [Trait("Spec", "HDR-002")]
    public void A_damaged_database_header_refuses_to_open()
    {
        using var dir = new TempDirectory();
        using (StorageEngine.Open(dir.Path, TestTables.QuietOptions)) { }
        var header = Path.Combine(dir.Path, "TARN");
        var bytes = File.ReadAllBytes(header);
        bytes[20] ^= 1;
        File.WriteAllBytes(header, bytes);
        var e = Assert.Throws<TarnException>(() => StorageEngine.Open(dir.Path, TestTables.QuietOptions));
        Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
    }

    [Fact]
    [Trait("Spec", "HDR-001")]
    [Trait("Spec", "VER-001")]
    public void A_database_needing_a_newer_reader_is_refused()
    {
        using var dir = new TempDirectory();
        using (StorageEngine.Open(dir.Path, TestTables.QuietOptions)) { }
        var headerPath = Path.Combine(dir.Path, "TARN");
        var header = Tarn.Storage.Format.DatabaseHeader.Decode(File.ReadAllBytes(headerPath), headerPath);
        File.WriteAllBytes(headerPath, (header with { ReadVersion = 99 }).Encode());
        var before = Snapshot(dir.Path);
        var e = Assert.Throws<TarnException>(() => StorageEngine.Open(dir.Path, TestTables.QuietOptions));
        Assert.Equal(SqlStates.FeatureNotSupported, e.SqlState);
        Assert.Contains("99", e.Message);
        Assert.Equal(before, Snapshot(dir.Path)); // nothing was modified
    }

    private static List<string> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("LOCK", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(f => f + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))).ToList();

    [Fact]
    [Trait("Spec", "MAN-001")]
    public void Log_files_are_kept_until_a_newer_manifest_makes_them_unnecessary()
    {
        using var dir = new TempDirectory();
        long tableId;
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions with { LogRollBytes = 512 }))
        {
            tableId = TestTables.Create(engine).TableId;
            for (var i = 0; i < 30; i++)
            {
                TestTables.Append(engine, tableId, TestTables.Rows(i * 10, 10));
                if (i % 10 == 9) engine.Checkpoint();
            }
        }
        // Even without the newest manifest, the previous one plus the remaining log rebuild everything.
        var manifests = Directory.GetFiles(Path.Combine(dir.Path, "manifest"), "*.manifest").Order().ToList();
        File.Delete(manifests[^1]);
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), TestTables.ReadIds(engine, engine.GetTable(tableId)!).Select(r => r.Id));
    }
}
