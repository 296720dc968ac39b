using System.Text;
using Tarn.Execution.Expressions.Functions;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Expressions;

public sealed partial class ExpressionCompiler
{
    // ----- comparisons -----

    private VectorExpression Comparison(BoundComparison c)
    {
        var nullSafe = c.Operator is ComparisonOperator.IsDistinctFrom or ComparisonOperator.IsNotDistinctFrom;
        var leftNull = c.Left is BoundLiteral { IsNull: true } || c.Left.Type.Kind == TypeKind.Null;
        var rightNull = c.Right is BoundLiteral { IsNull: true } || c.Right.Type.Kind == TypeKind.Null;
        if (leftNull || rightNull)
        {
            if (!nullSafe) return new ConstantExpression(c.Type.WithNullable(true), null);
            var negated = c.Operator == ComparisonOperator.IsDistinctFrom;
            if (leftNull && rightNull) return new ConstantExpression(c.Type, negated ? false : true);
            // x IS DISTINCT FROM NULL  ==  x IS NOT NULL
            return new IsNullExpression(Compile(leftNull ? c.Right : c.Left), negated, c.Type);
        }
        var common = TypeRules.CommonType(c.Left.Type, c.Right.Type)
            ?? throw new TarnException(SqlStates.DatatypeMismatch, $"cannot compare {c.Left.Type.ToSql()} with {c.Right.Type.ToSql()}");
        var l = CompileAs(c.Left, common);
        var r = CompileAs(c.Right, common);
        var op = c.Operator;
        if (!nullSafe && l is ConstantExpression && r is not ConstantExpression)
        {
            (l, r) = (r, l);
            op = BoundComparison.Flip(op);
        }
        var kind = op switch
        {
            ComparisonOperator.IsDistinctFrom => ComparisonOperator.NotEqual,
            ComparisonOperator.IsNotDistinctFrom => ComparisonOperator.Equal,
            _ => op,
        };
        var equalWhenBothNull = op == ComparisonOperator.IsNotDistinctFrom;
        return kind switch
        {
            ComparisonOperator.Equal => Compare<EqualKind>(l, r, c.Type, nullSafe, equalWhenBothNull),
            ComparisonOperator.NotEqual => Compare<NotEqualKind>(l, r, c.Type, nullSafe, equalWhenBothNull),
            ComparisonOperator.Less => Compare<LessKind>(l, r, c.Type, nullSafe, equalWhenBothNull),
            ComparisonOperator.LessOrEqual => Compare<LessOrEqualKind>(l, r, c.Type, nullSafe, equalWhenBothNull),
            ComparisonOperator.Greater => Compare<GreaterKind>(l, r, c.Type, nullSafe, equalWhenBothNull),
            _ => Compare<GreaterOrEqualKind>(l, r, c.Type, nullSafe, equalWhenBothNull),
        };
    }

    private static VectorExpression Compare<TKind>(VectorExpression l, VectorExpression r, DataType type, bool nullSafe, bool equalWhenBothNull)
        where TKind : struct, IComparisonKind
    {
        if (!nullSafe && r is ConstantExpression { Value: { } constant })
        {
            return l.Type.Physical switch
            {
                PhysicalType.Binary => new StringPredicate<CompareWithConstant<TKind>>(l, new CompareWithConstant<TKind>(Bytes(constant)), type),
                PhysicalType.Bool => new PrimitiveScalarComparison<byte, TKind>(l, (bool)constant ? (byte)1 : (byte)0, type),
                PhysicalType.Int8 => new PrimitiveScalarComparison<sbyte, TKind>(l, (sbyte)constant, type),
                PhysicalType.Int16 => new PrimitiveScalarComparison<short, TKind>(l, (short)constant, type),
                PhysicalType.Int32 => new PrimitiveScalarComparison<int, TKind>(l, (int)constant, type),
                PhysicalType.Int64 => new PrimitiveScalarComparison<long, TKind>(l, (long)constant, type),
                PhysicalType.Int128 => new PrimitiveScalarComparison<Int128, TKind>(l, (Int128)constant, type),
                PhysicalType.Float32 => new PrimitiveScalarComparison<float, TKind>(l, (float)constant, type),
                _ => new PrimitiveScalarComparison<double, TKind>(l, (double)constant, type),
            };
        }
        return l.Type.Physical switch
        {
            PhysicalType.Binary => new StringComparison<TKind>(l, r, type, nullSafe, equalWhenBothNull),
            PhysicalType.Bool => new PrimitiveComparison<byte, TKind>(l, r, type, nullSafe, equalWhenBothNull),
            PhysicalType.Int8 => new PrimitiveComparison<sbyte, TKind>(l, r, type, nullSafe, equalWhenBothNull),
            PhysicalType.Int16 => new PrimitiveComparison<short, TKind>(l, r, type, nullSafe, equalWhenBothNull),
            PhysicalType.Int32 => new PrimitiveComparison<int, TKind>(l, r, type, nullSafe, equalWhenBothNull),
            PhysicalType.Int64 => new PrimitiveComparison<long, TKind>(l, r, type, nullSafe, equalWhenBothNull),
            PhysicalType.Int128 => new PrimitiveComparison<Int128, TKind>(l, r, type, nullSafe, equalWhenBothNull),
            PhysicalType.Float32 => new PrimitiveComparison<float, TKind>(l, r, type, nullSafe, equalWhenBothNull),
            _ => new PrimitiveComparison<double, TKind>(l, r, type, nullSafe, equalWhenBothNull),
        };
    }

