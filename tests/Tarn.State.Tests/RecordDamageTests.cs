namespace Tarn.State.Tests;

public sealed class RecordDamageTests
{
    [Fact]
    [Trait("Spec", "STATE-017")]
    public async Task A_damaged_value_in_a_log_segment_is_reported_not_returned()
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        var marked = Enumerable.Repeat((byte)0xA7, 48).ToArray();
        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            session.Upsert("victim"u8, marked);
            session.Upsert("bystander"u8, [1, 2, 3]);
            for (var i = 0; i < 4000; i++)
                session.Upsert(TestOptions.Key(i), TestOptions.Value(i, 80)); // pushes both records out to the segment
            await store.CheckpointAsync();
        }

        var segment = Path.Combine(dir.Path, "log", "hlog.log.0");
        var bytes = File.ReadAllBytes(segment);
        var at = bytes.AsSpan().IndexOf(marked);
        Assert.True(at > 0, "the value was not found in the first log segment");
        bytes[at + 20] ^= 0x01;
        File.WriteAllBytes(segment, bytes);

        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            var error = Assert.Throws<TarnException>(() => session.TryRead("victim"u8, out ReadOnlySpan<byte> _));
            Assert.Equal(SqlStates.DataCorrupted, error.SqlState);
            Assert.Equal(Path.Combine(dir.Path, "log"), error.FilePath);

            var batch = new StateReadBatch();
            batch.Add("bystander"u8);
            batch.Add("victim"u8);
            Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() => session.Read(batch)).SqlState);
            Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() => TestOptions.ScanAll(session)).SqlState);

            // Other records stay readable, and rewriting the damaged key heals it.
            Assert.Equal(new byte[] { 1, 2, 3 }, TestOptions.Read(session, "bystander"u8));
            session.Upsert("victim"u8, [7]);
            Assert.Equal(new byte[] { 7 }, TestOptions.Read(session, "victim"u8));
        }
    }
}
