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
                var (verdict, offset) = entry.Check(0, first, n);
                if (dup >= 0)
                {
                    Assert.Equal(SequenceVerdict.Duplicate, verdict);
                    Assert.Equal(recent[dup].Offset, offset);
                }
                else if (first == nextSeq || appended.Count == 0)
                {
                    Assert.Equal(SequenceVerdict.Append, verdict);
                    var state = entry.EncodeWith(0, first, n, nextOffset);
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

    [Fact]
    public void A_bumped_epoch_restarts_at_sequence_zero_and_an_older_epoch_is_fenced()
    {
        var entry = new ProducerStateTable.Entry();
        entry.Apply(entry.EncodeWith(3, 0, 10, 0));
        Assert.Equal(SequenceVerdict.StaleEpoch, entry.Check(2, 10, 1).Verdict);
        Assert.Equal(SequenceVerdict.OutOfOrder, entry.Check(4, 10, 1).Verdict);
        Assert.Equal(SequenceVerdict.Append, entry.Check(4, 0, 1).Verdict);
        Assert.Equal((SequenceVerdict.Duplicate, 0L), entry.Check(3, 0, 10));
        Assert.Equal(SequenceVerdict.Append, entry.Check(3, 10, 5).Verdict);
    }
}
