using System.Globalization;
using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;
using Tarn.Types;
using AstTimeUnit = Tarn.Sql.Ast.TimeUnit;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// Binds an expression against <paramref name="scope"/>. With <paramref name="aggregation"/> set, the expression is
    /// evaluated after grouping: GROUP BY expressions and aggregate calls become references to the aggregate's output.
    /// </summary>
    public BoundExpression BindExpression(Expression e, Scope scope, AggregationState? aggregation = null)
    {
        EnsureStack(e.Position);
        if (e is ColumnRef { Parts.Count: 1 } parameter && MacroFrames.Count > 0 && TryBindMacroParameter(parameter, scope, aggregation) is { } argument) return argument;
        if (_outer is not null && e is FunctionCall { Over: null } call && BelongsToEnclosingQuery(call, scope)) return BindOuterAggregate(call);
        if (aggregation is not null && aggregation.TryIntercept(this, e) is { } replaced) return replaced;
        BoundExpression B(Expression x) => BindExpression(x, scope, aggregation);
        try
        {
            return e switch
            {
                IntegerLiteral i => i.Value is >= int.MinValue and <= int.MaxValue ? BoundLiteral.Of((int)i.Value) : BoundLiteral.Of(i.Value),
                DecimalLiteral d => BindDecimal(d),
                DoubleLiteral d => BoundLiteral.Of(d.Value),
                StringLiteral s => new BoundLiteral(s.Value, DataType.Char(Math.Max(1, s.Value.Length)).WithNullable(false)),
                BinaryLiteral b => new BoundLiteral(b.ToBytes(), new DataType(TypeKind.Binary, Length: Math.Max(1, b.Hex.Length / 2), Nullable: false)),
                BooleanLiteral b => b.Value is { } v ? BoundLiteral.Of(v) : BoundLiteral.Null(DataType.Boolean),
                NullLiteral => BoundLiteral.Null(DataType.Null),
                DateTimeLiteral dt => BindDateTime(dt),
                IntervalLiteral iv => BindInterval(iv),
                ParameterExpression p => BindParameter(p),
                ColumnRef c => BindColumn(c, scope),
                StarExpression s => throw Error(SqlStates.SyntaxError, "'*' is only allowed in a select list or COUNT(*)", s.Position),
                UnaryExpression { Operator: UnaryOperator.Plus } u => B(u.Operand),
                UnaryExpression { Operator: UnaryOperator.Minus } u => BoundExpressions.Negate(B(u.Operand)),
                UnaryExpression { Operator: UnaryOperator.Not } u => BoundExpressions.Not(B(u.Operand)),
                BinaryExpression b => BindBinary(b, scope, aggregation),
                IsExpression { Test: IsTest.Null } i => BoundExpressions.IsNull(B(i.Operand), i.Negated),
                IsExpression { Test: IsTest.Unknown } i => BoundExpressions.IsNull(B(i.Operand), i.Negated),
                IsExpression { Test: IsTest.Json or IsTest.JsonValue or IsTest.JsonScalar or IsTest.JsonArray or IsTest.JsonObject } i => BindIsJson(i, B(i.Operand)),
                IsExpression i => BoundExpressions.IsTruth(B(i.Operand), i.Test == IsTest.True, i.Negated),
                IsDistinctFromExpression d => Compare(d.Negated ? ComparisonOperator.IsNotDistinctFrom : ComparisonOperator.IsDistinctFrom, d.Left, d.Right, scope, aggregation),
                BetweenExpression b => BindBetween(b, scope, aggregation),
                InListExpression i => BindInList(i, scope, aggregation),
                LikeExpression { Kind: PatternKind.Like } l => BoundExpressions.Like(B(l.Operand), B(l.Pattern), l.Escape is null ? null : B(l.Escape), l.Negated),
                CaseExpression c => BindCase(c, scope, aggregation),
                CastExpression c => BindCast(c, scope, aggregation),
                ExtractExpression x => BoundExpressions.Call("EXTRACT", UnitLiteral(x.Unit, x.Position), B(x.Source)),
                FloorCeilExpression f => BoundExpressions.Call(f.Ceiling ? "CEIL" : "FLOOR", B(f.Operand), UnitLiteral(f.Unit, f.Position)),
                TrimExpression t => BindTrim(t, scope, aggregation),
                JsonValueExpression j => BindJsonValue(j, scope, aggregation),
                FunctionCall f => BindFunction(f, scope, aggregation),
                CollateExpression c => BindCollate(c, scope, aggregation),
                ArrayConstructor a => BoundExpressions.Call(FunctionRegistry.ArrayValueFunction, [.. a.Elements.Select(B)]),
                SubscriptExpression s => BoundExpressions.Call(FunctionRegistry.ArrayExtractFunction, B(s.Operand), B(s.Index)),
                TimeUnitExpression u => UnitLiteral(u.Unit, u.Position),
                LikeExpression { Kind: PatternKind.SimilarTo } l => throw Error(SqlStates.FeatureNotSupported, "SIMILAR TO is not supported yet", l.Position),
                ExistsExpression or ScalarSubquery or InSubqueryExpression or QuantifiedComparisonExpression => BindSubqueryExpression(e, scope, aggregation),
                _ => throw Error(SqlStates.FeatureNotSupported, $"{Describe(e)} is not supported yet", e.Position),
            };
        }
        catch (TarnException ex) when (ex.Position is null)
        {
            // Errors from typing rules carry no position: attach the expression's.
            throw new TarnException(ex.SqlState, $"{ex.Message} at {e.Position}", e.Position, ex);
        }
    }

    private static string Describe(Node n) => n.GetType().Name.Replace("Expression", "", StringComparison.Ordinal).ToLowerInvariant();

    private static BoundLiteral UnitLiteral(AstTimeUnit unit, SourcePosition position)
    {
        var name = unit switch
        {
            AstTimeUnit.DayOfWeek => "DOW",
            AstTimeUnit.DayOfYear => "DOY",
            AstTimeUnit.IsoDayOfWeek or AstTimeUnit.IsoYear => throw Error(SqlStates.FeatureNotSupported, $"unit {unit} is not supported", position),
            _ => unit.ToString().ToUpperInvariant(),
        };
        if (!Tarn.Planner.Expressions.TimeUnits.TryParse(name, out var parsed)) throw Error(SqlStates.FeatureNotSupported, $"unit {unit} is not supported", position);
        return BoundLiteral.Of(Tarn.Planner.Expressions.TimeUnits.Name(parsed));
    }

    private BoundExpression BindColumn(ColumnRef c, Scope scope)
    {
        int index;
        try
        {
            index = scope.Resolve(c);
        }
        catch (TarnException ex) when (ex.SqlState == SqlStates.UndefinedColumn && _outer is not null)
        {
            if (TryBindOuterColumn(c) is { } outer) return outer;
            throw;
        }
        return BoundExpressions.Column(index, scope.Columns[index].Type);
    }

    private static BoundLiteral BindDecimal(DecimalLiteral d)
    {
        var precision = d.Precision;
        var scale = d.Scale;
        if (precision > DataType.MaxDecimalPrecision)
        {
            // Too many digits for DECIMAL: Flink makes such literals DOUBLE.
            return BoundLiteral.Of(double.Parse(d.Text, CultureInfo.InvariantCulture));
        }
        var type = DataType.Decimal(precision, scale).WithNullable(false);
        if (!LiteralParser.TryParseDecimal(d.Text, scale, out var unscaled))
            throw Error(SqlStates.InvalidTextRepresentation, $"invalid number '{d.Text}'", d.Position);
        return new BoundLiteral(precision <= 18 ? (object)(long)unscaled : unscaled, type);
    }

    private static BoundLiteral BindDateTime(DateTimeLiteral dt)
    {
        switch (dt.Kind)
        {
            case DateTimeLiteralKind.Date:
                if (!LiteralParser.TryParseDate(dt.Value, out var days))
                    throw Error(SqlStates.InvalidTextRepresentation, $"invalid DATE literal '{dt.Value}'", dt.Position);
                return new BoundLiteral(days, DataType.Date.WithNullable(false));
            case DateTimeLiteralKind.Time:
            {
                var type = DataType.Time(Math.Max(0, LiteralParser.FractionDigits(dt.Value))).WithNullable(false);
                if (!LiteralParser.TryParseTime(dt.Value, type, out var units))
                    throw Error(SqlStates.InvalidTextRepresentation, $"invalid TIME literal '{dt.Value}'", dt.Position);
                return new BoundLiteral(units, type);
            }
            default:
            {
                var type = DataType.Timestamp(Math.Max(0, LiteralParser.FractionDigits(dt.Value))).WithNullable(false);
                if (!LiteralParser.TryParseTimestamp(dt.Value, type, out var units))
                    throw Error(SqlStates.InvalidTextRepresentation, $"invalid TIMESTAMP literal '{dt.Value}'", dt.Position);
                return new BoundLiteral(units, type);
            }
        }
    }

    private static BoundLiteral BindInterval(IntervalLiteral iv)
    {
        var text = iv.Value.Trim();
        var negative = iv.Negative;
        if (text.StartsWith('-')) { negative = !negative; text = text[1..]; }
        var q = iv.Qualifier;
        var bad = () => Error(SqlStates.InvalidTextRepresentation, $"invalid interval literal '{iv.Value}'", iv.Position);
        if (q.IsYearMonth)
        {
            int months;
            if (q.End is AstTimeUnit.Month && q.Start == AstTimeUnit.Year)
            {
                var parts = text.Split('-');
                if (parts.Length != 2 || !int.TryParse(parts[0], out var y) || !int.TryParse(parts[1], out var m)) throw bad();
                months = y * 12 + m;
            }
            else
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) throw bad();
                months = q.Start == AstTimeUnit.Year ? n * 12 : n;
            }
            return new BoundLiteral(negative ? -months : months, new DataType(TypeKind.IntervalYearMonth, Nullable: false));
        }
        long micros;
        if (q.End is null)
        {
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) throw bad();
            var unitMicros = q.Start switch
            {
                AstTimeUnit.Day => 86_400_000_000m,
                AstTimeUnit.Hour => 3_600_000_000m,
                AstTimeUnit.Minute => 60_000_000m,
                AstTimeUnit.Second => 1_000_000m,
                AstTimeUnit.Millisecond => 1_000m,
                AstTimeUnit.Microsecond => 1m,
                AstTimeUnit.Week => 7 * 86_400_000_000m,
                _ => throw bad(),
            };
            micros = (long)(n * unitMicros);
        }
        else
        {
            // DAY TO HOUR/MINUTE/SECOND, HOUR TO MINUTE/SECOND, MINUTE TO SECOND: "d hh:mm:ss.f" with leading fields per qualifier.
            var daySplit = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            long days = 0;
            var rest = text;
            if (q.Start == AstTimeUnit.Day)
            {
                if (!long.TryParse(daySplit[0], NumberStyles.None, CultureInfo.InvariantCulture, out days)) throw bad();
                rest = daySplit.Length > 1 ? daySplit[1] : "0";
            }
            var fields = rest.Split(':');
            var units = new List<AstTimeUnit>();
            var start = q.Start == AstTimeUnit.Day ? AstTimeUnit.Hour : q.Start;
            for (var u = start; u <= q.End.Value; u++) if (u is AstTimeUnit.Hour or AstTimeUnit.Minute or AstTimeUnit.Second) units.Add(u);
            if (fields.Length != units.Count) throw bad();
            micros = days * 86_400_000_000L;
            for (var i = 0; i < fields.Length; i++)
            {
                if (!decimal.TryParse(fields[i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)) throw bad();
                micros += (long)(v * units[i] switch { AstTimeUnit.Hour => 3_600_000_000m, AstTimeUnit.Minute => 60_000_000m, _ => 1_000_000m });
            }
        }
        return new BoundLiteral(negative ? -micros : micros, new DataType(TypeKind.IntervalDayTime, Nullable: false));
    }

    private BoundLiteral BindParameter(ParameterExpression p)
    {
        object? value;
        if (p.Name is { } name)
        {
            if (_context.NamedParameters is null || !_context.NamedParameters.TryGetValue(name, out value))
                throw Error(SqlStates.InvalidParameterReference, $"no value was given for parameter '{name}'", p.Position);
        }
        else
        {
            var list = _context.PositionalParameters;
            if (list is null || p.Ordinal < 1 || p.Ordinal > list.Count)
                throw Error(SqlStates.InvalidParameterReference, $"no value was given for parameter {p.Ordinal} ({list?.Count ?? 0} given)", p.Position);
            value = list[p.Ordinal - 1];
        }
        var literal = ParameterLiteral(value, p.Position);
        _context.ParameterLiterals?.Add((literal, p.Name is null ? p.Ordinal - 1 : -1));
        return literal;
    }

    /// <summary>A parameter value as a typed literal: the SQL type follows the CLR type.</summary>
    internal static BoundLiteral ParameterLiteral(object? value, SourcePosition position)
    {
        switch (value)
        {
            case null or DBNull: return BoundLiteral.Null(DataType.Null);
            case bool b: return BoundLiteral.Of(b);
            case sbyte v: return new BoundLiteral(v, DataType.TinyInt.WithNullable(false));
            case byte v: return new BoundLiteral((short)v, DataType.SmallInt.WithNullable(false));
            case short v: return new BoundLiteral(v, DataType.SmallInt.WithNullable(false));
            case ushort v: return BoundLiteral.Of((int)v);
            case int v: return BoundLiteral.Of(v);
            case uint v: return BoundLiteral.Of((long)v);
            case long v: return BoundLiteral.Of(v);
            case float v: return new BoundLiteral(v, DataType.Float.WithNullable(false));
            case double v: return BoundLiteral.Of(v);
            case decimal m:
            {
                var scale = (decimal.GetBits(m)[3] >> 16) & 0xFF;
                var type = DataType.Decimal(38, scale).WithNullable(false);
                return new BoundLiteral(ValueConverter.DecimalToUnscaled(m, scale), type);
            }
            case string s: return new BoundLiteral(s, DataType.String.WithNullable(false));
            case char c: return new BoundLiteral(c.ToString(), DataType.String.WithNullable(false));
            case byte[] bytes: return new BoundLiteral(bytes, DataType.Bytes.WithNullable(false));
            case DateOnly d: return new BoundLiteral(ValueConverter.DateOnlyToDays(d), DataType.Date.WithNullable(false));
            case DateTime dt:
            {
                var type = DataType.Timestamp(6).WithNullable(false);
                return new BoundLiteral(ValueConverter.DateTimeToTimestamp(dt, type), type);
            }
            case DateTimeOffset dto:
            {
                var type = DataType.TimestampLtz(6).WithNullable(false);
                return new BoundLiteral(ValueConverter.DateTimeToTimestamp(dto.UtcDateTime, type), type);
            }
            case TimeOnly t:
            {
                var type = DataType.Time(6).WithNullable(false);
                return new BoundLiteral(ValueConverter.TimeOnlyToTime(t, type), type);
            }
            case TimeSpan ts: return new BoundLiteral(ts.Ticks / 10, new DataType(TypeKind.IntervalDayTime, Nullable: false));
            case Guid g: return new BoundLiteral(g.ToString(), DataType.String.WithNullable(false));
            case System.Collections.IEnumerable list: return ArrayParameterLiteral(list, position);
            default:
                throw new TarnException(SqlStates.DatatypeMismatch, $"parameter values of type {value.GetType().Name} are not supported at {position}", position);
        }
    }

    private BoundExpression BindBinary(BinaryExpression b, Scope scope, AggregationState? aggregation)
    {
        BoundExpression B(Expression x) => BindExpression(x, scope, aggregation);
        switch (b.Operator)
        {
            case BinaryOperator.And: return BoundExpressions.And(B(b.Left), B(b.Right));
            case BinaryOperator.Or: return BoundExpressions.Or(B(b.Left), B(b.Right));
            case BinaryOperator.Equal: return Compare(ComparisonOperator.Equal, b.Left, b.Right, scope, aggregation);
            case BinaryOperator.NotEqual: return Compare(ComparisonOperator.NotEqual, b.Left, b.Right, scope, aggregation);
            case BinaryOperator.Less: return Compare(ComparisonOperator.Less, b.Left, b.Right, scope, aggregation);
            case BinaryOperator.LessOrEqual: return Compare(ComparisonOperator.LessOrEqual, b.Left, b.Right, scope, aggregation);
            case BinaryOperator.Greater: return Compare(ComparisonOperator.Greater, b.Left, b.Right, scope, aggregation);
            case BinaryOperator.GreaterOrEqual: return Compare(ComparisonOperator.GreaterOrEqual, b.Left, b.Right, scope, aggregation);
            case BinaryOperator.Concat: return BindConcat(B(b.Left), B(b.Right));
            default:
                var op = b.Operator switch
                {
                    BinaryOperator.Add => ArithmeticOperator.Add,
                    BinaryOperator.Subtract => ArithmeticOperator.Subtract,
                    BinaryOperator.Multiply => ArithmeticOperator.Multiply,
                    BinaryOperator.Divide => ArithmeticOperator.Divide,
                    _ => ArithmeticOperator.Modulo,
                };
                return BoundExpressions.Arithmetic(op, B(b.Left), B(b.Right));
        }
    }

    /// <summary>
    /// A comparison. A string literal compared with a date/time or numeric value is read as a literal of that type
    /// (PostgreSQL's rule for untyped literals), so <c>ts &gt;= '2024-01-01'</c> works and can prune by statistics.
    /// </summary>
    private BoundExpression Compare(ComparisonOperator op, Expression left, Expression right, Scope scope, AggregationState? aggregation)
    {
        if (left is RowConstructor leftRow && right is RowConstructor rightRow) return CompareRows(op, leftRow, rightRow, scope, aggregation);
        var l = BindExpression(left, scope, aggregation);
        var r = BindExpression(right, scope, aggregation);
        l = CoerceStringLiteral(l, r.Type, left.Position);
        r = CoerceStringLiteral(r, l.Type, right.Position);
        return BoundExpressions.Compare(op, PadCharLiteral(l, r), PadCharLiteral(r, l));
    }

    internal static BoundExpression CoerceStringLiteral(BoundExpression e, DataType target, SourcePosition position)
    {
        if (e is not BoundLiteral { Value: string text } || target.IsString || target.Kind == TypeKind.Null) return e;
        var type = target.WithNullable(false);
        switch (target.Kind)
        {
            case TypeKind.Date when LiteralParser.TryParseDate(text, out var d): return new BoundLiteral(d, type);
            case TypeKind.Timestamp or TypeKind.TimestampLtz when LiteralParser.TryParseTimestamp(text, type, out var t): return new BoundLiteral(t, type);
            case TypeKind.Time when LiteralParser.TryParseTime(text, type, out var t2): return new BoundLiteral(t2, type);
            case TypeKind.Date or TypeKind.Timestamp or TypeKind.TimestampLtz or TypeKind.Time:
                throw Error(SqlStates.InvalidTextRepresentation, $"invalid {target.WithNullable(true).ToSql()} value '{text}'", position);
            case TypeKind.Boolean when bool.TryParse(text.Trim(), out var b): return BoundLiteral.Of(b);
            case TypeKind.Array: return BoundExpressions.Cast(e, type); // '[1, 2]' compared with an array
            default:
                if (target.IsNumeric)
                {
                    if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return BoundLiteral.Of(n);
                    if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f)) return BoundLiteral.Of(f);
                    throw Error(SqlStates.InvalidTextRepresentation, $"invalid number '{text}'", position);
                }
                return e;
        }
    }

    private BoundExpression BindBetween(BetweenExpression b, Scope scope, AggregationState? aggregation)
    {
        BoundExpression Range(Expression low, Expression high) => BoundExpressions.And(
            Compare(ComparisonOperator.GreaterOrEqual, b.Operand, low, scope, aggregation),
            Compare(ComparisonOperator.LessOrEqual, b.Operand, high, scope, aggregation));
        var result = b.Symmetric ? BoundExpressions.Or(Range(b.Low, b.High), Range(b.High, b.Low)) : Range(b.Low, b.High);
        return b.Negated ? BoundExpressions.Not(result) : result;
    }

    private BoundExpression BindInList(InListExpression i, Scope scope, AggregationState? aggregation)
    {
        if (i.Operand is RowConstructor row) return BindRowInList(row, i, scope, aggregation);
        var operand = BindExpression(i.Operand, scope, aggregation);
        var values = i.Values.Select(v => PadCharLiteral(CoerceStringLiteral(BindExpression(v, scope, aggregation), operand.Type, v.Position), operand)).ToList();
        return BoundExpressions.In(operand, values, i.Negated);
    }

    private BoundExpression BindCase(CaseExpression c, Scope scope, AggregationState? aggregation)
    {
        var whens = new List<BoundWhen>();
        foreach (var w in c.WhenClauses)
        {
            var condition = c.Operand is null
                ? BindExpression(w.Condition, scope, aggregation)
                : Compare(ComparisonOperator.Equal, c.Operand, w.Condition, scope, aggregation);
            whens.Add(new BoundWhen(condition, BindExpression(w.Result, scope, aggregation)));
        }
        return BoundExpressions.Case(whens, c.Else is null ? null : BindExpression(c.Else, scope, aggregation));
    }

    private BoundExpression BindCast(CastExpression c, Scope scope, AggregationState? aggregation)
    {
        var operand = BindExpression(c.Operand, scope, aggregation);
        var target = c.Type;
        if (target.IsRow) throw Error(SqlStates.FeatureNotSupported, "ROW values are not supported in expressions yet (ROW types are for connector table columns)", c.Position);
        if (!c.Try && operand is BoundLiteral { Value: string } && target.IsTemporal)
        {
            // CAST('2024-01-01' AS DATE) and friends become typed literals, so they can prune by statistics.
            if (CoerceStringLiteral(operand, target, c.Position) is BoundLiteral { Value: not string } folded) return folded;
        }
        var cast = BoundExpressions.Cast(operand, target, c.Try ? CastMode.Try : CastMode.Explicit);
        return target.IsString ? WithCollation(cast, target.Collation, c.Position) : cast;
    }

    private BoundExpression BindTrim(TrimExpression t, Scope scope, AggregationState? aggregation)
    {
        var name = t.Mode switch { TrimMode.Leading => "LTRIM", TrimMode.Trailing => "RTRIM", _ => "TRIM" };
        var source = BindExpression(t.Source, scope, aggregation);
        return t.Characters is null
            ? BoundExpressions.Call(name, source)
            : BoundExpressions.Call(name, source, BindExpression(t.Characters, scope, aggregation));
    }

    private BoundExpression BindFunction(FunctionCall f, Scope scope, AggregationState? aggregation)
    {
        if (f.Over is not null) return BindWindowCall(f, scope, aggregation);
        if (IsAggregateCall(f))
            throw Error(SqlStates.GroupingError, $"aggregate function {f.Name.Name.Value.ToUpperInvariant()} is not allowed here", f.Position);
        if (f.Distinct || f.Filter is not null)
            throw Error(SqlStates.SyntaxError, $"DISTINCT and FILTER apply only to aggregate functions, not {f.Name.Name.Value}", f.Position);
        if (TryExpandMacro(f, scope, aggregation) is { } expanded) return expanded;
        var name = string.Join('.', f.Name.Parts.Select(p => p.Value));
        // An unknown function is the error to report, not an ungrouped column among its arguments.
        if (!FunctionRegistry.IsScalarFunction(name))
            throw Error(SqlStates.UndefinedFunction, $"function {name.ToUpperInvariant()} does not exist", f.Position);
        var args = new List<BoundExpression>();
        foreach (var a in f.Arguments)
        {
            if (a is StarExpression) throw Error(SqlStates.SyntaxError, $"'*' is not a valid argument of {name}", a.Position);
            args.Add(BindExpression(a, scope, aggregation));
        }
        return BoundExpressions.Call(name, args);
    }
}
