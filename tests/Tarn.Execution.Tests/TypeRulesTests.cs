using Tarn.Execution.Expressions.Functions;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Tests;

public class TypeRulesTests
{
    [Fact]
    public void Common_types()
    {
        Assert.Equal(DataType.BigInt, TypeRules.CommonType(DataType.Int, DataType.BigInt));
        Assert.Equal(DataType.Decimal(12, 2), TypeRules.CommonType(DataType.Int, DataType.Decimal(5, 2)));
        Assert.Equal(DataType.Decimal(21, 2), TypeRules.CommonType(DataType.BigInt, DataType.Decimal(2, 2)));
        Assert.Equal(DataType.Double, TypeRules.CommonType(DataType.Float, DataType.Double));
        Assert.Equal(DataType.Float, TypeRules.CommonType(DataType.Float, DataType.Int));
        Assert.Equal(DataType.Double, TypeRules.CommonType(DataType.Decimal(5, 2), DataType.Float));
        Assert.Equal(DataType.Varchar(10), TypeRules.CommonType(DataType.Char(3), DataType.Varchar(10)));
        Assert.Equal(DataType.Timestamp(3), TypeRules.CommonType(DataType.Date, DataType.Timestamp(3)));
        Assert.Equal(DataType.TimestampLtz(6), TypeRules.CommonType(DataType.Timestamp(6), DataType.TimestampLtz(3)));
        Assert.Null(TypeRules.CommonType(DataType.String, DataType.Int));
        Assert.Equal(DataType.Int, TypeRules.CommonType(DataType.Null, DataType.Int));
        Assert.False(TypeRules.CommonType(DataType.Int.WithNullable(false), DataType.BigInt.WithNullable(false))!.Nullable);
    }

    [Fact]
    public void Arithmetic_types_follow_flink()
    {
        DataType? T(ArithmeticOperator op, DataType a, DataType b) => TypeRules.ArithmeticType(op, a, b);
        Assert.Equal(DataType.Int, T(ArithmeticOperator.Divide, DataType.Int, DataType.Int));
        Assert.Equal(DataType.BigInt, T(ArithmeticOperator.Add, DataType.SmallInt, DataType.BigInt));
        Assert.Equal(DataType.Float, T(ArithmeticOperator.Multiply, DataType.Float, DataType.Float));
        Assert.Equal(DataType.Double, T(ArithmeticOperator.Multiply, DataType.Float, DataType.Double));
        Assert.Equal(DataType.Decimal(11, 2), T(ArithmeticOperator.Add, DataType.Decimal(10, 2), DataType.Decimal(5, 1)));
        Assert.Equal(DataType.Decimal(16, 3), T(ArithmeticOperator.Multiply, DataType.Decimal(10, 2), DataType.Decimal(5, 1)));
        Assert.Equal(DataType.Decimal(38, 8), T(ArithmeticOperator.Divide, DataType.Decimal(38, 10), DataType.Decimal(10, 2)));
        Assert.Equal(DataType.Decimal(38, 6), T(ArithmeticOperator.Multiply, DataType.Decimal(38, 10), DataType.Decimal(10, 2)));
        Assert.Equal(DataType.Decimal(6, 2), T(ArithmeticOperator.Modulo, DataType.Decimal(10, 2), DataType.Decimal(5, 1)));
        Assert.Equal(DataType.Decimal(21, 0), T(ArithmeticOperator.Add, DataType.BigInt, DataType.Decimal(20, 0)));
        Assert.Equal(DataType.Timestamp(3), T(ArithmeticOperator.Add, DataType.Timestamp(3), new DataType(TypeKind.IntervalDayTime)));
        Assert.Equal(DataType.Date, T(ArithmeticOperator.Subtract, DataType.Date, new DataType(TypeKind.IntervalYearMonth)));
        Assert.Equal(DataType.Date, T(ArithmeticOperator.Add, new DataType(TypeKind.IntervalDayTime), DataType.Date));
        Assert.Null(T(ArithmeticOperator.Subtract, new DataType(TypeKind.IntervalDayTime), DataType.Date));
        Assert.Null(T(ArithmeticOperator.Add, DataType.String, DataType.Int));
        Assert.Equal(SqlStates.UndefinedFunction, Assert.Throws<TarnException>(() => BoundExpressions.Arithmetic(ArithmeticOperator.Add, BoundLiteral.Of("a"), BoundLiteral.Of(1))).SqlState);
    }