    private static byte[] Bytes(object value) => value switch
    {
        string s => Encoding.UTF8.GetBytes(s),
        byte[] b => b,
        _ => throw new InvalidOperationException($"not a string constant: {value}"),
    };

    // ----- logic, IN, LIKE, CASE -----

    private VectorExpression Logical(BoundLogical l)
    {
        var operands = l.Operands.Select(o => CompileAs(o, s_boolean)).ToArray();
        return l.Operator == LogicalOperator.And ? new AndExpression(operands, l.Type) : new OrExpression(operands, l.Type);
    }

    private VectorExpression InList(BoundInList i)
    {
        var common = TypeRules.CommonType([i.Operand.Type, .. i.Values.Select(v => v.Type)])
            ?? throw new TarnException(SqlStates.DatatypeMismatch, $"IN list types cannot be matched with {i.Operand.Type.ToSql()}");
        if (common.Kind == TypeKind.Null) return new ConstantExpression(i.Type.WithNullable(true), null);
        var values = i.Values.Select(v => CompileAs(v, common)).ToArray();
        if (values.Any(v => v is not ConstantExpression))
        {
            // x IN (a, b) == x = a OR x = b, with the same three-valued result
            BoundExpression lowered = BoundExpressions.Or([.. i.Values.Select(v => (BoundExpression)BoundExpressions.Compare(ComparisonOperator.Equal, i.Operand, v))]);
            if (i.Negated) lowered = BoundExpressions.Not(lowered);
            return CompileNode(lowered);
        }
        var operand = CompileAs(i.Operand, common);
        var constants = values.Cast<ConstantExpression>().ToArray();
        var hasNull = constants.Any(c => c.IsNull);
        var present = constants.Where(c => !c.IsNull).Select(c => c.Value!).ToArray();
        return common.Physical switch
        {
            PhysicalType.Binary => StringIn(operand, present, hasNull, i.Negated, i.Type),
            PhysicalType.Bool => new PrimitiveInList<byte>(operand, [.. present.Select(v => (bool)v ? (byte)1 : (byte)0)], hasNull, i.Negated, i.Type),
            PhysicalType.Int8 => new PrimitiveInList<sbyte>(operand, [.. present.Cast<sbyte>()], hasNull, i.Negated, i.Type),
            PhysicalType.Int16 => new PrimitiveInList<short>(operand, [.. present.Cast<short>()], hasNull, i.Negated, i.Type),
            PhysicalType.Int32 => new PrimitiveInList<int>(operand, [.. present.Cast<int>()], hasNull, i.Negated, i.Type),
            PhysicalType.Int64 => new PrimitiveInList<long>(operand, [.. present.Cast<long>()], hasNull, i.Negated, i.Type),
            PhysicalType.Int128 => new PrimitiveInList<Int128>(operand, [.. present.Cast<Int128>()], hasNull, i.Negated, i.Type),
            PhysicalType.Float32 => new PrimitiveInList<float>(operand, [.. present.Cast<float>()], hasNull, i.Negated, i.Type),
            _ => new PrimitiveInList<double>(operand, [.. present.Cast<double>()], hasNull, i.Negated, i.Type),
        };
    }

    private static VectorExpression StringIn(VectorExpression operand, object[] values, bool hasNull, bool negated, DataType type)
    {
        var set = new ByteStringSet();
        foreach (var v in values) set.Add(Bytes(v));
        return new StringPredicate<InStringSet>(operand, new InStringSet(set, hasNull), type, negated);
    }

    private VectorExpression Like(BoundLike l)
    {
        var text = l.Operand.Type.IsBinary ? DataType.Bytes : DataType.String;
        var operand = CompileAs(l.Operand, text);
        var pattern = CompileAs(l.Pattern, DataType.String);
        var escape = l.Escape is null ? null : CompileAs(l.Escape, DataType.String);
        if (pattern is ConstantExpression p && escape is null or ConstantExpression)
        {
            var esc = escape as ConstantExpression;
            if (p.IsNull || esc is { IsNull: true }) return new ConstantExpression(l.Type.WithNullable(true), null);
            var compiled = LikePattern.Compile((string)p.Value!, (string?)esc?.Value);
            return new StringPredicate<LikeTest>(operand, new LikeTest(compiled), l.Type, l.Negated);
        }
        VectorExpression[] args = escape is null ? [operand, pattern] : [operand, pattern, escape];
        return new LikeFunction(args, l.Type, l.Negated);
    }

    private VectorExpression Case(BoundCase c)
    {
        var conditions = c.Whens.Select(w => CompileAs(w.Condition, s_boolean)).ToArray();
        var results = c.Whens.Select(w => CompileAs(w.Result, c.Type)).ToArray();
        var elseResult = c.Else is null ? null : CompileAs(c.Else, c.Type);
        return new CaseExpression(conditions, results, elseResult, c.Type);
    }
}
