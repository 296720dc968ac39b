using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Execution.Tests;

/// <summary>An evaluation error in the reference model (a value, so errors can flow through lazily evaluated arms).</summary>
internal sealed record RefError(string State);

/// <summary>
/// A deliberately simple row-at-a-time interpreter of bound expressions, written independently of the engine,
/// for the subset of types and operators the property tests generate. AND/OR/comparisons evaluate all operands
/// (the engine may be lazier: then its value for that row is not checked); CASE and COALESCE are lazy, as in the engine.
/// </summary>
internal static class ReferenceEvaluator
{
    public static object? Eval(BoundExpression e, object?[] row)
    {
        switch (e)
        {
            case BoundColumnRef c: return row[c.Index];
            case BoundLiteral l: return l.Value;
            case BoundCast c: return Cast(Eval(c.Operand, row), c.Operand.Type, c.Type, c.Mode);
            case BoundArithmetic a: return Arithmetic(a, Eval(a.Left, row), Eval(a.Right, row));
            case BoundNegate n:
            {
                var v = Eval(n.Operand, row);
                if (v is RefError or null) return v;
                return Arithmetic(new BoundArithmetic(ArithmeticOperator.Subtract, n.Operand, n.Operand, n.Type), ZeroOf(n.Type), v);
            }
            case BoundComparison c: return Compare(c, Eval(c.Left, row), Eval(c.Right, row));
            case BoundLogical l:
            {
                var values = l.Operands.Select(o => Eval(o, row)).ToList();
                var err = values.OfType<RefError>().FirstOrDefault();
                if (err is not null) return err;
                if (l.Operator == LogicalOperator.And)
                {
                    if (values.Any(v => v is false)) return false;
                    return values.Any(v => v is null) ? null : true;
                }
                if (values.Any(v => v is true)) return true;
                return values.Any(v => v is null) ? null : false;
            }
            case BoundNot n:
            {
                var v = Eval(n.Operand, row);
                return v is bool b ? !b : v;
            }
            case BoundIsNull n:
            {
                var v = Eval(n.Operand, row);
                return v is RefError ? v : (v is null) != n.Negated;
            }
            case BoundIsTruth t:
            {
                var v = Eval(t.Operand, row);
                return v is RefError ? v : (v is bool b && b == t.Value) != t.Negated;
            }
            case BoundInList i:
            {
                var x = Eval(i.Operand, row);
                var values = i.Values.Select(v => Eval(v, row)).ToList();
                if (x is RefError) return x;
                var err = values.OfType<RefError>().FirstOrDefault();
                if (err is not null) return err;
                if (x is null) return null;
                var common = TypeRules.CommonType([i.Operand.Type, .. i.Values.Select(v => v.Type)])!;
                var found = false;
                var sawNull = false;
                for (var k = 0; k < values.Count; k++)
                {
                    if (values[k] is null) { sawNull = true; continue; }
                    if (Order(x, i.Operand.Type, values[k]!, i.Values[k].Type, common) == 0) found = true;
                }
                if (found) return !i.Negated;
                return sawNull ? null : i.Negated;
            }
            case BoundLike l:
            {
                var s = Eval(l.Operand, row);
                var p = Eval(l.Pattern, row);
                if (s is RefError) return s;
                if (p is RefError) return p;
                if (s is null || p is null) return null;
                return Like((string)s, (string)p) != l.Negated;
            }
            case BoundCase c:
            {
                foreach (var w in c.Whens)
                {
                    var cond = Eval(w.Condition, row);
                    if (cond is RefError) return cond;
                    if (cond is true) return Coerce(Eval(w.Result, row), w.Result.Type, c.Type);
                }
                return c.Else is null ? null : Coerce(Eval(c.Else, row), c.Else.Type, c.Type);
            }
            case BoundCoalesce c:
            {
                foreach (var o in c.Operands)
                {
                    var v = Eval(o, row);
                    if (v is not null) return Coerce(v, o.Type, c.Type);
                }
                return null;
            }
            case BoundConcat c:
            {
                var a = Eval(c.Left, row);
                var b = Eval(c.Right, row);
                if (a is RefError) return a;
                if (b is RefError) return b;
                return a is null || b is null ? null : (string)a + (string)b;
            }
            case BoundFunctionCall f: return Function(f, f.Arguments.Select(a => Eval(a, row)).ToList());
            default: throw new NotSupportedException(e.GetType().Name);
        }
    }

    private static object ZeroOf(DataType t) => t.Kind switch
    {
        TypeKind.Int => (object)0,
        TypeKind.BigInt => 0L,
        TypeKind.Double => 0.0,
        TypeKind.Decimal => 0L,
        _ => throw new NotSupportedException(t.ToSql()),
    };

    private static object? Coerce(object? v, DataType from, DataType to) =>
        v is null or RefError ? v : Cast(v, from, to, CastMode.Implicit);

