namespace Tarn.Tests.Differential;

/// <summary>The three families of values the generator keeps apart (Flink rejects comparing across them).</summary>
internal enum ValueKind
{
    Numeric,
    String,
    Bool,
}

/// <summary>A generated expression, its static type and the largest magnitude it can take (numeric only).</summary>
internal readonly record struct Generated(DiffSql Sql, ColumnType Type, double Bound)
{
    public ValueKind Kind => KindOf(Type);

    public static ValueKind KindOf(ColumnType type) => type switch
    {
        ColumnType.Varchar => ValueKind.String,
        ColumnType.Boolean => ValueKind.Bool,
        _ => ValueKind.Numeric,
    };
}

/// <summary>A column visible to an expression: "alias.name" and its type.</summary>
internal sealed record ScopeColumn(string Qualified, ColumnType Type, bool NotNull = false, double? Bound = null);

/// <summary>
/// Random scalar expressions in the subset where Tarn (Flink semantics) and SQLite agree. Every compound expression is
/// parenthesized so that the two grammars' precedence never matters. Integer expressions keep a bound on their
/// magnitude and never exceed 1e9 (no overflow-dependent results); there is no division (integer division and
/// division by zero differ).
/// </summary>
internal sealed class ExpressionGenerator(Random random, IReadOnlyList<ScopeColumn> scope)
{
    private const double IntegerLimit = 1e9;
    private const double DoubleLimit = 1e12;

    public IReadOnlyList<ScopeColumn> Scope => scope;

    public Generated Any(int depth) => random.Next(3) switch
    {
        0 => Numeric(depth),
        1 => String(depth),
        _ => Bool(depth),
    };

    public Generated OfKind(ValueKind kind, int depth) => kind switch
    {
        ValueKind.Numeric => Numeric(depth),
        ValueKind.String => String(depth),
        _ => Bool(depth),
    };

    public Generated Leaf(ValueKind kind)
    {
        var columns = scope.Where(c => Generated.KindOf(c.Type) == kind).ToList();
        if (columns.Count > 0 && random.Next(4) != 0)
        {
            var column = columns[random.Next(columns.Count)];
            return new Generated(DiffSql.Same(column.Qualified), column.Type, column.Bound ?? RandomSchema.Bound(column.Type));
        }
        return Literal(kind);
    }

    public Generated Literal(ValueKind kind)
    {
        if (random.Next(12) == 0)
        {
            var type = kind switch
            {
                ValueKind.Numeric => (ColumnType)random.Next(3),
                ValueKind.String => ColumnType.Varchar,
                _ => ColumnType.Boolean,
            };
            return new Generated(new DiffSql($"CAST(NULL AS {RandomSchema.TarnType(type)})", $"CAST(NULL AS {RandomSchema.SqliteType(type)})"), type, 0);
        }
        switch (kind)
        {
            case ValueKind.Numeric:
                var numericType = (ColumnType)random.Next(3);
                var value = RandomSchema.Value(random, numericType);
                var text = RandomSchema.Literal(value);
                return numericType == ColumnType.Double
                    ? new Generated(DiffSql.Same($"CAST({text} AS DOUBLE)"), ColumnType.Double, Math.Abs((double)value))
                    : new Generated(DiffSql.Same(text), numericType == ColumnType.Int || Math.Abs(Convert.ToInt64(value)) < int.MaxValue ? ColumnType.Int : ColumnType.BigInt,
                        Math.Abs(Convert.ToDouble(value)));
            case ValueKind.String:
                return new Generated(DiffSql.Same(RandomSchema.Literal(RandomSchema.Value(random, ColumnType.Varchar))), ColumnType.Varchar, 0);
            default:
                return new Generated(DiffSql.Same(random.Next(2) == 0 ? "TRUE" : "FALSE"), ColumnType.Boolean, 0);
        }
    }

