using CsCheck;
using Tarn.Server.Kafka.Producers;

namespace Tarn.Server.Tests.Kafka;

/// <summary>The idempotent-producer sequence rules against a model that remembers every batch.</summary>
public sealed class ProducerStateTests
{
    [Fact]
    public void Retries_of_the_last_five_batches_are_duplicates_new_batches_must_follow_and_the_state_survives_encoding()
    {
        // each step: 0 = next batch in order, 1 = retry of the k-th most recent batch, 2 = a batch after a gap
        Gen.Select(Gen.Int[0, 2], Gen.Int[1, 7], Gen.Int[1, 20]).List[1, 60].Sample(steps =>
        {
            var entry = new ProducerStateTable.Entry();
            var appended = new List<(int First, int Count, long Offset)>();
            var nextSeq = 0;
            var nextOffset = 100L;
            foreach (var (kind, back, count) in steps)
            {
                int first, n;
                if (kind == 1 && appended.Count > 0)
                {
                    var batch = appended[Math.Max(0, appended.Count - back)];
                    (first, n) = (batch.First, batch.Count);
                }
                else (first, n) = (kind == 2 && appended.Count > 0 ? nextSeq + 1 + count : nextSeq, count);

                var recent = appended.Count > 5 ? appended.GetRange(appended.Count - 5, 5) : appended;
                var dup = recent.FindIndex(b => b.First == first && b.Count == n);
                var (verdict, original) = entry.Check(0, first, n);
                if (dup >= 0)
                {
                    Assert.Equal(SequenceVerdict.Duplicate, verdict);
                    Assert.Equal(recent[dup].Offset, original!.BaseOffset);
                }
                else if (first == nextSeq || appended.Count == 0)
                {
                    Assert.Equal(SequenceVerdict.Append, verdict);
                    var state = Commit(entry, 0, first, n, nextOffset);
                    // what a restart sees: the committed bytes, decoded into a fresh entry
                    entry = new ProducerStateTable.Entry();
                    entry.Apply(state);
                    appended.Add((first, n, nextOffset));
                    nextSeq = first + n;
                    nextOffset += n;
                }
                else Assert.Equal(SequenceVerdict.OutOfOrder, verdict);
            }
        });
    }

    /// <summary>What the server does for an appended batch: Begin under the gate, offsets filled by the committer.</summary>
    private static byte[] Commit(ProducerStateTable.Entry entry, short epoch, int first, int count, long offset)
    {
        var (batch, state, kept) = entry.Begin(epoch, first, count);
        batch.BaseOffset = offset;
        ProducerStateTable.Entry.Fill(state, kept);
        return state;
    }

    [Fact]
    public void A_bumped_epoch_restarts_at_sequence_zero_and_an_older_epoch_is_fenced()
    {
        var entry = new ProducerStateTable.Entry();
        entry.Apply(Commit(entry, 3, 0, 10, 0));
        Assert.Equal(SequenceVerdict.StaleEpoch, entry.Check(2, 10, 1).Verdict);
        Assert.Equal(SequenceVerdict.OutOfOrder, entry.Check(4, 10, 1).Verdict);
        Assert.Equal(SequenceVerdict.Append, entry.Check(4, 0, 1).Verdict);
        var (verdict, original) = entry.Check(3, 0, 10);
        Assert.Equal(SequenceVerdict.Duplicate, verdict);
        Assert.Equal(0L, original!.BaseOffset);
        Assert.Equal(SequenceVerdict.Append, entry.Check(3, 10, 5).Verdict);
    }

    [Fact]
    public void Pipelined_batches_follow_queued_ones_and_each_committed_state_names_every_kept_offset()
    {
        // Up to 5 batches are begun (queued) before the committer assigns any offset, as a pipelining producer's are.
        Gen.Select(Gen.Int[1, 30].Array[1, 12], Gen.Int[1, 5]).Sample((counts, inFlight) =>
        {
            var entry = new ProducerStateTable.Entry();
            var queued = new Queue<(ProducerStateTable.Batch Batch, byte[] State, ProducerStateTable.Batch[] Kept)>();
            var states = new List<byte[]>();
            var seq = 0;
            var offset = 1000L;
            var expected = new List<(int First, int Last, long Offset)>();
            void CommitOldest()
            {
                var (batch, state, kept) = queued.Dequeue();
                batch.BaseOffset = offset;
                expected.Add((batch.FirstSeq, batch.LastSeq, offset));
                offset += batch.LastSeq - batch.FirstSeq + 1;
                ProducerStateTable.Entry.Fill(state, kept);
                states.Add(state);
            }
            foreach (var count in counts)
            {
                Assert.Equal(SequenceVerdict.Append, entry.Check(0, seq, count).Verdict);
                queued.Enqueue(entry.Begin(0, seq, count));
                Assert.Equal(SequenceVerdict.OutOfOrder, entry.Check(0, seq + count + 1, 1).Verdict);
                seq += count;
                if (queued.Count >= inFlight) CommitOldest();
            }
            while (queued.Count > 0) CommitOldest();
            // after a restart the last committed state knows the last 5 batches with their offsets
            var restarted = new ProducerStateTable.Entry();
            restarted.Apply(states[^1]);
            var last = expected.Count > 5 ? expected.GetRange(expected.Count - 5, 5) : expected;
            Assert.Equal(last, restarted.Batches.Select(b => (b.FirstSeq, b.LastSeq, b.BaseOffset)).ToList());
            Assert.Equal(SequenceVerdict.Append, restarted.Check(0, seq, 1).Verdict);
        });
    }
}
