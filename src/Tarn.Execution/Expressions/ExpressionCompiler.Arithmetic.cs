using System.Numerics;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Expressions;

public sealed partial class ExpressionCompiler
{
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
        if (DecimalFastKernels.TryCreate(a.Operator, l, r, t) is { } fast) return fast;
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
}