    [Fact]
    public void Aggregate_types()
    {
        Assert.Equal(DataType.BigInt.WithNullable(false), TypeRules.AggregateType(AggregateKind.CountStar, null));
        Assert.Equal(DataType.BigInt, TypeRules.AggregateType(AggregateKind.Sum, DataType.Int));
        Assert.Equal(DataType.Decimal(38, 2), TypeRules.AggregateType(AggregateKind.Sum, DataType.Decimal(10, 2)));
        Assert.Equal(DataType.Double, TypeRules.AggregateType(AggregateKind.Sum, DataType.Float));
        Assert.Equal(DataType.Double, TypeRules.AggregateType(AggregateKind.Avg, DataType.Int));
        Assert.Equal(DataType.Decimal(38, 6), TypeRules.AggregateType(AggregateKind.Avg, DataType.Decimal(10, 2)));
        Assert.Equal(DataType.Decimal(38, 8), TypeRules.AggregateType(AggregateKind.Avg, DataType.Decimal(20, 8)));
        Assert.Equal(DataType.String, TypeRules.AggregateType(AggregateKind.Max, DataType.String.WithNullable(false)));
        Assert.Null(TypeRules.AggregateType(AggregateKind.Sum, DataType.String));
        Assert.Equal(SqlStates.UndefinedFunction, Assert.Throws<TarnException>(() => BoundExpressions.Aggregate(AggregateKind.Avg, BoundLiteral.Of("x"))).SqlState);
    }

    [Fact]
    public void Every_registered_function_has_a_kernel()
    {
        // these names bind to other nodes (or to another function's kernel) rather than to a call of their own
        string[] lowered = ["COALESCE", "NULLIF", "IF", "MOD", "ADD", "SUBTRACT", "MULTIPLY", "YEAR", "QUARTER", "MONTH", "WEEK", "DAYOFYEAR", "DAYOFMONTH", "DAYOFWEEK", "HOUR", "MINUTE", "SECOND"];
        foreach (var f in FunctionRegistry.All)
            Assert.True(lowered.Contains(f.Name) || FunctionLibrary.Has(f.Name), $"{f.Name} has no kernel");
    }

    [Fact]
    public void Function_binding_errors_name_the_signature()
    {
        var ex = Assert.Throws<TarnException>(() => BoundExpressions.Call("NO_SUCH_FUNCTION"));
        Assert.Equal(SqlStates.UndefinedFunction, ex.SqlState);
        ex = Assert.Throws<TarnException>(() => BoundExpressions.Call("UPPER", BoundLiteral.Of(1)));
        Assert.Equal(SqlStates.UndefinedFunction, ex.SqlState);
        Assert.Contains("UPPER(string)", ex.Message, StringComparison.Ordinal);
        Assert.Equal("SUBSTRING", ((BoundFunctionCall)BoundExpressions.Call("substr", BoundLiteral.Of("abc"), BoundLiteral.Of(1))).Name);
        Assert.IsType<BoundCoalesce>(BoundExpressions.Call("coalesce", BoundLiteral.Of(1), BoundLiteral.Of(2)));
    }

    [Fact]
    public void Expressions_compare_structurally()
    {
        var a = BoundExpressions.Call("UPPER", BoundExpressions.Column(0, DataType.String));
        var b = BoundExpressions.Call("UPPER", BoundExpressions.Column(0, DataType.String));
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(new BoundLiteral(new byte[] { 1, 2 }, DataType.Bytes), new BoundLiteral(new byte[] { 1, 2 }, DataType.Bytes));
        Assert.NotEqual(BoundExpressions.In(BoundLiteral.Of(1), [BoundLiteral.Of(2)]), BoundExpressions.In(BoundLiteral.Of(1), [BoundLiteral.Of(3)]));
        Assert.Throws<ArgumentException>(() => new BoundLiteral(1L, DataType.Int));
    }
}