    public Generated Numeric(int depth)
    {
        if (depth <= 0 || random.Next(3) == 0)
            return Leaf(ValueKind.Numeric);
        switch (random.Next(11))
        {
            case 0:
            case 1:
            case 2:
            {
                var left = Numeric(depth - 1);
                var right = Numeric(depth - 1);
                var op = "+-*"[random.Next(3)];
                var bound = op == '*' ? left.Bound * right.Bound : left.Bound + right.Bound;
                var type = Widen(left.Type, right.Type);
                if (bound > (type == ColumnType.Double ? DoubleLimit : IntegerLimit))
                    return left;
                return new Generated(DiffSql.Concat("(", left.Sql, $" {op} ", right.Sql, ")"), type, bound);
            }
            case 3:
            {
                var operand = Numeric(depth - 1);
                return new Generated(DiffSql.Concat("(- ", operand.Sql, ")"), operand.Type, operand.Bound);
            }
            case 4:
            {
                var operand = Numeric(depth - 1);
                return new Generated(DiffSql.Concat("ABS(", operand.Sql, ")"), operand.Type, operand.Bound);
            }
            case 5:
                return Case(ValueKind.Numeric, depth);
            case 6:
            {
                var left = Numeric(depth - 1);
                var right = Numeric(depth - 1);
                return new Generated(DiffSql.Concat("COALESCE(", left.Sql, ", ", right.Sql, ")"), Widen(left.Type, right.Type), Math.Max(left.Bound, right.Bound));
            }
            case 7:
            {
                var left = Numeric(depth - 1);
                var right = Numeric(depth - 1);
                if (Widen(left.Type, right.Type) != left.Type)
                    return left;
                return new Generated(DiffSql.Concat("NULLIF(", left.Sql, ", ", right.Sql, ")"), left.Type, left.Bound);
            }
            case 8:
            {
                var operand = Numeric(depth - 1);
                return new Generated(DiffSql.Concat("CAST(", operand.Sql, " AS DOUBLE)"), ColumnType.Double, operand.Bound);
            }
            default:
                return NumericFunction(depth);
        }
    }

    /// <summary>Scalar functions both engines define the same way on the values generated here.</summary>
    private Generated NumericFunction(int depth)
    {
        var operand = Numeric(depth - 1);
        switch (random.Next(7))
        {
            case 0:
            {
                // MOD by a positive constant: both truncate toward zero, the sign follows the dividend.
                if (operand.Type == ColumnType.Double)
                    return operand;
                var divisor = random.Next(1, 8);
                return new Generated(new DiffSql($"MOD({operand.Sql.Tarn}, {divisor})", $"({operand.Sql.Sqlite} % {divisor})"), operand.Type, Math.Min(operand.Bound, divisor));
            }
            case 1:
                return new Generated(DiffSql.Concat("SIGN(", operand.Sql, ")"), operand.Type, 1);
            case 2:
            case 3:
            {
                var other = Numeric(depth - 1);
                var greatest = random.Next(2) == 0;
                return new Generated(
                    DiffSql.Concat(new DiffSql(greatest ? "GREATEST(" : "LEAST(", greatest ? "MAX(" : "MIN("), operand.Sql, ", ", other.Sql, ")"),
                    Widen(operand.Type, other.Type), Math.Max(operand.Bound, other.Bound));
            }
            case 4:
            {
                var text = String(depth - 1);
                return new Generated(DiffSql.Concat(new DiffSql("CHAR_LENGTH(", "LENGTH("), text.Sql, ")"), ColumnType.Int, 1000);
            }
            case 5:
            {
                var needle = String(depth - 1);
                var haystack = String(depth - 1);
                return new Generated(new DiffSql($"POSITION({needle.Sql.Tarn} IN {haystack.Sql.Tarn})", $"INSTR({haystack.Sql.Sqlite}, {needle.Sql.Sqlite})"), ColumnType.Int, 1000);
            }
            default:
            {
                var condition = Bool(depth - 1);
                var other = Numeric(depth - 1);
                return new Generated(DiffSql.Concat(new DiffSql("IF(", "IIF("), condition.Sql, ", ", operand.Sql, ", ", other.Sql, ")"),
                    Widen(operand.Type, other.Type), Math.Max(operand.Bound, other.Bound));
            }
        }
    }

