using CsCheck;

namespace Tarn.State.Tests;

/// <summary>
/// Random sequences of writes, reads, checkpoints, reopens and recoveries, checked against a dictionary model that
/// knows what every checkpoint contained.
/// </summary>
public sealed class ModelTests
{
    private abstract record Op;
    private sealed record Put(int Key, byte[] Value) : Op
    {
        public override string ToString() => $"Put({Key}, {Value.Length} bytes)";
    }
    private sealed record Del(int Key) : Op;
    private sealed record Get(int Key) : Op;
    private sealed record GetBatch(int[] Keys) : Op
    {
        public override string ToString() => $"GetBatch({string.Join(",", Keys)})";
    }
    /// <summary>Writes 2000 keys, pushing most of the log out of the 256 KB log memory.</summary>
    private sealed record Bulk(int Seed) : Op;
    private sealed record Scan : Op;
    private sealed record Checkpoint : Op;
    private sealed record Reopen : Op;
    private sealed record RecoverOlder : Op;

    private const int BulkBase = 1000;
    private const int BulkCount = 2000;

    /// <summary>Key 0 is the empty key; others differ in length and content.</summary>
    private static byte[] KeyBytes(int key)
    {
        if (key == 0)
            return [];
        var bytes = new byte[2 + key % 5];
        bytes[0] = (byte)key;
        bytes[1] = (byte)(key >> 8);
        for (var i = 2; i < bytes.Length; i++)
            bytes[i] = (byte)(key * 7 + i);
        return bytes;
    }

    private static byte[] BulkValue(int seed, int key) => TestOptions.Value(seed + key, 100 + seed % 50);

    private static readonly Gen<int> GenKey = Gen.Frequency(
        (6, Gen.Int[0, 30]),
        (1, Gen.Int[BulkBase, BulkBase + BulkCount - 1]));

    private static readonly Gen<Op> GenOp = Gen.Frequency<Op>(
        (12, GenKey.Select(Gen.Byte.Array[0, 300], (k, v) => (Op)new Put(k, v))),
        (4, GenKey.Select(k => (Op)new Del(k))),
        (8, GenKey.Select(k => (Op)new Get(k))),
        (2, GenKey.Array[1, 12].Select(k => (Op)new GetBatch(k))),
        (1, Gen.Int[0, 1000].Select(s => (Op)new Bulk(s))),
        (1, Gen.Const<Op>(new Scan())),
        (2, Gen.Const<Op>(new Checkpoint())),
        (1, Gen.Const<Op>(new Reopen())),
        (1, Gen.Const<Op>(new RecoverOlder())));

    [Fact]
    [Trait("Spec", "STATE-003")]
    [Trait("Spec", "STATE-005")]
    [Trait("Spec", "STATE-006")]
    [Trait("Spec", "STATE-009")]
    [Trait("Spec", "STATE-010")]
    [Trait("Spec", "STATE-012")]
    public void Random_operation_sequences_match_a_dictionary_model()
    {
        GenOp.List[1, 60].Sample(ops => Run(ops).GetAwaiter().GetResult(), iter: 100, threads: 2,
            print: ops => string.Join("; ", ops));
    }

    private static async Task Run(List<Op> ops)
    {
        using var dir = new TempDirectory();
        var options = TestOptions.Small(dir.Path);
        var model = new Dictionary<int, byte[]>();
        var checkpoints = new List<(StateCheckpoint Checkpoint, Dictionary<int, byte[]> State)>(); // retained, oldest first
        var store = StateStore.Open(options);
        var session = store.NewSession();
        var batch = new StateReadBatch();
        try
        {
            foreach (var op in ops)
            {
                switch (op)
                {
                    case Put put:
                        session.Upsert(KeyBytes(put.Key), put.Value);
                        model[put.Key] = put.Value;
                        break;
                    case Del del:
                        session.Delete(KeyBytes(del.Key));
                        model.Remove(del.Key);
                        break;
                    case Get get:
                        Assert.Equal(model.GetValueOrDefault(get.Key), TestOptions.Read(session, KeyBytes(get.Key)));
                        break;
                    case GetBatch get:
                        batch.Clear();
                        foreach (var key in get.Keys)
                            batch.Add(KeyBytes(key));
                        session.Read(batch);
                        for (var i = 0; i < get.Keys.Length; i++)
                        {
                            var expected = model.GetValueOrDefault(get.Keys[i]);
                            Assert.Equal(expected is not null, batch.Found(i));
                            Assert.Equal(expected, batch.TryGetValue(i, out var value) ? value.ToArray() : null);
                        }
                        break;
                    case Bulk bulk:
                        for (var key = BulkBase; key < BulkBase + BulkCount; key++)
                        {
                            var value = BulkValue(bulk.Seed, key);
                            session.Upsert(KeyBytes(key), value);
                            model[key] = value;
                        }
                        break;
                    case Scan:
                        AssertScanMatches(session, model);
                        break;
                    case Checkpoint:
                        var checkpoint = await store.CheckpointAsync();
                        if (checkpoints.Count > 0)
                            Assert.True(checkpoint.Number > checkpoints[^1].Checkpoint.Number);
                        checkpoints.Add((checkpoint, new Dictionary<int, byte[]>(model)));
                        if (checkpoints.Count > 2)
                            checkpoints.RemoveAt(0);
                        break;
                    case Reopen:
                        session.Dispose();
                        store.Dispose();
                        store = StateStore.Open(options);
                        session = store.NewSession();
                        model = checkpoints.Count == 0 ? [] : new Dictionary<int, byte[]>(checkpoints[^1].State);
                        Assert.Equal(checkpoints.Count == 0 ? null : checkpoints[^1].Checkpoint, store.RecoveredCheckpoint);
                        break;
                    case RecoverOlder:
                        if (checkpoints.Count < 2)
                            break;
                        session.Dispose();
                        await store.RecoverAsync(checkpoints[0].Checkpoint.Token);
                        session = store.NewSession();
                        checkpoints.RemoveAt(1);
                        model = new Dictionary<int, byte[]>(checkpoints[0].State);
                        break;
                }
                Assert.Equal(checkpoints.ConvertAll(c => c.Checkpoint), store.Checkpoints);
            }
            AssertScanMatches(session, model);
            foreach (var (key, value) in model)
                Assert.Equal(value, TestOptions.Read(session, KeyBytes(key)));
        }
        finally
        {
            session.Dispose();
            store.Dispose();
        }
    }

    private static void AssertScanMatches(StateSession session, Dictionary<int, byte[]> model)
    {
        var scanned = TestOptions.ScanAll(session);
        Assert.Equal(model.Count, scanned.Count);
        foreach (var (key, value) in model)
            Assert.Equal(value, scanned[Convert.ToHexString(KeyBytes(key))]);
    }
}
