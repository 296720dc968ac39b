using CsCheck;
using Tarn.Storage.Engine;
using Tarn.Storage.Log;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Storage.Tests.Support;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.PrimaryKey;

/// <summary>
/// Random upserts, updates and deletes with flushes and compactions in between: the merged scan, every retained
/// snapshot, and the folded changelog of streaming readers (from the start and from a position taken mid-way) must
/// all equal a dictionary model.
/// </summary>
public class ChangelogModelTests
{
    private enum Op { Upsert, Update, Delete, Maintain, Mark }

    private static readonly Gen<(Op Op, long Key, string Value)> GenStep =
        Gen.Select(Gen.Frequency((6, Gen.Const(Op.Upsert)), (3, Gen.Const(Op.Update)), (3, Gen.Const(Op.Delete)), (2, Gen.Const(Op.Maintain)), (1, Gen.Const(Op.Mark))),
            Gen.Long[0, 12], Gen.Char["abc"].Array[0, 3].Select(c => new string(c)));

    [Fact]
    [Trait("Spec", "DB-051")]
    [Trait("Spec", "DB-052")]
    public void Scan_snapshots_and_changelog_match_a_dictionary_model()
    {
        Gen.Select(GenStep.List[1, 60], Gen.Int[1, 3]).Sample((steps, buckets) =>
        {
            using var dir = new TempDirectory();
            using var engine = StorageEngine.Open(dir.Path, PkTables.Options);
            var tableId = PkTables.Create(engine, buckets);
            var model = new Dictionary<long, string?>();
            var atSnapshot = new Dictionary<long, Dictionary<long, string?>>();
            long[]? markPositions = null;
            Dictionary<long, string?>? markModel = null;
            foreach (var (op, key, value) in steps)
            {
                switch (op)
                {
                    case Op.Upsert:
                        PkTables.Write(engine, tableId, (RowKind.Insert, key, value));
                        model[key] = value;
                        break;
                    case Op.Update when model.TryGetValue(key, out var old):
                        PkTables.Write(engine, tableId, (RowKind.UpdateBefore, key, old), (RowKind.UpdateAfter, key, value + "u"));
                        model[key] = value + "u";
                        break;
                    case Op.Delete when model.TryGetValue(key, out var old):
                        PkTables.Write(engine, tableId, (RowKind.Delete, key, old));
                        model.Remove(key);
                        break;
                    case Op.Maintain:
                        engine.RunMaintenance(force: true);
                        break;
                    case Op.Mark:
                        markPositions = engine.GetTable(tableId)!.NextOffsets.ToArray();
                        markModel = new Dictionary<long, string?>(model);
                        break;
                    default:
                        continue;
                }
                if (engine.GetTable(tableId)!.LatestSnapshot is { } s) atSnapshot[s.SnapshotId] = new Dictionary<long, string?>(model);
            }
            engine.RunMaintenance(force: true);

            Assert.Equal(Sorted(model), Sorted(PkTables.Scan(engine, tableId)));
            foreach (var snapshot in engine.GetTable(tableId)!.Snapshots)
                Assert.Equal(Sorted(atSnapshot[snapshot.SnapshotId]), Sorted(PkTables.Scan(engine, tableId, snapshot.EndOffsets)));
            Assert.Equal(Sorted(model), Sorted(PkTables.Fold(new StreamingReader(engine, tableId, StreamStart.Earliest), [])));
            if (markPositions is not null)
                Assert.Equal(Sorted(model), Sorted(PkTables.Fold(new StreamingReader(engine, tableId, StreamStart.AtOffsets(markPositions)), markModel!)));
        }, iter: 60);
    }

    private enum ChangeOp { Upsert, Delete, Maintain, Mark }

