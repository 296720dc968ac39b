using System.Buffers;

namespace Tarn.State.Tests;

public sealed class SessionTests
{
    [Fact]
    [Trait("Spec", "STATE-010")]
    public void Reads_writes_and_deletes_round_trip()
    {
        using var dir = new TempDirectory();
        using var store = StateStore.Open(TestOptions.Small(dir.Path));
        using var session = store.NewSession();

        session.Upsert("a"u8, "first"u8);
        session.Upsert("b"u8, []);
        session.Upsert([], "empty key"u8);
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("prefix:"u8);
        Assert.True(session.TryRead("a"u8, writer));
        Assert.Equal("prefix:first"u8.ToArray(), writer.WrittenSpan.ToArray());
        Assert.True(session.TryRead("b"u8, out ReadOnlySpan<byte> empty));
        Assert.True(empty.IsEmpty);
        Assert.Equal("empty key"u8.ToArray(), TestOptions.Read(session, []));

        session.Upsert("a"u8, "a much longer second value"u8); // does not fit in place
        Assert.Equal("a much longer second value"u8.ToArray(), TestOptions.Read(session, "a"u8));
        session.Upsert("a"u8, "3rd"u8); // fits in place
        Assert.Equal("3rd"u8.ToArray(), TestOptions.Read(session, "a"u8));

        session.Delete("a"u8);
        session.Delete("never there"u8);
        Assert.False(session.TryRead("a"u8, writer));
        Assert.Null(TestOptions.Read(session, "never there"u8));
        Assert.Equal(2, TestOptions.ScanAll(session).Count);
    }

    [Fact]
    [Trait("Spec", "STATE-013")]
    public void A_record_larger_than_a_page_is_rejected_and_changes_nothing()
    {
        using var dir = new TempDirectory();
        using var store = StateStore.Open(TestOptions.Small(dir.Path));
        using var session = store.NewSession();
        var limit = store.MaxRecordPayload;
        Assert.Equal((1 << 14) - 27, limit);

        session.Upsert("k"u8, new byte[limit - 1]);
        Assert.Equal(limit - 1, TestOptions.Read(session, "k"u8)!.Length);
        var error = Assert.Throws<TarnException>(() => session.Upsert("k"u8, new byte[limit]));
        Assert.Equal(SqlStates.InvalidParameterValue, error.SqlState);
        Assert.Equal(limit - 1, TestOptions.Read(session, "k"u8)!.Length);
    }

    [Fact]
    [Trait("Spec", "STATE-010")]
    public void A_batch_reports_each_key_and_can_be_reused()
    {
        using var dir = new TempDirectory();
        using var store = StateStore.Open(TestOptions.Small(dir.Path));
        using var session = store.NewSession();
        for (var i = 0; i < 5000; i += 2)
            session.Upsert(TestOptions.Key(i), TestOptions.Value(i, 64)); // ~500 KB: early keys are on disk

        var batch = new StateReadBatch();
        for (var round = 0; round < 3; round++)
        {
            batch.Clear();
            for (var i = round; i < 5000; i += 7)
                Assert.Equal((i - round) / 7, batch.Add(TestOptions.Key(i)));
            Assert.False(batch.Found(0)); // nothing read yet
            session.Read(batch);
            for (var index = 0; index < batch.Count; index++)
            {
                var i = round + index * 7;
                Assert.Equal(TestOptions.Key(i), batch.Key(index).ToArray());
                Assert.Equal(i % 2 == 0, batch.TryGetValue(index, out var value));
                Assert.Equal(i % 2 == 0 ? TestOptions.Value(i, 64) : [], value.ToArray());
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Found(batch.Count));
    }

    [Fact]
    public void A_disposed_session_or_store_refuses_work()
    {
        using var dir = new TempDirectory();
        var store = StateStore.Open(TestOptions.Small(dir.Path));
        var session = store.NewSession();
        var other = store.NewSession();
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.Upsert("k"u8, "v"u8));
        store.Dispose(); // also disposes sessions still open
        Assert.Throws<ObjectDisposedException>(() => other.Delete("k"u8));
        Assert.Throws<ObjectDisposedException>(() => store.NewSession());
    }
}
