using CsCheck;
using Tarn.Execution.Aggregation;
using Tarn.Execution.Operators;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

/// <summary>Group tables assign dense ids in order of first appearance, equal keys (NULLs included) sharing one.</summary>
public class GroupTableTests
{
    private static void CheckIds(IGroupTable table, IReadOnlyList<DataType> types, List<object?[]> rows, int batchSize, bool dictionary)
    {
        var keyOfGroup = new Dictionary<int, object?[]>();
        foreach (var batch in TestData.Batches(types, rows, batchSize, dictionary))
        {
            var ids = new int[batch.RowCount];
            table.FindOrInsert(batch.Columns, batch.RowCount, ids);
            var batchRows = TestData.Rows(batch);
            for (var i = 0; i < ids.Length; i++)
            {
                var key = NormalizeKey(batchRows[i]);
                Assert.InRange(ids[i], 0, table.Count - 1);
                if (keyOfGroup.TryGetValue(ids[i], out var known))
                    Assert.True(TestData.SameRow(known, key), $"group {ids[i]} holds {TestData.Show(known)} and {TestData.Show(key)}");
                else
                {
                    var other = keyOfGroup.FirstOrDefault(kv => TestData.SameRow(kv.Value, key));
                    Assert.True(other.Value is null, $"{TestData.Show(key)} has groups {other.Key} and {ids[i]}");
                    keyOfGroup[ids[i]] = key;
                }
            }
        }
        Assert.Equal(keyOfGroup.Count, table.Count);
        for (var c = 0; c < types.Count; c++)
        {
            var keys = table.Keys(c, 0, table.Count);
            for (var g = 0; g < table.Count; g++)
                Assert.True(TestData.Same(keyOfGroup[g][c], NormalizeKey([Vectors.PhysicalValues.Get(keys, g)])[0]), $"stored key {g}/{c}");
        }
    }

    // -0.0 groups with 0.0 and every NaN with every other NaN
    private static object?[] NormalizeKey(object?[] row) => [.. row.Select(v => v is double d ? (d == 0 ? 0.0 : d) : v)];

    [Fact]
    public void Integer_keys_in_small_and_huge_ranges()
    {
        var values = Gen.Frequency((5, Gen.Long[-50, 50]), (1, Gen.Long), (1, Gen.OneOf(long.MinValue, long.MaxValue, 0L, 1L << 40)));
        Gen.Select(values.Array[0, 600], Gen.Int[1, 100], Gen.Int[0, 3]).Sample((keys, batchSize, nullEvery) =>
        {
            var rows = keys.Select((k, i) => new object?[] { nullEvery > 0 && i % (nullEvery + 3) == 0 ? null : k }).ToList();
            CheckIds(new IntegerGroupTable(DataType.BigInt), [DataType.BigInt], rows, batchSize, false);
        }, iter: PropertySettings.Iter(300));
    }

    [Fact]
    public void Integer_keys_narrower_than_bigint()
    {
        Gen.Select(Gen.Int.Array[0, 300], Gen.Int[1, 64]).Sample((keys, batchSize) =>
        {
            var rows = keys.Select(k => new object?[] { k % 7 == 0 ? null : k % 3 == 0 ? k : k % 100 }).ToList();
            CheckIds(new IntegerGroupTable(DataType.Int), [DataType.Int], rows, batchSize, false);
        }, iter: PropertySettings.Iter(200));
    }

    [Fact]
    public void Few_distinct_dictionary_keys_are_grouped_by_their_codes()
    {
        // batches of ≥ 256 rows whose dictionary-encoded keys have few combinations take the code shortcut; each
        // batch has its own dictionary, so the same key has different codes in different batches
        var flags = Gen.OneOf("A", "N", "R", "", "é");
        Gen.Select(Gen.Select(flags, flags, Gen.Int[0, 19]).Array[300, 2000], Gen.Int[256, 1200]).Sample((rows, batchSize) =>
        {
            var data = rows.Select(r => new object?[] { r.Item3 == 0 ? null : r.Item1, r.Item3 == 1 ? null : r.Item2 }).ToList();
            CheckIds(new GeneralGroupTable([DataType.String, DataType.String]), [DataType.String, DataType.String], data, batchSize, dictionary: true);
        }, iter: PropertySettings.Iter(100));
    }

    [Fact]
    public void String_and_mixed_keys()
    {
        var strings = Gen.OneOf("", "a", "b", "ab", "abcdefghijklmnopqrstuvwxyz", "é", "\0");
        var doubles = Gen.OneOf(0.0, -0.0, double.NaN, 1.5, -1.5, double.PositiveInfinity);
        Gen.Select(Gen.Select(strings, doubles, Gen.Bool, Gen.Int[0, 9]).Array[0, 300], Gen.Int[1, 80], Gen.Bool).Sample((rows, batchSize, dictionary) =>
        {
            var data = rows.Select(r => new object?[] { r.Item4 == 0 ? null : r.Item1, r.Item4 == 1 ? null : r.Item2, r.Item4 == 2 ? null : r.Item3 }).ToList();
            CheckIds(new StringGroupTable(DataType.String), [DataType.String], [.. data.Select(r => new[] { r[0] })], batchSize, dictionary);
            CheckIds(new GeneralGroupTable([DataType.String, DataType.Double, DataType.Boolean]), [DataType.String, DataType.Double, DataType.Boolean], data, batchSize, dictionary);
        }, iter: PropertySettings.Iter(200));
    }

    [Fact]
    public void TopN_compacts_large_inputs_correctly()
    {
        var rnd = new Random(11);
        var rows = Enumerable.Range(0, 30_000).Select(_ => new object?[] { rnd.Next(100) == 0 ? null : rnd.Next(5000) }).ToList();
        var key = new BoundSortKey(BoundExpressions.Column(0, DataType.Int), Descending: true, NullsFirst: false);
        var top = TestData.Drain(new TopNOperator(TestData.Source([DataType.Int], rows, 700), [key], 25, 10, TestData.Context()));
        var expected = rows.Select(r => (int?)r[0]).OrderByDescending(v => v.HasValue).ThenByDescending(v => v).Skip(10).Take(25).ToList();
        Assert.Equal(expected, top.Select(r => (int?)r[0]).ToList());
    }
}