    private static readonly Gen<(ChangeOp Op, long Key, string Value)> GenChange =
        Gen.Select(Gen.Frequency((6, Gen.Const(ChangeOp.Upsert)), (3, Gen.Const(ChangeOp.Delete)), (2, Gen.Const(ChangeOp.Maintain)), (1, Gen.Const(ChangeOp.Mark))),
            Gen.Long[0, 8], Gen.Char["abc"].Array[0, 3].Select(c => new string(c)));

    /// <summary>
    /// A full changelog (upserts of existing keys written as -U old, +U new, as the SQL write path does) read by
    /// retracting consumers, with compactions in between: every -U/-D a consumer registered at a committed position
    /// receives must carry a row it holds, and the rows it ends with must be the table's content.
    /// </summary>
    [Fact]
    [Trait("Spec", "DB-052")]
    public void Retracting_readers_at_consumer_positions_receive_the_value_each_retraction_removes()
    {
        Gen.Select(GenChange.List[1, 60], Gen.Int[1, 2]).Sample((steps, buckets) =>
        {
            using var dir = new TempDirectory();
            using var engine = StorageEngine.Open(dir.Path, PkTables.Options);
            var tableId = PkTables.Create(engine, buckets);
            var model = new Dictionary<long, string?>();
            var marks = new List<(string Consumer, Dictionary<long, string?> Held)>();
            foreach (var (op, key, value) in steps)
            {
                switch (op)
                {
                    case ChangeOp.Upsert when model.TryGetValue(key, out var old):
                        PkTables.Write(engine, tableId, (RowKind.UpdateBefore, key, old), (RowKind.UpdateAfter, key, value));
                        model[key] = value;
                        break;
                    case ChangeOp.Upsert:
                        PkTables.Write(engine, tableId, (RowKind.Insert, key, value));
                        model[key] = value;
                        break;
                    case ChangeOp.Delete when model.TryGetValue(key, out var old):
                        PkTables.Write(engine, tableId, (RowKind.Delete, key, old));
                        model.Remove(key);
                        break;
                    case ChangeOp.Maintain:
                        engine.RunMaintenance(force: true);
                        break;
                    case ChangeOp.Mark:
                        var name = $"c{marks.Count}";
                        engine.CommitAsync([new ConsumerOp(tableId, name, engine.GetTable(tableId)!.NextOffsets.ToArray())]).GetAwaiter().GetResult();
                        marks.Add((name, new Dictionary<long, string?>(model)));
                        break;
                }
            }
            engine.RunMaintenance(force: true);

            Assert.Equal(Sorted(model), Sorted(Retract(new StreamingReader(engine, tableId, StreamStart.Earliest), [])));
            foreach (var (consumer, held) in marks)
                Assert.Equal(Sorted(model), Sorted(Retract(new StreamingReader(engine, tableId, StreamStart.ForConsumer(consumer)), new Dictionary<long, string?>(held))));
        }, iter: 60);
    }

    /// <summary>Applies a changelog as a retracting consumer does: a retraction must remove exactly the row held.</summary>
    private static Dictionary<long, string?> Retract(StreamingReader reader, Dictionary<long, string?> held)
    {
        while (reader.TryRead() is { } batch)
        {
            for (var r = 0; r < batch.Rows.RowCount; r++)
            {
                var k = ((PrimitiveVector<long>)batch.Rows.Columns[0]).Values[r];
                var v = (string?)batch.Rows.Columns[1].GetValue(r);
                if (RowKinds.IsLive(batch.KindOf(r)))
                {
                    Assert.False(held.ContainsKey(k), $"{batch.KindOf(r)} of key {k} that is already held");
                    held[k] = v;
                }
                else
                {
                    Assert.True(held.TryGetValue(k, out var had) && had == v, $"{batch.KindOf(r)} of ({k}, {v}) but the consumer holds {(held.TryGetValue(k, out var h) ? h : "nothing")}");
                    held.Remove(k);
                }
            }
        }
        return held;
    }

    private static List<KeyValuePair<long, string?>> Sorted(Dictionary<long, string?> d) => d.OrderBy(p => p.Key).ToList();
}
