using CsCheck;
using Tarn.Execution.Expressions;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

/// <summary>Random expressions over random rows: the vectorized engine agrees with the row-at-a-time reference.</summary>
public class ExpressionPropertyTests
{
    private static object? Reference(BoundExpression e, object?[] row)
    {
        try
        {
            return ReferenceEvaluator.Eval(e, row);
        }
        catch (Exception x) when (x is not TarnException)
        {
            throw new InvalidOperationException($"reference failed on {e} for {TestData.Show(row)}", x);
        }
    }

    private static void CheckValues(BoundExpression expression, List<object?[]> rows, bool dictionary, int batchSize)
    {
        var expected = rows.Select(r => Reference(expression, r)).ToList();
        var kernel = ExpressionCompiler.Compile(expression, TestData.Context());
        for (var start = 0; start < rows.Count; start += batchSize)
        {
            var part = rows.Skip(start).Take(batchSize).ToList();
            var want = expected.Skip(start).Take(batchSize).ToList();
            var batch = TestData.Batch(ExpressionGenerator.Schema, part, dictionary);
            ColumnVector result;
            try
            {
                result = kernel.Evaluate(batch);
            }
            catch (TarnException e)
            {
                var states = want.OfType<RefError>().Select(x => x.State).ToList();
                Assert.True(states.Contains(e.SqlState), $"{expression}\nengine raised {e.SqlState} ({e.Message}) but the reference raised [{string.Join(",", states)}]");
                continue;
            }
            Assert.Equal(part.Count, result.Count);
            for (var i = 0; i < part.Count; i++)
            {
                if (want[i] is RefError) continue; // the engine may legitimately be lazier than the reference
                var got = PhysicalValues.Get(result, i);
                Assert.True(TestData.Same(want[i], got), $"{expression}\nrow {TestData.Show(part[i])}: expected {TestData.Show(want[i])}, got {TestData.Show(got)}");
            }
        }
    }

    private static void CheckFilter(BoundExpression predicate, List<object?[]> rows, bool dictionary)
    {
        var expected = rows.Select(r => Reference(predicate, r)).ToList();
        var kernel = ExpressionCompiler.Compile(predicate, TestData.Context());
        var batch = TestData.Batch(ExpressionGenerator.Schema, rows, dictionary);
        var selection = new int[rows.Count];
        int count;
        try
        {
            count = kernel.Select(batch, Selection.All(rows.Count), selection);
        }
        catch (TarnException e)
        {
            var states = expected.OfType<RefError>().Select(x => x.State).ToList();
            Assert.True(states.Contains(e.SqlState), $"{predicate}\nfilter raised {e.SqlState} ({e.Message}) but the reference raised [{string.Join(",", states)}]");
            return;
        }
        var selected = selection.Take(count).ToHashSet();
        for (var i = 1; i < count; i++) Assert.True(selection[i - 1] < selection[i], "selection must be ascending");
        for (var i = 0; i < rows.Count; i++)
        {
            if (expected[i] is RefError) continue;
            Assert.True(selected.Contains(i) == expected[i] is true,
                $"{predicate}\nrow {TestData.Show(rows[i])}: reference {TestData.Show(expected[i])}, selected {selected.Contains(i)}");
        }
    }

    [Fact]
    public void Values_match_the_reference()
    {
        Gen.Select(Gen.Int, Gen.Int[0, 5], Gen.Bool, Gen.Int[1, 40]).Sample((seed, kind, dictionary, batchSize) =>
        {
            var g = new ExpressionGenerator(seed);
            var rows = g.Rows(60);
            var expression = kind switch
            {
                0 => g.Int(3),
                1 => g.Long(3),
                2 => g.Dbl(3),
                3 => g.Str(3),
                4 => g.Dec(3),
                _ => g.Bool(3),
            };
            CheckValues(expression, rows, dictionary, batchSize);
        }, iter: PropertySettings.Iter(1500));
    }

    [Fact]
    public void Filters_select_exactly_the_true_rows()
    {
        Gen.Select(Gen.Int, Gen.Bool).Sample((seed, dictionary) =>
        {
            var g = new ExpressionGenerator(seed);
            CheckFilter(g.Bool(3), g.Rows(60), dictionary);
        }, iter: PropertySettings.Iter(1500));
    }

    [Fact]
    public void Dictionary_input_gives_the_same_results_as_flat_input()
    {
        Gen.Int.Sample(seed =>
        {
            var g = new ExpressionGenerator(seed);
            var rows = g.Rows(50);
            var e = seed % 2 == 0 ? g.Str(3) : g.Bool(3);
            var kernel = ExpressionCompiler.Compile(e, TestData.Context());
            ColumnVector? flat = null, dict = null;
            string? flatError = null, dictError = null;
            try { flat = kernel.Evaluate(TestData.Batch(ExpressionGenerator.Schema, rows, false)); } catch (TarnException x) { flatError = x.SqlState; }
            try { dict = kernel.Evaluate(TestData.Batch(ExpressionGenerator.Schema, rows, true)); } catch (TarnException x) { dictError = x.SqlState; }
            Assert.Equal(flatError, dictError);
            if (flat is null) return;
            for (var i = 0; i < rows.Count; i++)
                Assert.True(TestData.Same(PhysicalValues.Get(flat, i), PhysicalValues.Get(dict!, i)), $"{e} row {i}");
        }, iter: PropertySettings.Iter(500));
    }
}
