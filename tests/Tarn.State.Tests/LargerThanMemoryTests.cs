using System.Buffers.Binary;

namespace Tarn.State.Tests;

/// <summary>More state than log memory: most reads go to disk and come back pending inside the calls.</summary>
public sealed class LargerThanMemoryTests
{
    private const int KeyCount = 200_000;
    private const int ValueLength = 100;

    private static StateStoreOptions Options(string directory) => new()
    {
        Directory = directory,
        IndexBuckets = 1 << 16,
        LogMemorySize = 2 << 20, // the log grows to ~26 MB
        PageSize = 1 << 18,
        SegmentSize = 1 << 24,
    };

    private static byte[] Key(int i)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(key, i * 2654435761L);
        return key;
    }

    /// <summary>Value of key <paramref name="i"/> in generation <paramref name="generation"/>, or null if deleted.</summary>
    private static byte[]? Expected(int i, int generation)
    {
        if (generation >= 1 && i % 7 == 0)
            return null;
        var updated = generation >= 1 && i % 10 == 0;
        return TestOptions.Value(updated ? i + 1_000_000 : i, updated ? ValueLength / 2 : ValueLength);
    }

    [Fact]
    [Trait("Spec", "STATE-009")]
    [Trait("Spec", "STATE-010")]
    public async Task Everything_works_when_the_state_is_more_than_ten_times_the_log_memory()
    {
        using var dir = new TempDirectory();
        var options = Options(dir.Path);
        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            for (var i = 0; i < KeyCount; i++)
                session.Upsert(Key(i), Expected(i, 0));
            VerifyAll(session, generation: 0);

            // Single reads of records on disk: each one waits for its I/O inside TryRead.
            var writer = new System.Buffers.ArrayBufferWriter<byte>();
            for (var i = 0; i < KeyCount; i += 149)
            {
                writer.ResetWrittenCount();
                Assert.True(session.TryRead(Key(i), writer));
                Assert.Equal(Expected(i, 0), writer.WrittenSpan.ToArray());
            }

            // Updates of on-disk records append copies; deletes append tombstones.
            for (var i = 0; i < KeyCount; i++)
            {
                var expected = Expected(i, 1);
                if (expected is null)
                    session.Delete(Key(i));
                else if (i % 10 == 0)
                    session.Upsert(Key(i), expected);
            }
            VerifyAll(session, generation: 1);
            await store.CheckpointAsync();
            session.Upsert(Key(1), [9, 9, 9]); // after the checkpoint: must not survive
        }

        using (var store = StateStore.Open(options))
        using (var session = store.NewSession())
        {
            VerifyAll(session, generation: 1);
            var live = 0;
            using var scan = session.ScanPrefix([]);
            while (scan.MoveNext())
                live++;
            var expectedLive = 0;
            for (var i = 0; i < KeyCount; i++)
                expectedLive += Expected(i, 1) is null ? 0 : 1;
            Assert.Equal(expectedLive, live);
        }
    }

    private static void VerifyAll(StateSession session, int generation)
    {
        var batch = new StateReadBatch();
        for (var start = 0; start < KeyCount; start += 1000)
        {
            batch.Clear();
            for (var i = start; i < start + 1000; i++)
                batch.Add(Key(i));
            session.Read(batch);
            for (var i = 0; i < 1000; i++)
            {
                var expected = Expected(start + i, generation);
                Assert.Equal(expected is not null, batch.TryGetValue(i, out var value));
                if (expected is not null)
                    Assert.True(value.SequenceEqual(expected), $"key {start + i} has a wrong value");
            }
        }
    }
}
