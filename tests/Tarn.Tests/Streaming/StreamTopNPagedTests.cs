using CsCheck;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Operators;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.State;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// The paged state of a Top-N over a retracting input: with pages of two rows (splitting and emptying all the time)
/// the operator emits exactly what a brute-force ranking of the live rows implies, batch after batch.
/// </summary>
public sealed class StreamTopNPagedTests : StreamingTestBase
{
    private sealed class Collector : IChangeConsumer
    {
        public List<(long Part, long Score, long Rank, sbyte Kind)> Changes { get; } = [];

        public void Push(ChangeBatch batch)
        {
            var part = (PrimitiveVector<long>)batch.Rows[0];
            var score = (PrimitiveVector<long>)batch.Rows[1];
            var rank = (PrimitiveVector<long>)batch.Rows[2];
            for (var r = 0; r < batch.RowCount; r++)
                Changes.Add((part.Values[r], score.Values[r], rank.Values[r], batch.Kinds?[r] ?? 0));
        }

        public void Watermark(long watermark) { }

        public void Flush() { }

        public void Finish() { }
    }

    /// <summary>One change: insert (or, when the row is live, delete) row (part, score).</summary>
    private sealed record Change(int Part, int Score);

    [Fact]
    public void Paged_top_n_follows_the_ranking_of_the_live_rows()
    {
        var changes = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 30], (p, s) => new Change(p, s)).List[1, 12].List[1, 12];
        Gen.Select(changes, Gen.Int[1, 4]).Sample((batches, n) =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            using var store = StateStore.Open(new StateStoreOptions { Directory = dir });
            using var session = store.NewSession();
            var output = new Collector();
            var topN = new StreamTopN([BoundExpressions.Column(0, DataType.BigInt)], [new BoundSortKey(BoundExpressions.Column(1, DataType.BigInt), Descending: true)],
                [DataType.BigInt, DataType.BigInt], DataType.BigInt, new TopNSpec(1, n, RankInOutput: true, KeepFirst: false, InputRetracts: true),
                new StreamStateContext(session).ForNextOperator(), new Tarn.Execution.ExecutionContext(), output) { PageEntries = 1 };
            var live = new List<(long Part, long Score)>();
            var sink = new Dictionary<(long Part, long Rank), long>();
            foreach (var batch in batches)
            {
                var part = new PrimitiveVector<long>(DataType.BigInt, batch.Count);
                var score = new PrimitiveVector<long>(DataType.BigInt, batch.Count);
                var kinds = new sbyte[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    var row = ((long)batch[i].Part, (long)batch[i].Score);
                    part.Append(row.Item1);
                    score.Append(row.Item2);
                    kinds[i] = live.Remove(row) ? (sbyte)RowKind.Delete : (sbyte)RowKind.Insert;
                    if (kinds[i] == (sbyte)RowKind.Insert) live.Add(row);
                }
                output.Changes.Clear();
                topN.Push(new ChangeBatch(new ColumnBatch([part, score], batch.Count), kinds));
                foreach (var (p, s, r, kind) in output.Changes)
                {
                    if (RowKinds.IsLive(kind)) sink[(p, r)] = s;
                    else Assert.True(sink.Remove((p, r)), "a retraction of a position never filled");
                }
                var expected = new Dictionary<(long, long), long>();
                foreach (var g in live.GroupBy(x => x.Part))
                {
                    var rank = 0L;
                    foreach (var row in g.OrderByDescending(x => x.Score).Take(n)) expected[(g.Key, ++rank)] = row.Score;
                }
                Assert.Equal(expected.OrderBy(e => e.Key).ToList(), sink.OrderBy(e => e.Key).ToList());
            }
        }, iter: 80);
    }
}
