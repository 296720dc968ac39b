using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>
/// Kernels for the scalar functions of <see cref="FunctionRegistry"/>, keyed by canonical name. Arguments arrive
/// compiled and already of the types the registry's signature chose.
/// </summary>
public static class FunctionLibrary
{
    public delegate VectorExpression Factory(BoundFunctionCall call, VectorExpression[] args, ExecutionContext context);

    private static readonly Dictionary<string, Factory> s_factories = new(StringComparer.Ordinal)
    {
        ["UPPER"] = (c, a, _) => new CaseFunction(a, c.Type, upper: true),
        ["LOWER"] = (c, a, _) => new CaseFunction(a, c.Type, upper: false),
        ["CHAR_LENGTH"] = (c, a, _) => new CharLengthFunction(a, c.Type),
        ["TRIM"] = (c, a, _) => new TrimFunction(a, c.Type, leading: true, trailing: true),
        ["LTRIM"] = (c, a, _) => new TrimFunction(a, c.Type, leading: true, trailing: false),
        ["RTRIM"] = (c, a, _) => new TrimFunction(a, c.Type, leading: false, trailing: true),
        ["SUBSTRING"] = (c, a, _) => new SubstringFunction(a, c.Type),
        ["CONCAT"] = (c, a, _) => new ConcatFunction(a, c.Type),
        ["CONCAT_WS"] = (c, a, _) => new ConcatWsFunction(a, c.Type),
        ["REPLACE"] = (c, a, _) => new ReplaceFunction(a, c.Type),
        ["POSITION"] = (c, a, _) => new PositionFunction(a, c.Type),
        ["ABS"] = (c, a, _) => NumericFunctions.Abs(a[0], c.Type),
        ["SIGN"] = (c, a, _) => NumericFunctions.Sign(a[0], c.Type),
        ["ROUND"] = (c, a, _) => NumericFunctions.Round(a[0], a[1], c.Type),
        ["FLOOR"] = (c, a, ctx) => a.Length == 1 ? NumericFunctions.Floor(a[0], c.Type, ceiling: false) : TemporalFloor(c, a, ctx, ceiling: false),
        ["CEIL"] = (c, a, ctx) => a.Length == 1 ? NumericFunctions.Floor(a[0], c.Type, ceiling: true) : TemporalFloor(c, a, ctx, ceiling: true),
        ["POWER"] = (c, a, _) => new BinaryMap<double, double, double, PowerOp>(a[0], a[1], c.Type, default),
        ["LOG"] = (c, a, _) => new BinaryMap<double, double, double, LogBaseOp>(a[0], a[1], c.Type, default),
        ["SQRT"] = (c, a, _) => new UnaryMap<double, double, SqrtOp>(a[0], c.Type, default),
        ["LN"] = (c, a, _) => new UnaryMap<double, double, LnOp>(a[0], c.Type, default),
        ["LOG10"] = (c, a, _) => new UnaryMap<double, double, Log10Op>(a[0], c.Type, default),
        ["LOG2"] = (c, a, _) => new UnaryMap<double, double, Log2Op>(a[0], c.Type, default),
        ["EXP"] = (c, a, _) => new UnaryMap<double, double, ExpOp>(a[0], c.Type, default),
        ["GREATEST"] = (c, a, _) => NumericFunctions.Extreme(a, c.Type, greatest: true),
        ["LEAST"] = (c, a, _) => NumericFunctions.Extreme(a, c.Type, greatest: false),
        ["DATE_FORMAT"] = (c, a, ctx) => new DateFormatFunction(a, c.Type, ctx.SessionTimeZone),
        ["TO_TIMESTAMP"] = (c, a, _) => new ParseDateTimeFunction(a, c.Type),
        ["TO_DATE"] = (c, a, _) => new ParseDateTimeFunction(a, c.Type),
        ["EXTRACT"] = Extract,
        ["CURRENT_TIMESTAMP"] = (c, _, ctx) => new ConstantExpression(c.Type, CurrentTime.Value("CURRENT_TIMESTAMP", ctx)),
        ["LOCALTIMESTAMP"] = (c, _, ctx) => new ConstantExpression(c.Type, CurrentTime.Value("LOCALTIMESTAMP", ctx)),
        ["CURRENT_DATE"] = (c, _, ctx) => new ConstantExpression(c.Type, CurrentTime.Value("CURRENT_DATE", ctx)),
        ["CURRENT_TIME"] = (c, _, ctx) => new ConstantExpression(c.Type, CurrentTime.Value("CURRENT_TIME", ctx)),
        ["MD5"] = (c, a, _) => new DigestFunction(a, c.Type, "MD5"),
        ["SHA1"] = (c, a, _) => new DigestFunction(a, c.Type, "SHA1"),
        ["SHA256"] = (c, a, _) => new DigestFunction(a, c.Type, "SHA256"),
        ["HASH_CODE"] = HashCode,
    };

