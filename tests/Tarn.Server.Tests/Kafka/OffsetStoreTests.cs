using Tarn.Server.Kafka.Groups;

namespace Tarn.Server.Tests.Kafka;

/// <summary>The durable per-group offsets file (storage-spec/12-kafka-groups.md).</summary>
public sealed class OffsetStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-offsets-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static Dictionary<(string Topic, int Partition), CommittedOffset> Sample() => new()
    {
        [("orders", 0)] = new CommittedOffset(42, -1, "", 1_700_000_000_000),
        [("orders", 5)] = new CommittedOffset(7, 3, null, 1_700_000_000_001),
        [("db.events", 1)] = new CommittedOffset(0, -1, "meta \u00e9\u6f22", 5),
    };

    [Fact]
    [Trait("Spec", "KGRP-002")]
    public void Written_offsets_are_read_back_exactly()
    {
        var store = new OffsetStore(_dir);
        store.Write("group \u00e9/1", Sample());
        store.Write("other", new Dictionary<(string, int), CommittedOffset> { [("t", 0)] = new(1, -1, "x", 2) });
        var loaded = store.LoadAll();
        Assert.Equal(2, loaded.Count);
        var g = Assert.Single(loaded, l => l.GroupId == "group \u00e9/1");
        Assert.Null(g.Error);
        Assert.Equal(Sample().OrderBy(p => p.Key), g.Offsets!.OrderBy(p => p.Key));
        Assert.Equal(store.PathOf("group \u00e9/1"), g.Path);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    [Trait("Spec", "KGRP-003")]
    public void Every_flipped_byte_is_detected_and_no_offset_is_returned()
    {
        var bytes = OffsetStore.Encode("g", Sample());
        Assert.Equal(("g", Sample().Count), (OffsetStore.Decode(bytes, "f").GroupId, OffsetStore.Decode(bytes, "f").Offsets.Count));
        for (var i = 0; i < bytes.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var damaged = (byte[])bytes.Clone();
                damaged[i] ^= (byte)(1 << bit);
                var e = Assert.Throws<TarnException>(() => OffsetStore.Decode(damaged, "f"));
                Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
            }
        }
        // truncation at every length is detected too
        for (var n = 0; n < bytes.Length; n++)
            Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() => OffsetStore.Decode(bytes.AsSpan(0, n), "f")).SqlState);
    }

    [Fact]
    [Trait("Spec", "KGRP-003")]
    public void A_damaged_file_makes_its_group_report_a_storage_error_instead_of_offsets()
    {
        var store = new OffsetStore(_dir);
        store.Write("g", Sample());
        store.Write("h", Sample());
        var path = store.PathOf("g")!;
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        using var coordinator = new GroupCoordinator(null, new OffsetStore(_dir));
        var (damagedPath, error) = Assert.Single(coordinator.DamagedFiles);
        Assert.Equal(path, damagedPath);
        Assert.Equal(SqlStates.DataCorrupted, error!.SqlState);
        var g = coordinator.GetOrCreate("g");
        Assert.True(g.OffsetsDamaged);
        Assert.Empty(g.Offsets);
        var h = coordinator.Find("h")!;
        Assert.False(h.OffsetsDamaged);
        Assert.Equal(3, h.Offsets.Count);
    }

    [Fact]
    [Trait("Spec", "KGRP-004")]
    public void Unfinished_writes_are_deleted_at_start_and_the_last_complete_file_wins()
    {
        var store = new OffsetStore(_dir);
        store.Write("g", Sample());
        var stray = store.PathOf("g") + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(stray, [1, 2, 3]); // a write cut off before its rename
        var loaded = new OffsetStore(_dir).LoadAll();
        Assert.Equal(Sample().Count, Assert.Single(loaded).Offsets!.Count);
        Assert.False(File.Exists(stray));
    }

    [Fact]
    [Trait("Spec", "KGRP-002")]
    public void The_file_starts_with_the_magic_and_ends_with_the_crc_of_everything_before_it()
    {
        var bytes = OffsetStore.Encode("g", Sample());
        Assert.Equal("TKGO"u8.ToArray(), bytes[..4]);
        Assert.Equal(1u, BitConverter.ToUInt32(bytes, 4));
        Assert.Equal((uint)(bytes.Length - 16), BitConverter.ToUInt32(bytes, 8));
        Assert.Equal(Tarn.Checksums.Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)), BitConverter.ToUInt32(bytes, bytes.Length - 4));
    }
}
