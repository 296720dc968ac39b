using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Aggregation;

/// <summary>Accumulators for the statistical, boolean, string and approximate aggregates, by kind and argument type.</summary>
public static class ExtendedAccumulators
{
    public static Accumulator Create(AggregateCall call)
    {
        var t = call.Type;
        var arg = call.Argument!.Type;
        switch (call.Kind)
        {
            case AggregateKind.StddevPop or AggregateKind.StddevSamp or AggregateKind.VarPop or AggregateKind.VarSamp:
                var scale = arg.Kind == TypeKind.Decimal ? arg.Scale : 0;
                return arg.Physical switch
                {
                    PhysicalType.Int8 => new VarianceAccumulator<sbyte>(t, call.Kind, 0),
                    PhysicalType.Int16 => new VarianceAccumulator<short>(t, call.Kind, 0),
                    PhysicalType.Int32 => new VarianceAccumulator<int>(t, call.Kind, 0),
                    PhysicalType.Int64 => new VarianceAccumulator<long>(t, call.Kind, scale),
                    PhysicalType.Int128 => new VarianceAccumulator<Int128>(t, call.Kind, scale),
                    PhysicalType.Float32 => new VarianceAccumulator<float>(t, call.Kind, 0),
                    PhysicalType.Float64 => new VarianceAccumulator<double>(t, call.Kind, 0),
                    _ => throw Unsupported(call),
                };
            case AggregateKind.BoolAnd or AggregateKind.BoolOr:
                // FALSE < TRUE: AND is the minimum, OR the maximum
                return new MinMaxAccumulator<byte>(t, max: call.Kind == AggregateKind.BoolOr);
            case AggregateKind.ListAgg:
                return new ListAggAccumulator(t, call.Separator ?? ",");
            case AggregateKind.ArrayAgg:
                return new ArrayAggAccumulator(t);
            case AggregateKind.ApproxCountDistinct:
                return new HyperLogLogAccumulator(t);
            case AggregateKind.FirstValue or AggregateKind.LastValue:
                var last = call.Kind == AggregateKind.LastValue;
                return arg.Physical switch
                {
                    PhysicalType.Bool => new FirstLastAccumulator<bool>(t, last),
                    PhysicalType.Int8 => new FirstLastAccumulator<sbyte>(t, last),
                    PhysicalType.Int16 => new FirstLastAccumulator<short>(t, last),
                    PhysicalType.Int32 => new FirstLastAccumulator<int>(t, last),
                    PhysicalType.Int64 => new FirstLastAccumulator<long>(t, last),
                    PhysicalType.Int128 => new FirstLastAccumulator<Int128>(t, last),
                    PhysicalType.Float32 => new FirstLastAccumulator<float>(t, last),
                    PhysicalType.Float64 => new FirstLastAccumulator<double>(t, last),
                    _ => new StringFirstLastAccumulator(t, last),
                };
            default:
                throw Unsupported(call);
        }
    }

    private static TarnException Unsupported(AggregateCall call) =>
        new(SqlStates.UndefinedFunction, $"{call} is not supported for {call.Argument!.Type.ToSql()}");
}
