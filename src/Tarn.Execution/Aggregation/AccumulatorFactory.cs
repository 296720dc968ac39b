using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Aggregation;

/// <summary>Chooses the accumulator for an aggregate call by its kind and argument type.</summary>
public static class AccumulatorFactory
{
    public static Accumulator Create(AggregateCall call)
    {
        var t = call.Type;
        if (call.Kind == AggregateKind.CountStar) return new CountAccumulator(t, countNulls: true);
        var arg = call.Argument!.Type;
        switch (call.Kind)
        {
            case AggregateKind.Count:
                return new CountAccumulator(t, countNulls: false);
            case AggregateKind.StddevPop or AggregateKind.StddevSamp or AggregateKind.VarPop or AggregateKind.VarSamp:
            case AggregateKind.BoolAnd or AggregateKind.BoolOr:
            case AggregateKind.ListAgg or AggregateKind.ApproxCountDistinct or AggregateKind.ArrayAgg:
            case AggregateKind.FirstValue or AggregateKind.LastValue:
                return ExtendedAccumulators.Create(call);
            case AggregateKind.Sum:
            case AggregateKind.Avg:
                var avg = call.Kind == AggregateKind.Avg;
                return arg.Physical switch
                {
                    PhysicalType.Int8 => new SumAccumulator<sbyte, long>(t, avg, 0),
                    PhysicalType.Int16 => new SumAccumulator<short, long>(t, avg, 0),
                    PhysicalType.Int32 => new SumAccumulator<int, long>(t, avg, 0),
                    PhysicalType.Int64 when arg.Kind == TypeKind.Decimal => new SumAccumulator<long, Int128>(t, avg, arg.Scale),
                    PhysicalType.Int64 => new SumAccumulator<long, long>(t, avg, 0),
                    PhysicalType.Int128 => new SumAccumulator<Int128, Int128>(t, avg, arg.Scale),
                    PhysicalType.Float32 => new SumAccumulator<float, double>(t, avg, 0),
                    PhysicalType.Float64 => new SumAccumulator<double, double>(t, avg, 0),
                    _ => throw new TarnException(SqlStates.UndefinedFunction, $"{call.Kind.ToString().ToUpperInvariant()}({arg.ToSql()}) is not supported"),
                };
            default:
                var max = call.Kind == AggregateKind.Max;
                return arg.Physical switch
                {
                    PhysicalType.Bool => new MinMaxAccumulator<byte>(t, max),
                    PhysicalType.Int8 => new MinMaxAccumulator<sbyte>(t, max),
                    PhysicalType.Int16 => new MinMaxAccumulator<short>(t, max),
                    PhysicalType.Int32 => new MinMaxAccumulator<int>(t, max),
                    PhysicalType.Int64 => new MinMaxAccumulator<long>(t, max),
                    PhysicalType.Int128 => new MinMaxAccumulator<Int128>(t, max),
                    PhysicalType.Float32 => new MinMaxAccumulator<float>(t, max),
                    PhysicalType.Float64 => new MinMaxAccumulator<double>(t, max),
                    _ => new StringMinMaxAccumulator(t, max),
                };
        }
    }
}