    // ----- numbers as exact decimals or doubles -----

    private static decimal ToDecimal(object v, DataType t) => t.Kind switch
    {
        TypeKind.Int => (int)v,
        TypeKind.BigInt => (long)v,
        TypeKind.Decimal => (v is Int128 w ? (decimal)w : (long)v) / (decimal)Math.Pow(10, t.Scale),
        _ => throw new NotSupportedException(t.ToSql()),
    };

    private static double ToDouble(object v, DataType t) => t.Kind == TypeKind.Double ? (double)v : (double)ToDecimal(v, t);

    private static object? FromDecimal(decimal d, DataType t)
    {
        switch (t.Kind)
        {
            case TypeKind.Int:
                return d < int.MinValue || d > int.MaxValue ? new RefError(SqlStates.NumericValueOutOfRange) : (int)d;
            case TypeKind.BigInt:
                return d < long.MinValue || d > long.MaxValue ? new RefError(SqlStates.NumericValueOutOfRange) : (long)d;
            case TypeKind.Decimal:
                var rounded = Math.Round(d, t.Scale, MidpointRounding.AwayFromZero);
                var unscaled = rounded * (decimal)Math.Pow(10, t.Scale);
                if (Math.Abs(unscaled) >= (decimal)Math.Pow(10, t.Precision)) return new RefError(SqlStates.NumericValueOutOfRange);
                return t.Precision > 18 ? (Int128)unscaled : (object)(long)unscaled;
            default: throw new NotSupportedException(t.ToSql());
        }
    }

    private static object? Arithmetic(BoundArithmetic a, object? l, object? r)
    {
        if (l is RefError) return l;
        if (r is RefError) return r;
        if (l is null || r is null) return null;
        var t = a.Type;
        var op = a.Operator;
        if (t.Kind == TypeKind.Double)
        {
            var x = ToDouble(l, a.Left.Type);
            var y = ToDouble(r, a.Right.Type);
            if (op is ArithmeticOperator.Divide or ArithmeticOperator.Modulo && y == 0) return new RefError(SqlStates.DivisionByZero);
            return op switch
            {
                ArithmeticOperator.Add => x + y,
                ArithmeticOperator.Subtract => x - y,
                ArithmeticOperator.Multiply => x * y,
                ArithmeticOperator.Divide => x / y,
                _ => x % y,
            };
        }
        var p = ToDecimal(l, a.Left.Type);
        var q = ToDecimal(r, a.Right.Type);
        if (op is ArithmeticOperator.Divide or ArithmeticOperator.Modulo && q == 0) return new RefError(SqlStates.DivisionByZero);
        try
        {
            var exact = op switch
            {
                ArithmeticOperator.Add => p + q,
                ArithmeticOperator.Subtract => p - q,
                ArithmeticOperator.Multiply => p * q,
                ArithmeticOperator.Divide => t.Kind == TypeKind.Decimal ? p / q : Math.Truncate(p / q),
                _ => p % q,
            };
            return FromDecimal(exact, t);
        }
        catch (OverflowException)
        {
            return new RefError(SqlStates.NumericValueOutOfRange);
        }
    }

    // ----- comparison -----

    private static int Order(object a, DataType ta, object b, DataType tb, DataType common)
    {
        if (common.IsString) return Math.Sign(string.CompareOrdinal((string)a, (string)b));
        if (common.Kind == TypeKind.Boolean) return ((bool)a).CompareTo((bool)b);
        if (common.Kind == TypeKind.Double)
        {
            var x = ToDouble(a, ta);
            var y = ToDouble(b, tb);
            return x < y ? -1 : x > y ? 1 : x == y ? 0 : 2; // 2: unordered (NaN)
        }
        return ToDecimal(a, ta).CompareTo(ToDecimal(b, tb));
    }

    private static object? Compare(BoundComparison c, object? l, object? r)
    {
        if (l is RefError) return l;
        if (r is RefError) return r;
        var common = TypeRules.CommonType(c.Left.Type, c.Right.Type)!;
        if (c.Operator is ComparisonOperator.IsDistinctFrom or ComparisonOperator.IsNotDistinctFrom)
        {
            bool same = l is null || r is null ? l is null && r is null : Order(l, c.Left.Type, r, c.Right.Type, common) == 0;
            return c.Operator == ComparisonOperator.IsNotDistinctFrom ? same : !same;
        }
        if (l is null || r is null) return null;
        var o = Order(l, c.Left.Type, r, c.Right.Type, common);
        if (o == 2) return c.Operator == ComparisonOperator.NotEqual;
        return c.Operator switch
        {
            ComparisonOperator.Equal => o == 0,
            ComparisonOperator.NotEqual => o != 0,
            ComparisonOperator.Less => o < 0,
            ComparisonOperator.LessOrEqual => o <= 0,
            ComparisonOperator.Greater => o > 0,
            _ => o >= 0,
        };
    }

