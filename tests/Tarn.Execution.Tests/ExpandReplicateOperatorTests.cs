using CsCheck;
using Tarn.Execution.Operators;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Tests;

/// <summary>ExpandOperator (grouping sets) and ReplicateRowsOperator (INTERSECT/EXCEPT ALL) against row-at-a-time references.</summary>
public class ExpandReplicateOperatorTests
{
    private static readonly DataType[] s_schema = [DataType.String, DataType.Int, DataType.BigInt];

    private static List<object?[]> GenerateRows(Random rnd)
    {
        var rows = new List<object?[]>();
        var count = rnd.Next(0, 300);
        for (var i = 0; i < count; i++)
            rows.Add([rnd.Next(5) == 0 ? null : "s" + rnd.Next(4), rnd.Next(5) == 0 ? null : rnd.Next(-50, 50), rnd.Next(6) == 0 ? null : (long)rnd.Next(-2, 40)]);
        return rows;
    }

    [Fact]
    public void Replicate_rows_repeats_each_row_count_times_in_order()
    {
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            var rows = GenerateRows(rnd);
            var batchSize = rnd.Next(1, 64);
            var expected = new List<object?[]>();
            foreach (var r in rows)
                for (long k = 0; k < ((long?)r[2] ?? 0); k++) expected.Add([r[0], r[1]]);
            var op = new ReplicateRowsOperator(TestData.Source(s_schema, rows, rnd.Next(1, 100), rnd.Next(2) == 0), 2, TestData.Context(batchSize: batchSize));
            Assert.Equal([DataType.String, DataType.Int], op.OutputTypes);
            var batches = new List<int>();
            var actual = new List<object?[]>();
            using (op)
            {
                while (op.Next() is { } b)
                {
                    Assert.InRange(b.RowCount, 1, batchSize);
                    actual.AddRange(TestData.Rows(b));
                }
            }
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++) Assert.True(TestData.SameRow(expected[i], actual[i]), $"row {i}: {TestData.Show(expected[i])} vs {TestData.Show(actual[i])}");
        }, iter: PropertySettings.Iter(300));
    }

    [Fact]
    public void Expand_emits_every_row_once_per_projection()
    {
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            var rows = GenerateRows(rnd);
            var sets = rnd.Next(0, 5);
            var projections = new List<IReadOnlyList<BoundExpression>>();
            for (var s = 0; s < sets; s++)
            {
                projections.Add(
                [
                    rnd.Next(2) == 0 ? BoundExpressions.Column(0, DataType.String) : BoundLiteral.Null(DataType.String),
                    rnd.Next(2) == 0 ? BoundExpressions.Column(1, DataType.Int) : BoundLiteral.Null(DataType.Int),
                    BoundLiteral.Of(s),
                ]);
            }
            var expected = new List<object?[]>();
            foreach (var r in rows)
                foreach (var p in projections)
                    expected.Add([.. p.Select(e => ReferenceEvaluator.Eval(e, r))]);
            var op = new ExpandOperator(TestData.Source(s_schema, rows, rnd.Next(1, 100), rnd.Next(2) == 0), projections,
                [DataType.String, DataType.Int, DataType.Int.WithNullable(false)], TestData.Context());
            var actual = TestData.Drain(op);
            Assert.Equal(expected.Count, actual.Count);
            var key = (object?[] r) => TestData.Show(r);
            Assert.Equal(expected.Select(key).Order(StringComparer.Ordinal), actual.Select(key).Order(StringComparer.Ordinal));
        }, iter: PropertySettings.Iter(300));
    }
}
