using Tarn.Types;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>Kernel choice for the numeric functions by physical type.</summary>
public static class NumericFunctions
{
    public static VectorExpression Abs(VectorExpression x, DataType type) => x.Type.Physical switch
    {
        PhysicalType.Int8 => new UnaryMap<sbyte, sbyte, AbsOp<sbyte>>(x, type, default),
        PhysicalType.Int16 => new UnaryMap<short, short, AbsOp<short>>(x, type, default),
        PhysicalType.Int32 => new UnaryMap<int, int, AbsOp<int>>(x, type, default),
        PhysicalType.Int64 => new UnaryMap<long, long, AbsOp<long>>(x, type, default),
        PhysicalType.Int128 => new UnaryMap<Int128, Int128, AbsOp<Int128>>(x, type, default),
        PhysicalType.Float32 => new UnaryMap<float, float, AbsOp<float>>(x, type, default),
        _ => new UnaryMap<double, double, AbsOp<double>>(x, type, default),
    };

    public static VectorExpression Sign(VectorExpression x, DataType type)
    {
        if (type.Kind == TypeKind.Decimal)
        {
            return type.Physical == PhysicalType.Int64
                ? new UnaryMap<long, long, DecimalSignOp<long>>(x, type, new(type.Scale, type.Precision))
                : new UnaryMap<Int128, Int128, DecimalSignOp<Int128>>(x, type, new(type.Scale, type.Precision));
        }
        return x.Type.Physical switch
        {
            PhysicalType.Int8 => new UnaryMap<sbyte, sbyte, SignOp<sbyte>>(x, type, default),
            PhysicalType.Int16 => new UnaryMap<short, short, SignOp<short>>(x, type, default),
            PhysicalType.Int32 => new UnaryMap<int, int, SignOp<int>>(x, type, default),
            PhysicalType.Int64 => new UnaryMap<long, long, SignOp<long>>(x, type, default),
            PhysicalType.Float32 => new UnaryMap<float, float, SignOp<float>>(x, type, default),
            _ => new UnaryMap<double, double, SignOp<double>>(x, type, default),
        };
    }

    public static VectorExpression Floor(VectorExpression x, DataType type, bool ceiling)
    {
        var from = x.Type;
        if (from.IsIntegral) return x;
        if (from.Kind == TypeKind.Decimal)
        {
            var s = from.Scale;
            return (from.Physical, type.Physical) switch
            {
                (PhysicalType.Int64, PhysicalType.Int64) => new UnaryMap<long, long, DecimalFloorOp<long, long>>(x, type, new(s, ceiling)),
                (PhysicalType.Int64, _) => new UnaryMap<long, Int128, DecimalFloorOp<long, Int128>>(x, type, new(s, ceiling)),
                (_, PhysicalType.Int64) => new UnaryMap<Int128, long, DecimalFloorOp<Int128, long>>(x, type, new(s, ceiling)),
                _ => new UnaryMap<Int128, Int128, DecimalFloorOp<Int128, Int128>>(x, type, new(s, ceiling)),
            };
        }
        if (from.Physical == PhysicalType.Float32)
            return ceiling ? new UnaryMap<float, float, CeilOp<float>>(x, type, default) : new UnaryMap<float, float, FloorOp<float>>(x, type, default);
        return ceiling ? new UnaryMap<double, double, CeilOp<double>>(x, type, default) : new UnaryMap<double, double, FloorOp<double>>(x, type, default);
    }

