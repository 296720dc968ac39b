using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// Typed constructors for bound expressions: each computes the result type with <see cref="TypeRules"/> and
/// rejects ill-typed input with a <see cref="TarnException"/> (42804 datatype mismatch, 42883 no such operator).
/// The binder should build nodes through these rather than with <c>new</c>.
/// </summary>
public static class BoundExpressions
{
    private static DataType Bool(bool nullable) => DataType.Boolean.WithNullable(nullable);

    public static BoundColumnRef Column(int index, DataType type) => new(index, type);

    public static BoundLiteral Literal(object? value, DataType type) => new(value, value is null ? type.WithNullable(true) : type);

    public static BoundParameter Parameter(int index, DataType type) => new(index, type);

    /// <summary>A cast, or <paramref name="operand"/> itself when it already has the type. 42804 if the cast is not allowed in <paramref name="mode"/>.</summary>
    public static BoundExpression Cast(BoundExpression operand, DataType type, CastMode mode = CastMode.Explicit)
    {
        if (!CastRules.CanCast(operand.Type, type, mode))
        {
            var what = mode == CastMode.Assignment ? "assign" : "cast";
            throw new TarnException(SqlStates.DatatypeMismatch,
                $"cannot {what} {operand.Type.WithNullable(true).ToSql()} to {type.WithNullable(true).ToSql()}");
        }
        var resultType = type.WithNullable(operand.Type.Nullable || mode == CastMode.Try);
        if (operand.Type.Equals(resultType)) return operand;
        if (operand is BoundLiteral { IsNull: true }) return BoundLiteral.Null(type);
        return new BoundCast(operand, resultType, mode);
    }

    public static BoundArithmetic Arithmetic(ArithmeticOperator op, BoundExpression left, BoundExpression right)
    {
        var type = TypeRules.ArithmeticType(op, left.Type, right.Type)
            ?? throw new TarnException(SqlStates.UndefinedFunction,
                $"operator does not exist: {left.Type.WithNullable(true).ToSql()} {BoundArithmetic.Symbol(op)} {right.Type.WithNullable(true).ToSql()}");
        return new BoundArithmetic(op, left, right, type);
    }

    public static BoundNegate Negate(BoundExpression operand)
    {
        var t = operand.Type;
        if (!(t.IsNumeric || t.Kind is TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth or TypeKind.Null))
            throw new TarnException(SqlStates.UndefinedFunction, $"operator does not exist: -{t.WithNullable(true).ToSql()}");
        return new BoundNegate(operand, t.Kind == TypeKind.Null ? DataType.Int : t);
    }

    public static BoundConcat Concat(BoundExpression left, BoundExpression right)
    {
        var l = left.Type;
        var r = right.Type;
        bool IsText(DataType t) => t.IsString || t.Kind == TypeKind.Null;
        bool IsBytes(DataType t) => t.IsBinary || t.Kind == TypeKind.Null;
        DataType type;
        if (IsText(l) && IsText(r)) type = DataType.Varchar(SumLength(l, r));
        else if (IsBytes(l) && IsBytes(r)) type = new DataType(TypeKind.Varbinary, Length: SumLength(l, r));
        else
            throw new TarnException(SqlStates.UndefinedFunction,
                $"operator does not exist: {l.WithNullable(true).ToSql()} || {r.WithNullable(true).ToSql()}");
        return new BoundConcat(left, right, type.WithNullable(l.Nullable || r.Nullable));
    }

    private static int SumLength(DataType a, DataType b)
    {
        var la = a.Kind == TypeKind.Null ? 0 : a.Length;
        var lb = b.Kind == TypeKind.Null ? 0 : b.Length;
        return (int)Math.Min(DataType.MaxLength, Math.Max(1L, (long)la + lb));
    }

    public static BoundComparison Compare(ComparisonOperator op, BoundExpression left, BoundExpression right)
    {
        var common = TypeRules.CommonType(left.Type, right.Type);
        if (common is null)
            throw new TarnException(SqlStates.DatatypeMismatch,
                $"cannot compare {left.Type.WithNullable(true).ToSql()} with {right.Type.WithNullable(true).ToSql()}");
        var nullable = op is not (ComparisonOperator.IsDistinctFrom or ComparisonOperator.IsNotDistinctFrom) && (left.Type.Nullable || right.Type.Nullable);
        if (Collations.Common(left.Type, right.Type) is { } collation) (left, right) = (Collations.Key(left, collation), Collations.Key(right, collation));
        return new BoundComparison(op, left, right, Bool(nullable));
    }

    private static void RequireBoolean(BoundExpression e, string context)
    {
        if (e.Type.Kind is not (TypeKind.Boolean or TypeKind.Null))
            throw new TarnException(SqlStates.DatatypeMismatch, $"argument of {context} must be BOOLEAN, not {e.Type.WithNullable(true).ToSql()}");
    }

    public static BoundExpression And(params IReadOnlyList<BoundExpression> operands) => Logical(LogicalOperator.And, operands);

    public static BoundExpression Or(params IReadOnlyList<BoundExpression> operands) => Logical(LogicalOperator.Or, operands);

    /// <summary>AND/OR over the operands, flattening nested nodes of the same operator; one operand is returned as is.</summary>
    public static BoundExpression Logical(LogicalOperator op, IReadOnlyList<BoundExpression> operands)
    {
        if (operands.Count == 0) throw new ArgumentException("AND/OR needs operands", nameof(operands));
        var flat = new List<BoundExpression>();
        var nullable = false;
        foreach (var e in operands)
        {
            RequireBoolean(e, op == LogicalOperator.And ? "AND" : "OR");
            if (e is BoundLogical l && l.Operator == op) flat.AddRange(l.Operands);
            else flat.Add(e);
            nullable |= e.Type.Nullable;
        }
        if (flat.Count == 1) return flat[0];
        return new BoundLogical(op, [.. flat], Bool(nullable));
    }

