using CsCheck;
using Tarn.Execution.Window;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;

namespace Tarn.Execution.Tests;

/// <summary>
/// The window operator against a naive evaluation that, for every row, collects its partition, sorts it, decides
/// frame membership row by row from the frame's definition, and folds the frame. Random data has NULLs, ties and
/// repeated partition keys; functions whose value depends on the order among peers get the unique id as a last
/// ORDER BY key so both sides agree on it.
/// </summary>
public class WindowPropertyTests
{
    // id (unique), p (partition), o (order, ties), v (value), s (string), d (double, exact halves)
    private static readonly DataType[] s_schema = [DataType.Int, DataType.Int, DataType.Int, DataType.BigInt, DataType.String, DataType.Double];
    private static readonly string[] s_strings = ["", "a", "ab", "b", "zz", "abcdefghij"];

    private static List<object?[]> Rows(Random rnd, int count)
    {
        bool Chance(int p) => rnd.Next(100) < p;
        var rows = new List<object?[]>();
        for (var i = 0; i < count; i++)
        {
            rows.Add(
            [
                i,
                Chance(10) ? null : rnd.Next(0, 4),
                Chance(15) ? null : rnd.Next(0, 6),
                Chance(15) ? null : (long)rnd.Next(-10, 11),
                Chance(15) ? null : s_strings[rnd.Next(s_strings.Length)],
                Chance(15) ? null : rnd.Next(-8, 9) * 0.5,
            ]);
        }
        return rows;
    }

    private static BoundColumnRef Col(int c) => BoundExpressions.Column(c, s_schema[c]);

    private static WindowFunction RandomFunction(Random rnd)
    {
        var kind = (WindowFunctionKind)rnd.Next((int)WindowFunctionKind.Aggregate + 1);
        AggregateCall? aggregate = null;
        if (kind == WindowFunctionKind.Aggregate)
        {
            var aggKind = (AggregateKind)rnd.Next((int)AggregateKind.Avg + 1);
            var column = aggKind is AggregateKind.Sum or AggregateKind.Avg ? (rnd.Next(2) == 0 ? 3 : 5) : rnd.Next(2, 6);
            BoundExpression? filter = rnd.Next(4) == 0 ? BoundExpressions.Compare(ComparisonOperator.Greater, Col(2), BoundLiteral.Of(1)) : null;
            aggregate = BoundExpressions.Aggregate(aggKind, aggKind == AggregateKind.CountStar ? null : Col(column), rnd.Next(3) == 0, filter);
        }
        var frame = RandomFrame(rnd);
        var tieSensitive = kind is WindowFunctionKind.RowNumber or WindowFunctionKind.Ntile or WindowFunctionKind.Lag or WindowFunctionKind.Lead
            or WindowFunctionKind.FirstValue or WindowFunctionKind.LastValue or WindowFunctionKind.NthValue
            || (kind == WindowFunctionKind.Aggregate && frame.Unit == WindowFrameUnit.Rows);
        var rangeOffsets = frame.Unit == WindowFrameUnit.Range && (frame.Start.Offset is not null || frame.End.Offset is not null);

        List<BoundSortKey> order = [];
        if (rangeOffsets)
        {
            var key = tieSensitive ? 0 : rnd.Next(3) switch { 0 => 2, 1 => 3, _ => 5 };
            order.Add(new BoundSortKey(Col(key), rnd.Next(2) == 0, rnd.Next(2) == 0));
        }
        else
        {
            foreach (var c in new[] { 2, 3, 4 }.OrderBy(_ => rnd.Next()).Take(rnd.Next(3)))
                order.Add(new BoundSortKey(Col(c), rnd.Next(2) == 0, rnd.Next(2) == 0));
            if (tieSensitive) order.Add(new BoundSortKey(Col(0)));
        }
        List<BoundExpression> partition = rnd.Next(3) switch { 0 => [], 1 => [Col(1)], _ => [Col(1), Col(4)] };

        var value = rnd.Next(3) switch { 0 => 3, 1 => 4, _ => 5 };
        List<BoundExpression> args = kind switch
        {
            WindowFunctionKind.Ntile => [BoundLiteral.Of((long)rnd.Next(1, 6))],
            WindowFunctionKind.Lag or WindowFunctionKind.Lead when value == 3 && rnd.Next(2) == 0 => [Col(3), BoundLiteral.Of((long)rnd.Next(0, 4)), BoundLiteral.Of(-99L)],
            WindowFunctionKind.Lag or WindowFunctionKind.Lead => [Col(value), BoundLiteral.Of((long)rnd.Next(0, 4))],
            WindowFunctionKind.FirstValue or WindowFunctionKind.LastValue => [Col(value)],
            WindowFunctionKind.NthValue => [Col(value), BoundLiteral.Of((long)rnd.Next(1, 4))],
            _ => [],
        };
        var type = kind switch
        {
            WindowFunctionKind.Aggregate => aggregate!.Type,
            WindowFunctionKind.PercentRank or WindowFunctionKind.CumeDist => DataType.Double,
            WindowFunctionKind.RowNumber or WindowFunctionKind.Rank or WindowFunctionKind.DenseRank or WindowFunctionKind.Ntile => DataType.BigInt,
            _ => args[0].Type.WithNullable(true),
        };
        return new WindowFunction(kind, args, aggregate, partition, order, frame, type);
    }

    private static WindowFrameSpec RandomFrame(Random rnd)
    {
        switch (rnd.Next(4))
        {
            case 0: return WindowFrameSpec.DefaultOrdered;
            case 1: return WindowFrameSpec.WholePartition;
        }
        var unit = rnd.Next(2) == 0 ? WindowFrameUnit.Rows : WindowFrameUnit.Range;
        WindowBound Bound(bool start)
        {
            var kind = (WindowBoundKind)rnd.Next(5);
            if (start && kind == WindowBoundKind.UnboundedFollowing) kind = WindowBoundKind.Following;
            if (!start && kind == WindowBoundKind.UnboundedPreceding) kind = WindowBoundKind.Preceding;
            return kind is WindowBoundKind.Preceding or WindowBoundKind.Following
                ? new WindowBound(kind, BoundLiteral.Of((long)rnd.Next(0, 4)))
                : new WindowBound(kind);
        }
        // Any start/end pair: frames whose end comes before their start are simply empty on both sides.
        return new WindowFrameSpec(unit, Bound(true), Bound(false));
    }

    [Fact]
    public void Window_operator_matches_naive_frame_evaluation()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var rnd = new Random(seed);
            var rows = Rows(rnd, rnd.Next(0, 60));
            var functions = Enumerable.Range(0, rnd.Next(1, 4)).Select(_ => RandomFunction(rnd)).ToList();
            var op = new WindowOperator(TestData.Source(s_schema, rows, batchSize: rnd.Next(1, 20), dictionaryStrings: rnd.Next(2) == 0), functions, TestData.Context(batchSize: 7));
            var output = TestData.Drain(op);
            Assert.Equal(rows.Count, output.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < s_schema.Length; c++) Assert.Equal(rows[r][c], output[r][c]);
                for (var f = 0; f < functions.Count; f++)
                {
                    var expected = NaiveWindow.Evaluate(functions[f], rows, r);
                    var actual = output[r][s_schema.Length + f];
                    if (!Equal(expected, actual))
                        Assert.Fail($"seed {seed} row {TestData.Show(rows[r])}: {functions[f]} expected {TestData.Show(expected)}, got {TestData.Show(actual)}");
                }
            }
        }, iter: PropertySettings.Iter(400));
    }

    private static bool Equal(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)),
        _ => Equals(a, b),
    };
}
