using System.Numerics;
using System.Text;
using Tarn.Execution.Expressions.Functions;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>
/// Compiles bound expressions into vector kernels. Parameters become constants, constant subtrees are folded
/// (a subtree whose folding raises an error is left to raise it at run time, and only for rows that reach it),
/// operands are cast to the types the typing rules imply, and the kernel for each node is chosen once by type.
/// </summary>
public sealed partial class ExpressionCompiler(ExecutionContext context)
{
    private static readonly DataType s_boolean = DataType.Boolean;

    public ExecutionContext Context { get; } = context;

    public static VectorExpression Compile(BoundExpression expression, ExecutionContext context) =>
        new ExpressionCompiler(context).Compile(expression);

    public VectorExpression Compile(BoundExpression e)
    {
        var kernel = CompileNode(e);
        if (kernel is ConstantExpression) return kernel;
        kernel.ReferencedColumns = [.. e.ReferencedColumns()];
        kernel.MayFail = SubtreeMayFail(e);
        return HasNoColumns(e) ? Fold(kernel) : kernel;
    }

    /// <summary>Compiles <paramref name="e"/> and casts the result to <paramref name="type"/> if its type differs.</summary>
    public VectorExpression CompileAs(BoundExpression e, DataType type)
    {
        var k = Compile(e);
        return CastTo(k, type, e);
    }

    private VectorExpression CastTo(VectorExpression k, DataType type, BoundExpression source)
    {
        if (k.Type.WithNullable(true).Equals(type.WithNullable(true))) return k;
        var cast = CastCompiler.Create(k, type.WithNullable(k.Type.Nullable), CastMode.Implicit, Context);
        if (cast is ConstantExpression) return cast;
        cast.ReferencedColumns = k.ReferencedColumns;
        cast.MayFail = k.MayFail;
        return k is ConstantExpression ? Fold(cast) : cast;
    }

    private static bool HasNoColumns(BoundExpression e)
    {
        var none = true;
        e.Walk(x => none &= x is not BoundColumnRef);
        return none;
    }

    /// <summary>Evaluates a column-free kernel once; keeps the kernel if that raises an error.</summary>
    private static VectorExpression Fold(VectorExpression kernel)
    {
        if (kernel is ConstantExpression) return kernel;
        try
        {
            var v = kernel.Evaluate(new ColumnBatch([], 1));
            return new ConstantExpression(kernel.Type, PhysicalValues.Get(v, 0));
        }
        catch (TarnException)
        {
            return kernel;
        }
    }

    private static bool SubtreeMayFail(BoundExpression e)
    {
        var fail = false;
        e.Walk(x => fail |= NodeMayFail(x));
        return fail;
    }

    private static bool NodeMayFail(BoundExpression e) => e switch
    {
        BoundArithmetic a => !(a.Type.IsApproximate && a.Operator is ArithmeticOperator.Add or ArithmeticOperator.Subtract or ArithmeticOperator.Multiply),
        BoundNegate n => n.Type.IsIntegral,
        BoundCast c => c.Mode is CastMode.Explicit or CastMode.Assignment,
        BoundLike l => l.Pattern is not BoundLiteral || l.Escape is not (null or BoundLiteral),
        BoundFunctionCall f => f.Name is not ("UPPER" or "LOWER" or "CHAR_LENGTH" or "TRIM" or "LTRIM" or "RTRIM" or "SUBSTRING"
            or "CONCAT" or "CONCAT_WS" or "REPLACE" or "POSITION" or "MD5" or "SHA1" or "SHA256" or "HASH_CODE" or "TO_TIMESTAMP"
            or "TO_DATE" or "GREATEST" or "LEAST" or "CURRENT_TIMESTAMP" or "LOCALTIMESTAMP" or "CURRENT_DATE" or "CURRENT_TIME"),
        _ => false,
    };

    private VectorExpression CompileNode(BoundExpression e) => e switch
    {
        BoundColumnRef c => new ColumnExpression(c.Index, c.Type),
        BoundLiteral l => new ConstantExpression(l.Type, l.Value),
        BoundParameter p => Parameter(p),
        BoundCast c => CastCompiler.Create(Compile(c.Operand), c.Type, c.Mode, Context),
        BoundArithmetic a => Arithmetic(a),
        BoundNegate n => Negate(n),
        BoundConcat c => Concat(c),
        BoundComparison c => Comparison(c),
        BoundLogical l => Logical(l),
        BoundNot n => new NotExpression(CompileAs(n.Operand, s_boolean), n.Type),
        BoundIsNull n => new IsNullExpression(Compile(n.Operand), n.Negated, n.Type),
        BoundIsTruth t => new IsTruthExpression(CompileAs(t.Operand, s_boolean), t.Value, t.Negated, t.Type),
        BoundInList i => InList(i),
        BoundLike l => Like(l),
        BoundCase c => Case(c),
        BoundCoalesce c => new CoalesceExpression([.. c.Operands.Select(o => CompileAs(o, c.Type))], c.Type),
        BoundFunctionCall f => FunctionLibrary.Create(f, [.. f.Arguments.Select(Compile)], Context),
        _ => throw new TarnException(SqlStates.FeatureNotSupported, $"expression {e.GetType().Name} is not supported"),
    };

