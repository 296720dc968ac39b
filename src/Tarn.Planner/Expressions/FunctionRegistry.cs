using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// The scalar functions (Flink's names and semantics) and the aggregate names. The binder calls
/// <see cref="Bind"/> for every <c>name(args)</c> that is not an aggregate. Special argument conventions:
/// <list type="bullet">
/// <item><c>EXTRACT(unit FROM x)</c> binds as <c>EXTRACT('UNIT', x)</c>; <c>FLOOR(x TO unit)</c> / <c>CEIL(x TO unit)</c>
/// as <c>FLOOR(x, 'UNIT')</c>; <c>POSITION(a IN b)</c> as <c>POSITION(a, b)</c>;
/// <c>TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)</c> as <c>TRIM|LTRIM|RTRIM(s [, chars])</c>;
/// <c>SUBSTRING(s FROM a FOR b)</c> as <c>SUBSTRING(s, a, b)</c>; niladic <c>CURRENT_TIMESTAMP</c> etc. as calls without arguments.</item>
/// <item><c>COALESCE</c> binds to <see cref="BoundCoalesce"/>, <c>NULLIF</c>/<c>IF</c> to <see cref="BoundCase"/>, <c>MOD</c> to <see cref="BoundArithmetic"/>.</item>
/// </list>
/// The table grows by <see cref="Register"/>; the engine must provide a kernel for each new name.
/// </summary>
public static partial class FunctionRegistry
{
    private static readonly Dictionary<string, ScalarFunctionDefinition> s_byName = new(StringComparer.OrdinalIgnoreCase);
    private static readonly List<ScalarFunctionDefinition> s_all = [];
    private static readonly Lock s_lock = new();

    static FunctionRegistry() => RegisterBuiltins();

    public static IReadOnlyList<ScalarFunctionDefinition> All
    {
        get { lock (s_lock) return [.. s_all]; }
    }

    public static void Register(ScalarFunctionDefinition definition)
    {
        lock (s_lock)
        {
            if (s_byName.ContainsKey(definition.Name)) throw new InvalidOperationException($"function {definition.Name} is already registered");
            s_byName[definition.Name] = definition;
            foreach (var alias in definition.Aliases) s_byName[alias] = definition;
            s_all.Add(definition);
        }
    }

    public static bool TryGet(string name, out ScalarFunctionDefinition definition)
    {
        lock (s_lock) return s_byName.TryGetValue(name, out definition!);
    }

    public static bool IsScalarFunction(string name) => TryGet(name, out _);

    /// <summary>Recognizes the aggregate functions (COUNT, SUM, MIN, MAX, AVG, STDDEV/VARIANCE, BOOL_AND/OR, LISTAGG, ...); <paramref name="star"/> is true for <c>COUNT(*)</c>.</summary>
    public static bool TryGetAggregate(string name, bool star, out AggregateKind kind)
    {
        switch (name.ToUpperInvariant())
        {
            case "COUNT": kind = star ? AggregateKind.CountStar : AggregateKind.Count; return true;
            case "SUM": kind = AggregateKind.Sum; return !star;
            case "MIN": kind = AggregateKind.Min; return !star;
            case "MAX": kind = AggregateKind.Max; return !star;
            case "AVG": kind = AggregateKind.Avg; return !star;
            case "STDDEV_POP": kind = AggregateKind.StddevPop; return !star;
            case "STDDEV_SAMP" or "STDDEV": kind = AggregateKind.StddevSamp; return !star;
            case "VAR_POP": kind = AggregateKind.VarPop; return !star;
            case "VAR_SAMP" or "VARIANCE": kind = AggregateKind.VarSamp; return !star;
            case "BOOL_AND" or "EVERY": kind = AggregateKind.BoolAnd; return !star;
            case "BOOL_OR": kind = AggregateKind.BoolOr; return !star;
            case "LISTAGG" or "STRING_AGG": kind = AggregateKind.ListAgg; return !star;
            case "APPROX_COUNT_DISTINCT": kind = AggregateKind.ApproxCountDistinct; return !star;
            case "FIRST_VALUE" or "ANY_VALUE" or "FIRST": kind = AggregateKind.FirstValue; return !star; // FIRST, LAST: DuckDB's names
            case "LAST_VALUE" or "LAST": kind = AggregateKind.LastValue; return !star;
            case "ARRAY_AGG" or "LIST": kind = AggregateKind.ArrayAgg; return !star; // LIST: DuckDB's name
            default: kind = default; return false;
        }
    }

