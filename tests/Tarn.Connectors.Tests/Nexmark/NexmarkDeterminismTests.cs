using CsCheck;
using Tarn.Connectors.Nexmark;
using Tarn.Vectors;
using static Tarn.Connectors.Tests.Nexmark.NexmarkTestData;

namespace Tarn.Connectors.Tests.Nexmark;

/// <summary>Replay determinism: events are a function of their number, however the range is cut and whatever is read.</summary>
public class NexmarkDeterminismTests
{
    [Fact]
    public void A_range_generated_in_one_call_equals_the_concatenation_of_any_split()
    {
        Gen.Select(Options, Gen.Long[0, 1_000_000_000_000L], Gen.Int[0, 400], Gen.Int[1, 120].Array[0, 8])
            .Sample((options, start, length, cuts) =>
            {
                var generator = Generator(options);
                var whole = Rows(generator.Generate(start, length));
                var pieces = new List<ColumnBatch>();
                var at = 0;
                foreach (var cut in cuts)
                {
                    var n = Math.Min(cut, length - at);
                    pieces.Add(Generator(options).Generate(start + at, n));
                    at += n;
                }
                pieces.Add(generator.Generate(start + at, length - at));
                AssertSameRows(whole, Rows(pieces));
            }, iter: 100);
    }

    [Fact]
    public void Reading_some_fields_in_any_order_gives_the_same_values_as_reading_all()
    {
        Gen.Select(Options, Gen.Long[0, 1_000_000L], Gen.Int[1, 200], Gen.Shuffle(AllFields), Gen.Int[1, AllFields.Length])
            .Sample((options, start, length, shuffled, take) =>
            {
                var fields = shuffled[..take];
                var all = Rows(Generator(options).Generate(start, length));
                var some = Rows(Generator(options, fields).Generate(start, length));
                for (var r = 0; r < length; r++)
                    for (var c = 0; c < fields.Length; c++)
                        Assert.Equal(all[r][(int)fields[c]], some[r][c]);
            }, iter: 100);
    }

    [Fact]
    public void The_seed_decides_the_values_but_not_ids_kinds_or_times()
    {
        var a = Generator(new NexmarkOptions { Seed = 1 });
        var b = Generator(new NexmarkOptions { Seed = 2 });
        var rowsA = Rows(a.Generate(0, 500));
        var rowsB = Rows(b.Generate(0, 500));
        var differ = 0;
        for (var r = 0; r < rowsA.Count; r++)
        {
            foreach (var f in new[] { NexmarkField.EventType, NexmarkField.PersonId, NexmarkField.AuctionId, NexmarkField.PersonDateTime, NexmarkField.AuctionDateTime, NexmarkField.BidDateTime })
                Assert.Equal(rowsA[r][(int)f], rowsB[r][(int)f]);
            if (!Equals(rowsA[r][(int)NexmarkField.BidPrice], rowsB[r][(int)NexmarkField.BidPrice])) differ++;
        }
        Assert.True(differ > 400, $"only {differ} of 500 prices differ between seeds");
    }
}