    public static BoundNot Not(BoundExpression operand)
    {
        RequireBoolean(operand, "NOT");
        return new BoundNot(operand, Bool(operand.Type.Nullable));
    }

    public static BoundIsNull IsNull(BoundExpression operand, bool negated = false) => new(operand, negated, Bool(false));

    public static BoundIsTruth IsTruth(BoundExpression operand, bool value, bool negated = false)
    {
        RequireBoolean(operand, "IS TRUE/FALSE");
        return new BoundIsTruth(operand, value, negated, Bool(false));
    }

    public static BoundInList In(BoundExpression operand, IReadOnlyList<BoundExpression> values, bool negated = false)
    {
        if (values.Count == 0) throw new ArgumentException("IN needs values", nameof(values));
        var nullable = operand.Type.Nullable;
        foreach (var v in values)
        {
            if (TypeRules.CommonType(operand.Type, v.Type) is null)
                throw new TarnException(SqlStates.DatatypeMismatch,
                    $"IN types {operand.Type.WithNullable(true).ToSql()} and {v.Type.WithNullable(true).ToSql()} cannot be matched");
            nullable |= v.Type.Nullable;
        }
        string? collation = null;
        foreach (var v in values) collation ??= Collations.Common(operand.Type, v.Type);
        if (collation is not null)
        {
            operand = Collations.Key(operand, collation);
            values = values.Select(v => Collations.Key(v, collation)).ToList();
        }
        return new BoundInList(operand, [.. values], negated, Bool(nullable));
    }

    public static BoundLike Like(BoundExpression operand, BoundExpression pattern, BoundExpression? escape = null, bool negated = false)
    {
        foreach (var e in escape is null ? new[] { operand, pattern } : [operand, pattern, escape])
        {
            if (!(e.Type.IsString || e.Type.Kind == TypeKind.Null))
                throw new TarnException(SqlStates.UndefinedFunction, $"operator does not exist: {e.Type.WithNullable(true).ToSql()} LIKE");
        }
        var nullable = operand.Type.Nullable || pattern.Type.Nullable || (escape?.Type.Nullable ?? false);
        return new BoundLike(operand, pattern, escape, negated, Bool(nullable));
    }

    /// <summary>Searched CASE; the result type is the common type of all THEN/ELSE arms.</summary>
    public static BoundCase Case(IReadOnlyList<BoundWhen> whens, BoundExpression? elseResult)
    {
        if (whens.Count == 0) throw new ArgumentException("CASE needs WHEN arms", nameof(whens));
        DataType? type = null;
        foreach (var w in whens)
        {
            RequireBoolean(w.Condition, "CASE/WHEN");
            type = type is null ? w.Result.Type : TypeRules.CommonType(type, w.Result.Type);
            if (type is null) throw new TarnException(SqlStates.DatatypeMismatch, "CASE types cannot be matched: " + string.Join(", ", whens.Select(x => x.Result.Type.ToSql())));
        }
        if (elseResult is not null)
        {
            type = TypeRules.CommonType(type!, elseResult.Type)
                ?? throw new TarnException(SqlStates.DatatypeMismatch, $"CASE types {type!.ToSql()} and {elseResult.Type.ToSql()} cannot be matched");
        }
        return new BoundCase([.. whens], elseResult, type!.WithNullable(type.Nullable || elseResult is null));
    }

    public static BoundCoalesce Coalesce(IReadOnlyList<BoundExpression> operands)
    {
        if (operands.Count == 0) throw new ArgumentException("COALESCE needs operands", nameof(operands));
        var type = TypeRules.CommonType(operands.Select(o => o.Type))
            ?? throw new TarnException(SqlStates.DatatypeMismatch, "COALESCE types cannot be matched: " + string.Join(", ", operands.Select(o => o.Type.ToSql())));
        var nullable = true;
        foreach (var o in operands) nullable &= o.Type.Nullable;
        return new BoundCoalesce([.. operands], type.WithNullable(nullable));
    }

    /// <summary>A scalar function call, see <see cref="FunctionRegistry.Bind"/>.</summary>
    public static BoundExpression Call(string name, params IReadOnlyList<BoundExpression> arguments) => FunctionRegistry.Bind(name, arguments);

    /// <summary>An aggregate call; 42883 when the aggregate does not apply to the argument type.</summary>
    public static AggregateCall Aggregate(AggregateKind kind, BoundExpression? argument, bool distinct = false, BoundExpression? filter = null, string? separator = null)
    {
        if (kind != AggregateKind.CountStar && argument is null) throw new ArgumentException("aggregate needs an argument", nameof(argument));
        if (filter is not null) RequireBoolean(filter, "FILTER");
        var type = TypeRules.AggregateType(kind, argument?.Type)
            ?? throw new TarnException(SqlStates.UndefinedFunction,
                $"function {kind.ToString().ToUpperInvariant()}({argument!.Type.WithNullable(true).ToSql()}) does not exist");
        if (kind == AggregateKind.ListAgg) separator ??= ",";
        return new AggregateCall(kind, kind == AggregateKind.CountStar ? null : argument, distinct && kind != AggregateKind.CountStar, filter, type,
            kind == AggregateKind.ListAgg ? separator : null);
    }
}