    private ConstantExpression Parameter(BoundParameter p)
    {
        if (p.Index < 0 || p.Index >= Context.Parameters.Count)
            throw new TarnException(SqlStates.InvalidParameterReference, $"there is no parameter ${p.Index + 1}");
        var value = Context.Parameters[p.Index];
        if (value is null or DBNull) return new ConstantExpression(p.Type.WithNullable(true), null);
        var type = p.Type.Kind == TypeKind.Null ? InferType(value) : p.Type;
        try
        {
            var v = ColumnVector.Create(type, 1);
            ValueConverter.AppendClr(v, value);
            return new ConstantExpression(type.WithNullable(false), PhysicalValues.Get(v, 0));
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new TarnException(SqlStates.InvalidParameterValue, $"parameter ${p.Index + 1}: cannot convert {value} to {type.ToSql()}", ex);
        }
    }

    private static DataType InferType(object value) => value switch
    {
        bool => DataType.Boolean,
        sbyte => DataType.TinyInt,
        short => DataType.SmallInt,
        int => DataType.Int,
        long => DataType.BigInt,
        float => DataType.Float,
        double => DataType.Double,
        decimal m => DataType.Decimal(38, Math.Min((int)m.Scale, 18)),
        DateOnly => DataType.Date,
        DateTime => DataType.Timestamp(6),
        DateTimeOffset => DataType.TimestampLtz(6),
        TimeOnly => DataType.Time(6),
        byte[] => DataType.Bytes,
        _ => DataType.String,
    };

    // ----- arithmetic -----

    private VectorExpression Arithmetic(BoundArithmetic a)
    {
        var t = a.Type;
        if (t.Kind == TypeKind.Null || a.Left is BoundLiteral { IsNull: true } || a.Right is BoundLiteral { IsNull: true })
            return new ConstantExpression(t.Kind == TypeKind.Null ? t : t.WithNullable(true), null);
        if (t.IsIntegral || t.IsApproximate)
        {
            var l = CompileAs(a.Left, t);
            var r = CompileAs(a.Right, t);
            return t.Physical switch
            {
                PhysicalType.Int8 => IntegerOp<sbyte>(a.Operator, l, r, t),
                PhysicalType.Int16 => IntegerOp<short>(a.Operator, l, r, t),
                PhysicalType.Int32 => IntegerOp<int>(a.Operator, l, r, t),
                PhysicalType.Int64 => IntegerOp<long>(a.Operator, l, r, t),
                PhysicalType.Float32 => FloatOp<float>(a.Operator, l, r, t),
                _ => FloatOp<double>(a.Operator, l, r, t),
            };
        }
        if (t.Kind == TypeKind.Decimal) return DecimalOp(a);
        if (t.Kind is TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth)
        {
            var l = CompileAs(a.Left, t);
            var r = CompileAs(a.Right, t);
            return t.Physical == PhysicalType.Int64 ? IntegerOp<long>(a.Operator, l, r, t) : IntegerOp<int>(a.Operator, l, r, t);
        }
        return TemporalOp(a);
    }

    private static VectorExpression IntegerOp<T>(ArithmeticOperator op, VectorExpression l, VectorExpression r, DataType t)
        where T : unmanaged, IBinaryInteger<T> => op switch
    {
        ArithmeticOperator.Add => new BinaryMap<T, T, T, CheckedAdd<T>>(l, r, t, default),
        ArithmeticOperator.Subtract => new BinaryMap<T, T, T, CheckedSubtract<T>>(l, r, t, default),
        ArithmeticOperator.Multiply => new BinaryMap<T, T, T, CheckedMultiply<T>>(l, r, t, default),
        ArithmeticOperator.Divide => new BinaryMap<T, T, T, CheckedDivide<T>>(l, r, t, default),
        _ => new BinaryMap<T, T, T, CheckedModulo<T>>(l, r, t, default),
    };

