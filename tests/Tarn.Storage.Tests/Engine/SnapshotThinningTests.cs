using CsCheck;
using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;
using Tarn.Storage.Tests.Support;

namespace Tarn.Storage.Tests.Engine;

/// <summary>
/// DB-031: the newest snapshots are all kept, older ones one per second, and time travel either finds exactly the
/// snapshot a table with every snapshot would find, or refuses; it never answers with a different one.
/// </summary>
public class SnapshotThinningTests
{
    private static readonly byte[] Image = [1];

    /// <summary>Applies one-row appends at the given commit times (µs, ascending) to a one-table state.</summary>
    private static TableVersion Commit(IReadOnlyList<long> times, SnapshotRetention retention)
    {
        var layout = new TableLayout(1, TestTables.Orders, [], 1, [], []);
        var state = StorageState.Empty.Apply(new LogRecord(1, 0, [new CreateTableOp(layout)]), retention, new StorageState.ApplyEffects());
        for (var i = 0; i < times.Count; i++)
        {
            var append = new AppendOp(1, 0, 1, [new InlineAppendPart(Image)], BaseOffset: i);
            state = state.Apply(new LogRecord(i + 2, times[i], [append]), retention, new StorageState.ApplyEffects());
        }
        return state.Tables[1];
    }

    /// <summary>Ascending commit times: bursts within a second, gaps of whole seconds, some exactly on a second.</summary>
    private static readonly Gen<long[]> GenTimes = Gen.OneOf(Gen.Long[0, 2000], Gen.Long[0, 300_000], Gen.Const(1_000_000L))
        .Array[1, 400]
        .Select(steps =>
        {
            var times = new long[steps.Length];
            var t = 5_000_000L;
            for (var i = 0; i < steps.Length; i++) times[i] = t += steps[i];
            return times;
        });

    [Fact]
    [Trait("Spec", "DB-031")]
    public void Thinned_snapshots_answer_exactly_or_refuse()
    {
        Gen.Select(GenTimes, Gen.Int[1, 40], Gen.Long[0, 2_000_000].Array[20]).Sample((times, dense, probes) =>
        {
            var table = Commit(times, new SnapshotRetention(TimeSpan.FromDays(1), 10, int.MaxValue, dense));
            var ids = table.Snapshots.Select(s => s.SnapshotId).ToArray();

            // The newest dense + 1 are all there (the one just out of the window is compared on the next commit).
            var keptDense = Math.Min(times.Length, dense + 1);
            Assert.Equal(Enumerable.Range(times.Length - keptDense + 1, keptDense).Select(i => (long)i), ids.TakeLast(keptDense));

            // Older ones: at most one per interval, and it is the newest snapshot committed in that interval.
            var older = table.Snapshots.Take(table.Snapshots.Count - keptDense).ToList();
            Assert.Equal(older.Count, older.Select(s => SnapshotThinning.IntervalEnd(s.TimestampMicros)).Distinct().Count());
            foreach (var s in older)
            {
                var end = SnapshotThinning.IntervalEnd(s.TimestampMicros);
                var newestInInterval = Array.FindLastIndex(times, t => SnapshotThinning.IntervalEnd(t) == end) + 1;
                Assert.Equal(newestInInterval, s.SnapshotId);
            }

            // Every snapshot's end offset is its id (one row per commit), so the model is a search over the times.
            var probeTimes = probes.Select(p => times[0] - 1_000_000 + p * (times[^1] - times[0] + 2_000_000) / 2_000_000)
                .Concat(times).Concat(times.Select(SnapshotThinning.IntervalEnd));
            foreach (var t in probeTimes)
            {
                var expected = Array.FindLastIndex(times, x => x <= t) + 1; // 0: before the first commit
                var found = table.FindSnapshotAsOf(t, out var exact);
                // Nothing retained that old while the first snapshot is gone: callers refuse (SnapshotTooOld).
                if (found is null && ids[0] > 1) continue;
                if (t % SnapshotThinning.IntervalMicros == 0) Assert.True(exact, $"whole second {t} must resolve exactly");
                if (!exact) continue;
                Assert.Equal(expected, found?.SnapshotId ?? 0);
                if (found is not null) Assert.Equal(expected, found.EndOffsets[0]);
            }
        }, iter: 300);
    }

    [Fact]
    [Trait("Spec", "DB-031")]
    public void A_sustained_commit_rate_keeps_a_bounded_number_of_snapshots()
    {
        // 500 commits a second for 40 seconds: the dense window plus one per second, not 20 000.
        var times = Enumerable.Range(0, 20_000).Select(i => 10_000_000L + (i * 2_000L)).ToArray();
        var table = Commit(times, SnapshotRetention.Default);
        Assert.InRange(table.Snapshots.Count, 40, SnapshotRetention.Default.DenseRetained + 1 + 40);
        Assert.Equal(20_000, table.LatestSnapshot!.SnapshotId);
    }
}
