using Tarn.Execution.Operators;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

public class OperatorTests
{
    private static readonly DataType[] s_types = [DataType.String, DataType.Int];

    [Fact]
    public void Filter_passes_whole_batches_through_and_keeps_dictionaries()
    {
        var rows = new List<object?[]> { new object?[] { "a", 1 }, new object?[] { "b", 2 }, new object?[] { null, 3 }, new object?[] { "a", 4 } };
        var batch = TestData.Batch(s_types, rows, dictionaryStrings: true);
        var all = new FilterOperator(new InMemoryOperator(s_types, [batch]), BoundExpressions.Compare(ComparisonOperator.Greater, BoundExpressions.Column(1, DataType.Int), BoundLiteral.Of(0)), TestData.Context());
        Assert.Same(batch, all.Next());
        var some = new FilterOperator(new InMemoryOperator(s_types, [batch]), BoundExpressions.Compare(ComparisonOperator.Equal, BoundExpressions.Column(0, DataType.String), BoundLiteral.Of("a")), TestData.Context());
        var result = some.Next()!;
        Assert.IsType<DictionaryVector>(result.Columns[0]);
        Assert.Equal([1, 4], TestData.Rows(result).Select(r => r[1]));
        Assert.Null(some.Next());
        var none = new FilterOperator(new InMemoryOperator(s_types, [batch]), BoundLiteral.Null(DataType.Boolean), TestData.Context());
        Assert.Null(none.Next());
        Assert.Equal(SqlStates.DatatypeMismatch, Assert.Throws<TarnException>(() => new FilterOperator(new InMemoryOperator(s_types, []), BoundLiteral.Of(1), TestData.Context())).SqlState);
    }

    [Fact]
    public void Project_computes_columns_and_passes_references_through()
    {
        var rows = new List<object?[]> { new object?[] { "ab", 1 }, new object?[] { null, 2 } };
        var batch = TestData.Batch(s_types, rows, dictionaryStrings: true);
        var project = new ProjectOperator(new InMemoryOperator(s_types, [batch]),
            [BoundExpressions.Column(0, DataType.String), BoundExpressions.Call("UPPER", BoundExpressions.Column(0, DataType.String)), BoundExpressions.Arithmetic(ArithmeticOperator.Multiply, BoundExpressions.Column(1, DataType.Int), BoundLiteral.Of(10)), BoundLiteral.Of("k")],
            TestData.Context());
        Assert.Equal([DataType.String, DataType.String, DataType.Int, DataType.Varchar(1).WithNullable(false)], project.OutputTypes);
        var result = project.Next()!;
        Assert.Same(batch.Columns[0], result.Columns[0]);
        Assert.IsType<DictionaryVector>(result.Columns[1]); // UPPER ran once per dictionary entry
        Assert.Equal(new object?[] { "ab", "AB", 10, "k" }, TestData.Rows(result)[0]);
        Assert.Equal(new object?[] { null, null, 20, "k" }, TestData.Rows(result)[1]);
    }

    [Fact]
    public void Memory_budget_is_shared_and_released()
    {
        var budget = new MemoryBudget(1000);
        using (var a = new MemoryReservation(budget, "a"))
        {
            a.SetSize(600);
            using var b = new MemoryReservation(budget, "b");
            Assert.Equal(SqlStates.OutOfMemory, Assert.Throws<TarnException>(() => b.SetSize(500)).SqlState);
            a.SetSize(100);
            b.SetSize(500);
            Assert.Equal(600, budget.Used);
        }
        Assert.Equal(0, budget.Used);
    }

    [Fact]
    public void Parameters_become_typed_constants()
    {
        var ctx = new ExecutionContext { Parameters = [42, "2024-01-02", null] };
        Assert.Equal(42L, Eval.Value(BoundExpressions.Cast(new BoundParameter(0, DataType.Null), DataType.BigInt), ctx));
        Assert.Equal("2024-01-02", Eval.Display(new BoundParameter(1, DataType.Date), ctx));
        Assert.Null(Eval.Value(new BoundParameter(2, DataType.Int), ctx));
        Assert.Equal(SqlStates.InvalidParameterReference, Assert.Throws<TarnException>(() => Eval.Value(new BoundParameter(5, DataType.Int), ctx)).SqlState);
    }
}