    public static VectorExpression Round(VectorExpression x, VectorExpression digits, DataType type)
    {
        var from = x.Type;
        if (from.Kind == TypeKind.Decimal)
        {
            var op = (from.Scale, type.Scale, type.Precision);
            return (from.Physical, type.Physical) switch
            {
                (PhysicalType.Int64, PhysicalType.Int64) => new BinaryMap<long, long, long, DecimalRoundOp<long, long>>(x, digits, type, new(op.Item1, op.Item2, op.Item3)),
                (PhysicalType.Int64, _) => new BinaryMap<long, long, Int128, DecimalRoundOp<long, Int128>>(x, digits, type, new(op.Item1, op.Item2, op.Item3)),
                (_, PhysicalType.Int64) => new BinaryMap<Int128, long, long, DecimalRoundOp<Int128, long>>(x, digits, type, new(op.Item1, op.Item2, op.Item3)),
                _ => new BinaryMap<Int128, long, Int128, DecimalRoundOp<Int128, Int128>>(x, digits, type, new(op.Item1, op.Item2, op.Item3)),
            };
        }
        return from.Physical switch
        {
            PhysicalType.Int8 => new BinaryMap<sbyte, long, sbyte, IntegerRoundOp<sbyte>>(x, digits, type, default),
            PhysicalType.Int16 => new BinaryMap<short, long, short, IntegerRoundOp<short>>(x, digits, type, default),
            PhysicalType.Int32 => new BinaryMap<int, long, int, IntegerRoundOp<int>>(x, digits, type, default),
            PhysicalType.Int64 => new BinaryMap<long, long, long, IntegerRoundOp<long>>(x, digits, type, default),
            PhysicalType.Float32 => new BinaryMap<float, long, float, FloatingRoundOp<float>>(x, digits, type, default),
            _ => new BinaryMap<double, long, double, FloatingRoundOp<double>>(x, digits, type, default),
        };
    }

    /// <summary>GREATEST/LEAST: pairwise over arguments already cast to the common type; NULL if any is NULL.</summary>
    public static VectorExpression Extreme(VectorExpression[] args, DataType type, bool greatest)
    {
        if (type.Physical == PhysicalType.Binary) return new StringExtremeFunction(args, type, greatest);
        var acc = args[0];
        for (var i = 1; i < args.Length; i++) acc = Pair(acc, args[i], type, greatest);
        return acc;
    }

    private static VectorExpression Pair(VectorExpression a, VectorExpression b, DataType type, bool greatest) => type.Physical switch
    {
        PhysicalType.Bool => greatest
            ? new BinaryMap<bool, bool, bool, BoolMax>(a, b, type, default)
            : new BinaryMap<bool, bool, bool, BoolMin>(a, b, type, default),
        PhysicalType.Int8 => greatest ? new BinaryMap<sbyte, sbyte, sbyte, MaxOp<sbyte>>(a, b, type, default) : new BinaryMap<sbyte, sbyte, sbyte, MinOp<sbyte>>(a, b, type, default),
        PhysicalType.Int16 => greatest ? new BinaryMap<short, short, short, MaxOp<short>>(a, b, type, default) : new BinaryMap<short, short, short, MinOp<short>>(a, b, type, default),
        PhysicalType.Int32 => greatest ? new BinaryMap<int, int, int, MaxOp<int>>(a, b, type, default) : new BinaryMap<int, int, int, MinOp<int>>(a, b, type, default),
        PhysicalType.Int64 => greatest ? new BinaryMap<long, long, long, MaxOp<long>>(a, b, type, default) : new BinaryMap<long, long, long, MinOp<long>>(a, b, type, default),
        PhysicalType.Int128 => greatest ? new BinaryMap<Int128, Int128, Int128, MaxOp<Int128>>(a, b, type, default) : new BinaryMap<Int128, Int128, Int128, MinOp<Int128>>(a, b, type, default),
        PhysicalType.Float32 => greatest ? new BinaryMap<float, float, float, MaxOp<float>>(a, b, type, default) : new BinaryMap<float, float, float, MinOp<float>>(a, b, type, default),
        _ => greatest ? new BinaryMap<double, double, double, MaxOp<double>>(a, b, type, default) : new BinaryMap<double, double, double, MinOp<double>>(a, b, type, default),
    };

    private readonly struct BoolMax : IBinaryOp<bool, bool, bool> { public bool TryApply(bool a, bool b, out bool r) { r = a | b; return true; } }
    private readonly struct BoolMin : IBinaryOp<bool, bool, bool> { public bool TryApply(bool a, bool b, out bool r) { r = a & b; return true; } }
}