    /// <summary>Binds a scalar function call; throws 42883 for an unknown name or unsuitable argument types.</summary>
    public static BoundExpression Bind(string name, IReadOnlyList<BoundExpression> arguments)
    {
        if (!TryGet(name, out var def))
            throw new TarnException(SqlStates.UndefinedFunction, $"function {name.ToUpperInvariant()} does not exist");
        var bound = def.Bind(arguments);
        if (bound is null)
        {
            var types = string.Join(", ", arguments.Select(a => a.Type.WithNullable(true).ToSql()));
            throw new TarnException(SqlStates.UndefinedFunction,
                $"function {def.Name}({types}) does not exist; expected {def.Syntax}");
        }
        return bound;
    }

    // ----- helpers for the definitions -----

    private static bool IsNullType(DataType t) => t.Kind == TypeKind.Null;
    private static bool Str(DataType t) => t.IsString || IsNullType(t);
    private static bool Int(DataType t) => t.IsIntegral || IsNullType(t);
    private static bool Num(DataType t) => t.IsNumeric || IsNullType(t);
    private static bool DateTime(DataType t) => t.Kind is TypeKind.Date or TypeKind.Timestamp or TypeKind.TimestampLtz || IsNullType(t);
    private static bool Temporal(DataType t) => DateTime(t) || t.Kind == TypeKind.Time;

    private static DataType StrType(DataType t) => IsNullType(t) ? DataType.String : t;
    private static DataType VarcharOf(DataType t) => IsNullType(t) ? DataType.String : DataType.Varchar(t.Length);

    private static bool AnyNullable(IReadOnlyList<BoundExpression> args)
    {
        foreach (var a in args) if (a.Type.Nullable) return true;
        return false;
    }

    /// <summary>Wraps an argument in an implicit cast to <paramref name="type"/> when its type differs.</summary>
    public static BoundExpression Coerce(BoundExpression e, DataType type)
    {
        if (e.Type.WithNullable(true).Equals(type.WithNullable(true))) return e;
        if (e is BoundLiteral { IsNull: true }) return BoundLiteral.Null(type);
        return new BoundCast(e, type.WithNullable(e.Type.Nullable), CastMode.Implicit);
    }

    /// <summary>
    /// A call of <paramref name="name"/> with arguments coerced to <paramref name="parameters"/>. The result is
    /// nullable when some argument is, or always when <paramref name="alwaysNullable"/> (functions that return NULL
    /// for some non-NULL input).
    /// </summary>
    private static BoundFunctionCall Call(string name, IReadOnlyList<BoundExpression> args, DataType[] parameters, DataType result, bool alwaysNullable = false)
    {
        var coerced = new BoundExpression[args.Count];
        for (var i = 0; i < args.Count; i++) coerced[i] = Coerce(args[i], parameters[i]);
        return new BoundFunctionCall(name, coerced, result.WithNullable(alwaysNullable || AnyNullable(args)));
    }

    private static bool IsUnitLiteral(BoundExpression e, out TimeUnit unit)
    {
        unit = default;
        return e is BoundLiteral { Value: string s } && TimeUnits.TryParse(s, out unit);
    }

    private static void Add(string name, string syntax, Func<IReadOnlyList<BoundExpression>, BoundExpression?> bind, params string[] aliases) =>
        Register(new ScalarFunctionDefinition(name, syntax, bind, aliases));
}
