using CsCheck;
using Tarn.Connectors.Nexmark;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.Nexmark;

/// <summary>Generators and helpers shared by the Nexmark tests.</summary>
internal static class NexmarkTestData
{
    public static readonly NexmarkField[] AllFields = Enum.GetValues<NexmarkField>();

    public static DataType TypeOf(NexmarkField field) => NexmarkFields.KindOf(field) switch
    {
        NexmarkFieldKind.Int => DataType.Int,
        NexmarkFieldKind.Long => DataType.BigInt,
        NexmarkFieldKind.Timestamp => DataType.Timestamp(3),
        _ => DataType.String,
    };

    public static NexmarkGenerator Generator(NexmarkOptions options, IReadOnlyList<NexmarkField>? fields = null)
    {
        fields ??= AllFields;
        return new NexmarkGenerator(options, fields, fields.Select(TypeOf).ToList());
    }

    /// <summary>
    /// Options with random seed, proportions, rate and average sizes (proportions never all 0). Few seeds: each builds
    /// 1 MiB of text.
    /// </summary>
    public static readonly Gen<NexmarkOptions> Options =
        Gen.Select(
            Gen.Select(Gen.ULong[0, 3], Gen.Int[0, 5], Gen.Int[0, 5], Gen.Int[0, 50], Gen.Long[1, 1_000_000]).Where((_, p, a, b, _) => p + a + b > 0),
            Gen.Int[0, 600], Gen.Int[0, 1200], Gen.Int[0, 300])
        .Select((basics, personSize, auctionSize, bidSize) => new NexmarkOptions
        {
            Seed = basics.Item1, PersonProportion = basics.Item2, AuctionProportion = basics.Item3, BidProportion = basics.Item4,
            FirstEventRate = basics.Item5, NextEventRate = basics.Item5,
            PersonAvgSize = personSize, AuctionAvgSize = auctionSize, BidAvgSize = bidSize,
        });

    /// <summary>Every value of a batch as objects, row by row (for comparisons in tests only).</summary>
    public static List<object?[]> Rows(ColumnBatch batch)
    {
        var rows = new List<object?[]>(batch.RowCount);
        for (var r = 0; r < batch.RowCount; r++)
        {
            var row = new object?[batch.ColumnCount];
            for (var c = 0; c < row.Length; c++)
                row[c] = batch[c].GetValue(r) switch
                {
                    DateTime t => (t.Ticks - DateTime.UnixEpoch.Ticks) / 10, // back to TIMESTAMP(3)'s microseconds
                    var v => v,
                };
            rows.Add(row);
        }
        return rows;
    }

    public static List<object?[]> Rows(IEnumerable<ColumnBatch> batches)
    {
        var rows = new List<object?[]>();
        foreach (var b in batches) rows.AddRange(Rows(b));
        return rows;
    }

    public static void AssertSameRows(List<object?[]> expected, List<object?[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            if (!expected[i].SequenceEqual(actual[i])) Assert.Equal(expected[i], actual[i]); // xunit's diff only on failure: it is slow
    }
}