    private static bool Like(string s, string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var ch in pattern)
        {
            regex.Append(ch switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(ch.ToString()),
            });
        }
        regex.Append('$');
        return Regex.IsMatch(s, regex.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    // ----- casts -----

    private static readonly Regex s_integerText = new(@"^\s*([+-]?)(\d*)(\.(\d*))?\s*$", RegexOptions.CultureInvariant);

    public static object? Cast(object? v, DataType from, DataType to, CastMode mode)
    {
        if (v is null or RefError) return v;
        var result = CastCore(v, from, to);
        if (result is RefError && mode == CastMode.Try) return null;
        return result;
    }

    private static object? CastCore(object v, DataType from, DataType to)
    {
        if (from.Kind == to.Kind && from.Kind != TypeKind.Decimal && !to.IsString) return v;
        if (to.IsString)
        {
            var text = from.Kind switch
            {
                TypeKind.Int or TypeKind.BigInt => Convert.ToString(v, CultureInfo.InvariantCulture)!,
                TypeKind.Boolean => (bool)v ? "TRUE" : "FALSE",
                TypeKind.Char or TypeKind.Varchar => (string)v,
                _ => throw new NotSupportedException($"{from.ToSql()} to string"),
            };
            return to.Length < text.Length ? text[..to.Length] : text;
        }
        if (from.IsString)
        {
            var s = (string)v;
            if (to.Kind is TypeKind.Int or TypeKind.BigInt)
            {
                var m = s_integerText.Match(s);
                if (!m.Success || (m.Groups[2].Length == 0 && m.Groups[4].Length == 0)) return new RefError(SqlStates.InvalidTextRepresentation);
                var digits = m.Groups[2].Value.Length == 0 ? BigInteger.Zero : BigInteger.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                if (m.Groups[1].Value == "-") digits = -digits;
                var (min, max) = to.Kind == TypeKind.Int ? ((BigInteger)int.MinValue, (BigInteger)int.MaxValue) : (long.MinValue, long.MaxValue);
                if (digits < min || digits > max) return new RefError(SqlStates.NumericValueOutOfRange);
                return to.Kind == TypeKind.Int ? (object)(int)digits : (long)digits;
            }
            throw new NotSupportedException($"string to {to.ToSql()}");
        }
        if (to.Kind == TypeKind.Double)
        {
            return ToDouble(v, from);
        }
        if (from.Kind == TypeKind.Double)
        {
            var d = (double)v;
            if (double.IsNaN(d)) return new RefError(SqlStates.NumericValueOutOfRange);
            if (to.Kind == TypeKind.Decimal)
            {
                if (Math.Abs(d) > 1e20) return new RefError(SqlStates.NumericValueOutOfRange);
                return FromDecimal(decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture), to);
            }
            var t = Math.Truncate(d);
            if (to.Kind == TypeKind.Int) return t < int.MinValue || t > int.MaxValue ? new RefError(SqlStates.NumericValueOutOfRange) : (int)t;
            return t < long.MinValue || t >= 9.2233720368547758E18 ? new RefError(SqlStates.NumericValueOutOfRange) : (long)t;
        }
        var exact = ToDecimal(v, from);
        if (to.Kind != TypeKind.Decimal) exact = Math.Truncate(exact);
        return FromDecimal(exact, to);
    }

    // ----- functions -----

    private static object? Function(BoundFunctionCall f, List<object?> args)
    {
        var err = args.OfType<RefError>().FirstOrDefault();
        if (err is not null) return err;
        if (args.Any(a => a is null)) return null;
        switch (f.Name)
        {
            case "UPPER": return ((string)args[0]!).ToUpperInvariant();
            case "LOWER": return ((string)args[0]!).ToLowerInvariant();
            case "CHAR_LENGTH": return ((string)args[0]!).Length;
            case "CONCAT": return string.Concat(args.Select(a => (string)a!));
            case "ABS":
                var x = args[0]!;
                return f.Type.Kind == TypeKind.Int ? ((int)x == int.MinValue ? new RefError(SqlStates.NumericValueOutOfRange) : Math.Abs((int)x)) : x;
            case "SUBSTRING":
            {
                var s = (string)args[0]!;
                var pos = (long)args[1]!;
                var len = args.Count > 2 ? (long)args[2]! : long.MaxValue;
                if (len < 0) return null;
                long start = pos > 0 ? pos - 1 : pos < 0 ? s.Length + pos : 0;
                if (start < 0 || start >= s.Length) return "";
                var end = Math.Min(s.Length, start + Math.Min(len, s.Length));
                return s[(int)start..(int)end];
            }
            default: throw new NotSupportedException(f.Name);
        }
    }
}
