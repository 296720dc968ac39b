using CsCheck;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Operators;
using Tarn.Execution.Streaming.State;
using Tarn.State;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// The normalizing step after an upsert source: whatever upserts and key deletes arrive, in whatever batches, its
/// output is an exact changelog — every -U/-D retracts the row the key holds, +I only for an absent key, -U is
/// followed by its +U — and applying it yields the latest value per key.
/// </summary>
public sealed class StreamUpsertNormalizeTests : StreamingTestBase
{
    private sealed class Collector : IChangeConsumer
    {
        public List<(long Key, long? Value, RowKind Kind)> Changes { get; } = [];

        public void Push(ChangeBatch batch)
        {
            var key = (PrimitiveVector<long>)batch.Rows[0];
            var value = (PrimitiveVector<long>)batch.Rows[1];
            for (var r = 0; r < batch.RowCount; r++)
                Changes.Add((key.Values[r], value.IsNull(r) ? null : value.Values[r], batch.KindOf(r)));
        }

        public void Watermark(long watermark) { }

        public void Flush() { }

        public void Finish() { }
    }

    /// <summary>An upsert of (key, value), or a delete of key when <see cref="Value"/> is -1.</summary>
    private sealed record Upsert(int Key, int Value);

    [Fact]
    public void Upserts_and_deletes_become_an_exact_changelog_of_the_latest_values()
    {
        var upserts = Gen.Select(Gen.Int[0, 4], Gen.Int[-1, 3], (k, v) => new Upsert(k, v)).List[1, 10].List[1, 8];
        upserts.Sample(batches =>
        {
            var dir = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
            using var store = StateStore.Open(new StateStoreOptions { Directory = dir });
            using var session = store.NewSession();
            var output = new Collector();
            var normalize = new StreamUpsertNormalize([0], [DataType.BigInt, DataType.BigInt], new StreamStateContext(session).ForNextOperator(), output);
            var expected = new Dictionary<long, long?>();
            foreach (var batch in batches)
            {
                var keys = new PrimitiveVector<long>(DataType.BigInt, batch.Count);
                var values = new PrimitiveVector<long>(DataType.BigInt, batch.Count);
                var kinds = new sbyte[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    keys.Append(batch[i].Key);
                    if (batch[i].Value < 0)
                    {
                        values.AppendNull(); // a tombstone carries only the key
                        kinds[i] = (sbyte)RowKind.Delete;
                        expected.Remove(batch[i].Key);
                    }
                    else
                    {
                        values.Append(batch[i].Value);
                        kinds[i] = (sbyte)RowKind.UpdateAfter;
                        expected[batch[i].Key] = batch[i].Value;
                    }
                }
                normalize.Push(new ChangeBatch(new ColumnBatch([keys, values], batch.Count), kinds));
                normalize.Flush();
            }
            var table = new Dictionary<long, long?>();
            var changes = output.Changes;
            for (var i = 0; i < changes.Count; i++)
            {
                var (key, value, kind) = changes[i];
                switch (kind)
                {
                    case RowKind.Insert:
                        Assert.False(table.ContainsKey(key));
                        table[key] = value;
                        break;
                    case RowKind.UpdateBefore:
                        Assert.Equal(table[key], value);
                        Assert.True(i + 1 < changes.Count && changes[i + 1].Kind == RowKind.UpdateAfter && changes[i + 1].Key == key);
                        Assert.NotEqual(value, changes[i + 1].Value);
                        break;
                    case RowKind.UpdateAfter:
                        Assert.Equal(RowKind.UpdateBefore, changes[i - 1].Kind);
                        table[key] = value;
                        break;
                    default:
                        Assert.Equal(table[key], value);
                        table.Remove(key);
                        break;
                }
            }
            Assert.Equal(expected.OrderBy(e => e.Key).ToList(), table.OrderBy(e => e.Key).ToList());
        });
    }
}