    static FunctionLibrary() => ExtendedFunctions.Register(s_factories);

    public static bool Has(string name)
    {
        lock (s_factories) return s_factories.ContainsKey(name);
    }

    /// <summary>Adds a kernel for a function registered with <see cref="FunctionRegistry.Register"/>.</summary>
    public static void Register(string name, Factory factory)
    {
        lock (s_factories) s_factories.Add(name, factory);
    }

    public static VectorExpression Create(BoundFunctionCall call, VectorExpression[] args, ExecutionContext context)
    {
        Factory? f;
        lock (s_factories) s_factories.TryGetValue(call.Name, out f);
        if (f is null) throw new TarnException(SqlStates.UndefinedFunction, $"function {call.Name} has no implementation");
        return f(call, args, context);
    }

    private static string UnitText(VectorExpression unitArg) =>
        unitArg is ConstantExpression { Value: string s } ? s : throw new TarnException(SqlStates.InvalidParameterValue, "time unit must be a literal");

    /// <summary>DATE values are widened to long for the shared temporal ops.</summary>
    private static VectorExpression AsLong(VectorExpression v) =>
        v.Type.Physical == PhysicalType.Int32 ? new UnaryMap<int, long, NumberConvert<int, long>>(v, DataType.BigInt, default) : v;

    private static VectorExpression Extract(BoundFunctionCall call, VectorExpression[] args, ExecutionContext context)
    {
        var unit = TimeUnits.Parse(UnitText(args[0]));
        var input = args[1];
        if (input.Type.Kind == TypeKind.Time)
            return new UnaryMap<long, long, ExtractTimeOp>(input, call.Type, new ExtractTimeOp(unit, input.Type.Precision > 6 ? 1000 : 1));
        return new UnaryMap<long, long, ExtractOp>(AsLong(input), call.Type, new ExtractOp(unit, new WallClock(input.Type, context.SessionTimeZone)));
    }

    private static VectorExpression TemporalFloor(BoundFunctionCall call, VectorExpression[] args, ExecutionContext context, bool ceiling)
    {
        var unit = TimeUnits.Parse(UnitText(args[1]));
        var input = args[0];
        var isTime = input.Type.Kind == TypeKind.Time;
        var op = new TemporalFloorOp(unit, ceiling, new WallClock(input.Type, context.SessionTimeZone), isTime, input.Type.Precision > 6 ? 1000 : 1);
        if (input.Type.Kind == TypeKind.Date)
        {
            var floored = new UnaryMap<long, long, TemporalFloorOp>(AsLong(input), DataType.BigInt, op);
            return new UnaryMap<long, int, NumberConvert<long, int>>(floored, call.Type, default);
        }
        return new UnaryMap<long, long, TemporalFloorOp>(input, call.Type, op);
    }

    private static VectorExpression HashCode(BoundFunctionCall call, VectorExpression[] args, ExecutionContext context)
    {
        var a = args[0];
        return a.Type.Physical switch
        {
            PhysicalType.Binary => new TextHashCodeFunction(args, call.Type),
            PhysicalType.Bool => new UnaryMap<bool, int, JavaHashOp<bool>>(a, call.Type, default),
            PhysicalType.Int8 => new UnaryMap<sbyte, int, JavaHashOp<sbyte>>(a, call.Type, default),
            PhysicalType.Int16 => new UnaryMap<short, int, JavaHashOp<short>>(a, call.Type, default),
            PhysicalType.Int32 => new UnaryMap<int, int, JavaHashOp<int>>(a, call.Type, default),
            PhysicalType.Int64 => new UnaryMap<long, int, JavaHashOp<long>>(a, call.Type, default),
            PhysicalType.Int128 => new UnaryMap<Int128, int, JavaHashOp<Int128>>(a, call.Type, default),
            PhysicalType.Float32 => new UnaryMap<float, int, JavaHashOp<float>>(a, call.Type, default),
            _ => new UnaryMap<double, int, JavaHashOp<double>>(a, call.Type, default),
        };
    }
}
