using System.Buffers.Binary;
using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Manifest;
using Tarn.Storage.Tests.Support;

namespace Tarn.Storage.Tests.Manifest;

/// <summary>MAN-004: manifest version 1 while no job has progress (byte for byte as before jobs existed), 2 once one has.</summary>
public class ManifestVersionTests
{
    private static ushort VersionOf(string path) => BinaryPrimitives.ReadUInt16LittleEndian(File.ReadAllBytes(path).AsSpan(8, 2));

    private static string Newest(string dir) =>
        Directory.GetFiles(Path.Combine(dir, "manifest"), "*.manifest").OrderBy(f => f, StringComparer.Ordinal).Last();

    [Fact]
    [Trait("Spec", "MAN-004")]
    public async Task A_manifest_is_version_1_without_job_progress_and_2_with_it_and_both_are_read()
    {
        using var dir = new TempDirectory();
        Guid dbId;
        long tableId;
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
        {
            dbId = engine.Header.DatabaseId;
            tableId = TestTables.Create(engine).TableId;
            TestTables.Append(engine, tableId, TestTables.Rows(0, 10));
            engine.Checkpoint();
            var first = Newest(dir.Path);
            Assert.Equal(1, VersionOf(first));
            Assert.Empty(ManifestCodec.Decode(File.ReadAllBytes(first), dbId, first).Jobs);

            await engine.CommitAsync([new JobProgressOp("job-1", new byte[] { 1, 2, 3 })]);
            engine.Checkpoint();
            var second = Newest(dir.Path);
            Assert.NotEqual(first, second);
            Assert.Equal(2, VersionOf(second));
            Assert.Equal([1, 2, 3], ManifestCodec.Decode(File.ReadAllBytes(second), dbId, second).Jobs["job-1"].ToArray());

            // Once no job has progress again, manifests go back to version 1.
            await engine.CommitAsync([new JobProgressOp("job-1", null)]);
            engine.Checkpoint();
            Assert.Equal(1, VersionOf(Newest(dir.Path)));
        }
        using (var engine = StorageEngine.Open(dir.Path, TestTables.QuietOptions))
            Assert.Equal(10, engine.GetTable(tableId)!.TotalRows);
    }
}
