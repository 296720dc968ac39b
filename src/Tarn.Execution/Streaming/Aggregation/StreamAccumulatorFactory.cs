using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Streaming.Aggregation;

/// <summary>Chooses the streaming accumulator of an aggregate call; retracting when its input carries -U/-D.</summary>
public static class StreamAccumulatorFactory
{
    /// <param name="state">The operator's state, for DISTINCT aggregates' value counts.</param>
    /// <param name="index">The aggregate's position in the operator (its DISTINCT state namespace).</param>
    public static StreamAccumulator Create(AggregateCall call, bool retracting, State.OperatorState state, int index)
    {
        var plain = CreatePlain(call, retracting || call.Distinct);
        if (!call.Distinct || call.Kind == AggregateKind.CountStar) return plain;
        if (index > 200) throw new TarnException(SqlStates.FeatureNotSupported, "more than 200 aggregates in one streaming GROUP BY");
        return new DistinctStreamAccumulator(plain, state, (byte)(16 + index));
    }

    private static StreamAccumulator CreatePlain(AggregateCall call, bool retracting)
    {
        var t = call.Type;
        if (call.Kind == AggregateKind.CountStar) return new CountStreamAccumulator(t, countNulls: true);
        var arg = call.Argument!.Type;
        switch (call.Kind)
        {
            case AggregateKind.Count:
                return new CountStreamAccumulator(t, countNulls: false);
            case AggregateKind.BoolAnd or AggregateKind.BoolOr:
                return new BoolStreamAccumulator(t, call.Kind == AggregateKind.BoolAnd);
            case AggregateKind.Sum or AggregateKind.Avg:
                var avg = call.Kind == AggregateKind.Avg;
                return arg.Physical switch
                {
                    PhysicalType.Int8 => new SumStreamAccumulator<sbyte, long>(t, avg, 0),
                    PhysicalType.Int16 => new SumStreamAccumulator<short, long>(t, avg, 0),
                    PhysicalType.Int32 => new SumStreamAccumulator<int, long>(t, avg, 0),
                    PhysicalType.Int64 when arg.Kind == TypeKind.Decimal => new SumStreamAccumulator<long, Int128>(t, avg, arg.Scale),
                    PhysicalType.Int64 => new SumStreamAccumulator<long, long>(t, avg, 0),
                    PhysicalType.Int128 => new SumStreamAccumulator<Int128, Int128>(t, avg, arg.Scale),
                    PhysicalType.Float32 => new SumStreamAccumulator<float, double>(t, avg, 0),
                    PhysicalType.Float64 => new SumStreamAccumulator<double, double>(t, avg, 0),
                    _ => throw Unsupported(call),
                };
            case AggregateKind.Min or AggregateKind.Max:
                var max = call.Kind == AggregateKind.Max;
                return arg.Physical switch
                {
                    PhysicalType.Bool => new MinMaxStreamAccumulator<bool>(t, max, retracting),
                    PhysicalType.Int8 => new MinMaxStreamAccumulator<sbyte>(t, max, retracting),
                    PhysicalType.Int16 => new MinMaxStreamAccumulator<short>(t, max, retracting),
                    PhysicalType.Int32 => new MinMaxStreamAccumulator<int>(t, max, retracting),
                    PhysicalType.Int64 => new MinMaxStreamAccumulator<long>(t, max, retracting),
                    PhysicalType.Int128 => new MinMaxStreamAccumulator<Int128>(t, max, retracting),
                    PhysicalType.Float32 => new MinMaxStreamAccumulator<float>(t, max, retracting),
                    PhysicalType.Float64 => new MinMaxStreamAccumulator<double>(t, max, retracting),
                    _ => new StringMinMaxStreamAccumulator(t, max, retracting),
                };
            default:
                throw Unsupported(call);
        }
    }

    private static TarnException Unsupported(AggregateCall call) => new(SqlStates.FeatureNotSupported,
        $"{call.Kind.ToString().ToUpperInvariant()}({call.Argument?.Type.ToSql()}) is not supported in streaming mode yet; run the query with 'execution.runtime-mode' = 'batch'");
}