    private static VectorExpression FloatOp<T>(ArithmeticOperator op, VectorExpression l, VectorExpression r, DataType t)
        where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        ArithmeticOperator.Add => new BinaryMap<T, T, T, FloatAdd<T>>(l, r, t, default),
        ArithmeticOperator.Subtract => new BinaryMap<T, T, T, FloatSubtract<T>>(l, r, t, default),
        ArithmeticOperator.Multiply => new BinaryMap<T, T, T, FloatMultiply<T>>(l, r, t, default),
        ArithmeticOperator.Divide => new BinaryMap<T, T, T, FloatDivide<T>>(l, r, t, default),
        _ => new BinaryMap<T, T, T, FloatModulo<T>>(l, r, t, default),
    };

    private VectorExpression DecimalOperand(BoundExpression e) =>
        e.Type.Kind == TypeKind.Decimal ? Compile(e) : CompileAs(e, TypeRules.AsDecimal(e.Type));

    private VectorExpression DecimalOp(BoundArithmetic a)
    {
        var l = DecimalOperand(a.Left);
        var r = DecimalOperand(a.Right);
        var t = a.Type;
        var wideL = l.Type.Physical == PhysicalType.Int128;
        var wideR = r.Type.Physical == PhysicalType.Int128;
        var wideOut = t.Physical == PhysicalType.Int128;
        return (wideL, wideR, wideOut) switch
        {
            (false, false, false) => Decimal<long, long, long>(a.Operator, l, r, t),
            (false, false, true) => Decimal<long, long, Int128>(a.Operator, l, r, t),
            (false, true, false) => Decimal<long, Int128, long>(a.Operator, l, r, t),
            (false, true, true) => Decimal<long, Int128, Int128>(a.Operator, l, r, t),
            (true, false, false) => Decimal<Int128, long, long>(a.Operator, l, r, t),
            (true, false, true) => Decimal<Int128, long, Int128>(a.Operator, l, r, t),
            (true, true, false) => Decimal<Int128, Int128, long>(a.Operator, l, r, t),
            _ => Decimal<Int128, Int128, Int128>(a.Operator, l, r, t),
        };
    }

    private static VectorExpression Decimal<TL, TR, TOut>(ArithmeticOperator op, VectorExpression l, VectorExpression r, DataType t)
        where TL : unmanaged, IBinaryInteger<TL> where TR : unmanaged, IBinaryInteger<TR> where TOut : unmanaged, IBinaryInteger<TOut> =>
        new BinaryMap<TL, TR, TOut, DecimalArithmetic<TL, TR, TOut>>(l, r, t, new DecimalArithmetic<TL, TR, TOut>
        {
            Operator = op,
            LeftScale = l.Type.Scale,
            RightScale = r.Type.Scale,
            Scale = t.Scale,
            Precision = t.Precision,
        });

    private VectorExpression TemporalOp(BoundArithmetic a)
    {
        var (temporal, interval) = a.Left.Type.Kind is TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth
            ? (a.Right, a.Left)
            : (a.Left, a.Right);
        var sign = a.Operator == ArithmeticOperator.Subtract ? -1 : 1;
        var t = a.Type;
        var ts = CompileAs(temporal, t);
        var iv = Compile(interval);
        var monthly = iv.Type.Kind == TypeKind.IntervalYearMonth;
        var unitsPerMicro = t.Precision > 6 ? 1000L : 1L;
        switch (t.Kind)
        {
            case TypeKind.Date:
                return monthly
                    ? new BinaryMap<int, int, int, DatePlusMonths>(ts, iv, t, new DatePlusMonths(sign))
                    : new BinaryMap<int, long, int, DatePlusMicros>(ts, iv, t, new DatePlusMicros(sign));
            case TypeKind.Time:
                return new BinaryMap<long, long, long, TimePlusMicros>(ts, iv, t,
                    new TimePlusMicros(unitsPerMicro, 86_400_000_000L * unitsPerMicro, sign));
            default:
                return monthly
                    ? new BinaryMap<long, int, long, TimestampPlusMonths>(ts, iv, t, new TimestampPlusMonths(86_400_000_000L * unitsPerMicro, sign))
                    : new BinaryMap<long, long, long, TimestampPlusMicros>(ts, iv, t, new TimestampPlusMicros(unitsPerMicro, sign));
        }
    }

    private VectorExpression Negate(BoundNegate n)
    {
        var t = n.Type;
        var x = CompileAs(n.Operand, t);
        return t.Physical switch
        {
            PhysicalType.Int8 => new UnaryMap<sbyte, sbyte, CheckedNegate<sbyte>>(x, t, default),
            PhysicalType.Int16 => new UnaryMap<short, short, CheckedNegate<short>>(x, t, default),
            PhysicalType.Int32 => new UnaryMap<int, int, CheckedNegate<int>>(x, t, default),
            PhysicalType.Int64 => new UnaryMap<long, long, CheckedNegate<long>>(x, t, default),
            PhysicalType.Int128 => new UnaryMap<Int128, Int128, CheckedNegate<Int128>>(x, t, default),
            PhysicalType.Float32 => new UnaryMap<float, float, CheckedNegate<float>>(x, t, default),
            _ => new UnaryMap<double, double, CheckedNegate<double>>(x, t, default),
        };
    }

    private VectorExpression Concat(BoundConcat c)
    {
        var operandType = c.Type.IsBinary ? DataType.Bytes : DataType.String;
        return new ConcatExpression(CompileAs(c.Left, operandType), CompileAs(c.Right, operandType), c.Type);
    }

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