    public Generated String(int depth)
    {
        if (depth <= 0 || random.Next(3) == 0)
            return Leaf(ValueKind.String);
        switch (random.Next(9))
        {
            case 7:
            {
                // 1-based start and a non-negative length: the range where SUBSTRING and substr agree.
                var start = random.Next(1, 5);
                var length = random.Next(0, 4);
                var operand = String(depth - 1).Sql;
                return new Generated(new DiffSql($"SUBSTRING({operand.Tarn} FROM {start} FOR {length})", $"SUBSTR({operand.Sqlite}, {start}, {length})"), ColumnType.Varchar, 0);
            }
            case 8:
            {
                var operand = String(depth - 1).Sql;
                switch (random.Next(3))
                {
                    case 0:
                        return new Generated(DiffSql.Concat("TRIM(", operand, ")"), ColumnType.Varchar, 0);
                    case 1:
                        return new Generated(DiffSql.Concat(random.Next(2) == 0 ? "LTRIM(" : "RTRIM(", operand, ")"), ColumnType.Varchar, 0);
                    default:
                        // A non-empty search string: Java's replace("", x) inserts x everywhere, SQLite's returns the input.
                        var search = RandomSchema.Strings[random.Next(1, RandomSchema.Strings.Length)];
                        return new Generated(DiffSql.Concat("REPLACE(", operand, $", {RandomSchema.Literal(search)}, ", String(depth - 1).Sql, ")"), ColumnType.Varchar, 0);
                }
            }
            case 0:
                return new Generated(DiffSql.Concat("UPPER(", String(depth - 1).Sql, ")"), ColumnType.Varchar, 0);
            case 1:
                return new Generated(DiffSql.Concat("LOWER(", String(depth - 1).Sql, ")"), ColumnType.Varchar, 0);
            case 2:
                return new Generated(DiffSql.Concat("(", String(depth - 1).Sql, " || ", String(depth - 1).Sql, ")"), ColumnType.Varchar, 0);
            case 3:
                return Case(ValueKind.String, depth);
            case 4:
                return new Generated(DiffSql.Concat("COALESCE(", String(depth - 1).Sql, ", ", String(depth - 1).Sql, ")"), ColumnType.Varchar, 0);
            case 5:
                return new Generated(DiffSql.Concat("NULLIF(", String(depth - 1).Sql, ", ", String(depth - 1).Sql, ")"), ColumnType.Varchar, 0);
            default:
            {
                var operand = Numeric(depth - 1);
                if (operand.Type == ColumnType.Double)
                    return Leaf(ValueKind.String);
                return new Generated(DiffSql.Concat("CAST(", operand.Sql, new DiffSql(" AS VARCHAR)", " AS TEXT)")), ColumnType.Varchar, 0);
            }
        }
    }

