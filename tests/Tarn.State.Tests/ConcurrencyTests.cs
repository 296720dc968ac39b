using System.Buffers.Binary;

namespace Tarn.State.Tests;

public sealed class ConcurrencyTests
{
    private const int PerPhase = 15_000;
    private const int StartedBeforeCheckpoint = 1000;

    private static byte[] Key(int thread, int phase, int i)
    {
        var key = new byte[9];
        key[0] = (byte)thread;
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(1), phase);
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(5), i);
        return key;
    }

    private static byte[] Value(int thread, int phase, int i) => TestOptions.Value(thread * 1000 + phase * 100 + i, 24 + i % 40);

    [Fact]
    [Trait("Spec", "STATE-014")]
    public async Task Two_threads_with_their_own_sessions_write_around_a_quiesced_checkpoint()
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path) with { LogMemorySize = 1 << 20 };
        var store = StateStore.Open(options);
        // A session that stays idle must not hold up checkpoints.
        var idle = store.NewSession();
        using (var shared = store.NewSession())
        {
            for (var i = 0; i < 100; i++)
                shared.Upsert(Key(9, 0, i), Value(9, 0, i));
        }

        using var phaseTwoUnderWay = new CountdownEvent(2);
        using var checkpointTaken = new ManualResetEventSlim();
        var writers = new[] { 1, 2 }.Select(thread => Task.Factory.StartNew(() =>
        {
            using var session = store.NewSession();
            for (var i = 0; i < PerPhase; i++)
            {
                session.Upsert(Key(thread, 1, i), Value(thread, 1, i));
                Assert.Equal(Value(9, 0, i % 100), TestOptions.Read(session, Key(9, 0, i % 100)));
            }
            for (var i = 0; i < PerPhase; i++)
            {
                if (i == StartedBeforeCheckpoint)
                {
                    // Tarn checkpoints at barriers, with no operation in flight (STATE-014): pause until it is taken.
                    phaseTwoUnderWay.Signal();
                    checkpointTaken.Wait();
                }
                session.Upsert(Key(thread, 2, i), Value(thread, 2, i));
                if (i % 3 == 0)
                    session.Delete(Key(thread, 1, i));
                Assert.Equal(Value(thread, 2, i / 2), TestOptions.Read(session, Key(thread, 2, i / 2)));
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        while (!phaseTwoUnderWay.Wait(50))
        {
            if (writers.Any(w => w.IsFaulted))
                await Task.WhenAll(writers); // surfaces the writer's failure instead of waiting forever
        }
        var checkpoint = await store.CheckpointAsync();
        checkpointTaken.Set();
        await Task.WhenAll(writers);
        idle.Dispose();
        store.Dispose();

        // Exactly what both sessions wrote before the checkpoint is in it; what they wrote afterwards is not.
        store = StateStore.Open(options);
        using (var session = store.NewSession())
        {
            Assert.Equal(checkpoint, store.RecoveredCheckpoint);
            for (var thread = 1; thread <= 2; thread++)
            {
                var prefix = 0;
                while (prefix < PerPhase && TestOptions.Read(session, Key(thread, 2, prefix)) is { } value)
                {
                    Assert.Equal(Value(thread, 2, prefix), value);
                    prefix++;
                }
                Assert.True(prefix == StartedBeforeCheckpoint, $"thread {thread}: {prefix} phase-two writes in the checkpoint, expected {StartedBeforeCheckpoint}");
                for (var i = prefix; i < PerPhase; i++)
                    Assert.Null(TestOptions.Read(session, Key(thread, 2, i)));
                for (var i = 0; i < PerPhase; i++)
                {
                    var value = TestOptions.Read(session, Key(thread, 1, i));
                    if (i % 3 != 0 || i >= prefix)
                        Assert.Equal(Value(thread, 1, i), value);
                    else if (i < prefix - 1)
                        Assert.Null(value);
                    else // the checkpoint may have cut between this iteration's upsert and delete
                        Assert.True(value is null || value.AsSpan().SequenceEqual(Value(thread, 1, i)));
                }
            }
        }
        store.Dispose();
    }
}