    public Generated Bool(int depth)
    {
        if (depth <= 0 || random.Next(5) == 0)
            return random.Next(3) == 0 || depth <= 0 ? Leaf(ValueKind.Bool) : Comparison(0);
        switch (random.Next(12))
        {
            case 0:
            case 1:
            case 2:
                return Comparison(depth - 1);
            case 3:
                return Wrap(DiffSql.Concat("(", Bool(depth - 1).Sql, random.Next(2) == 0 ? " AND " : " OR ", Bool(depth - 1).Sql, ")"));
            case 4:
                return Wrap(DiffSql.Concat("(NOT ", Bool(depth - 1).Sql, ")"));
            case 5:
                return Wrap(DiffSql.Concat("(", Any(depth - 1).Sql, random.Next(2) == 0 ? " IS NULL)" : " IS NOT NULL)"));
            case 6:
            {
                var kind = (ValueKind)random.Next(3);
                var left = OfKind(kind, depth - 1);
                var right = OfKind(kind, depth - 1);
                var op = random.Next(2) == 0
                    ? new DiffSql(" IS DISTINCT FROM ", " IS NOT ")
                    : new DiffSql(" IS NOT DISTINCT FROM ", " IS ");
                return Wrap(DiffSql.Concat("(", left.Sql, op, right.Sql, ")"));
            }
            case 7:
            {
                var kind = random.Next(2) == 0 ? ValueKind.Numeric : ValueKind.String;
                var value = OfKind(kind, depth - 1);
                var low = OfKind(kind, depth - 1);
                var high = OfKind(kind, depth - 1);
                return Wrap(DiffSql.Concat("(", value.Sql, random.Next(3) == 0 ? " NOT BETWEEN " : " BETWEEN ", low.Sql, " AND ", high.Sql, ")"));
            }
            case 8:
            {
                var kind = (ValueKind)random.Next(3);
                var value = OfKind(kind, depth - 1);
                var items = Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(3) == 0 ? OfKind(kind, depth - 1).Sql : Literal(kind).Sql);
                return Wrap(DiffSql.Concat("(", value.Sql, random.Next(3) == 0 ? " NOT IN (" : " IN (", DiffSql.Join(", ", items), "))"));
            }
            case 9:
            {
                var value = String(depth - 1);
                return Wrap(DiffSql.Concat("(", value.Sql, random.Next(3) == 0 ? " NOT LIKE " : " LIKE ", DiffSql.Same(RandomSchema.Literal(LikePattern())), ")"));
            }
            case 10:
            {
                string[] tests = [" IS TRUE", " IS FALSE", " IS NOT TRUE", " IS NOT FALSE"];
                return Wrap(DiffSql.Concat("(", Bool(depth - 1).Sql, tests[random.Next(tests.Length)], ")"));
            }
            default:
                return Case(ValueKind.Bool, depth);
        }
    }

    /// <summary>A comparison of two values of one kind (booleans only for equality).</summary>
    public Generated Comparison(int depth)
    {
        var kind = (ValueKind)random.Next(3);
        var left = OfKind(kind, depth);
        var right = random.Next(2) == 0 ? Literal(kind) : OfKind(kind, depth);
        string[] ops = kind == ValueKind.Bool ? ["=", "<>"] : ["=", "<>", "<", "<=", ">", ">="];
        return Wrap(DiffSql.Concat("(", left.Sql, $" {ops[random.Next(ops.Length)]} ", right.Sql, ")"));
    }

    private Generated Case(ValueKind kind, int depth)
    {
        var branches = new List<Generated>();
        var parts = new List<object> { "CASE" };
        // The simple form, CASE x WHEN v THEN ..., compares x = v.
        var operandKind = random.Next(3) == 0 ? (ValueKind?)random.Next(3) : null;
        if (operandKind is { } k)
        {
            parts.Add(" ");
            parts.Add(OfKind(k, depth - 1).Sql);
        }
        for (var i = random.Next(1, 3); i > 0; i--)
        {
            var result = OfKind(kind, depth - 1);
            branches.Add(result);
            parts.Add(" WHEN ");
            parts.Add(operandKind is { } w ? (random.Next(2) == 0 ? Literal(w) : OfKind(w, depth - 1)).Sql : Bool(depth - 1).Sql);
            parts.Add(" THEN ");
            parts.Add(result.Sql);
        }
        if (random.Next(3) != 0)
        {
            var result = OfKind(kind, depth - 1);
            branches.Add(result);
            parts.Add(" ELSE ");
            parts.Add(result.Sql);
        }
        parts.Add(" END");
        var type = branches[0].Type;
        foreach (var b in branches)
            type = Widen(type, b.Type);
        return new Generated(DiffSql.Concat([.. parts]), type, branches.Max(b => b.Bound));
    }

    private string LikePattern()
    {
        var chars = "ab%_xBH".ToCharArray();
        var length = random.Next(0, 5);
        var pattern = new char[length];
        for (var i = 0; i < length; i++)
            pattern[i] = chars[random.Next(chars.Length)];
        return new string(pattern);
    }

    private static Generated Wrap(DiffSql sql) => new(sql, ColumnType.Boolean, 0);

    /// <summary>The common type of two values of one kind, as Flink would widen them.</summary>
    public static ColumnType Widen(ColumnType a, ColumnType b)
    {
        if (a == b) return a;
        if (a == ColumnType.Double || b == ColumnType.Double) return ColumnType.Double;
        if (a == ColumnType.BigInt || b == ColumnType.BigInt) return ColumnType.BigInt;
        return a;
    }
}
