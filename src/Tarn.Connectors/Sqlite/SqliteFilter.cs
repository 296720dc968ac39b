using System.Text;
using Tarn.Planner.Expressions;
using Tarn.Planner.Optimizer;
using Tarn.Types;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// The part of a filter over a SQLite scan that SQLite can evaluate, as a WHERE clause: conjuncts comparing a column
/// with a constant (=, &lt;&gt;, &lt;, &lt;=, &gt;, &gt;=) where SQLite compares as Tarn does (<see cref="SqliteAffinities.ComparesLikeTarn"/>),
/// and IS [NOT] NULL. The filter still runs over what SQLite returns, so a conjunct left out only costs rows read.
/// </summary>
internal static class SqliteFilter
{
    /// <param name="names">SQLite column name of each scan output column.</param>
    /// <returns>The WHERE clause (without the keyword) and its parameters; null when no conjunct can be sent.</returns>
    public static (string Sql, List<object> Parameters)? Translate(BoundExpression predicate, IReadOnlyList<string> names,
        IReadOnlyList<DataType> types, IReadOnlyDictionary<string, SqliteAffinity> affinities)
    {
        var sql = new StringBuilder();
        var parameters = new List<object>();
        foreach (var conjunct in ExpressionRewriter.Conjuncts(predicate))
        {
            var term = Term(conjunct, names, types, affinities, parameters);
            if (term is null) continue;
            if (sql.Length > 0) sql.Append(" AND ");
            sql.Append(term);
        }
        return sql.Length == 0 ? null : (sql.ToString(), parameters);
    }

    private static string? Term(BoundExpression e, IReadOnlyList<string> names, IReadOnlyList<DataType> types,
        IReadOnlyDictionary<string, SqliteAffinity> affinities, List<object> parameters)
    {
        switch (e)
        {
            case BoundIsNull { Operand: BoundColumnRef c } isNull:
                return $"{SqliteTable.Quote(names[c.Index])} IS {(isNull.Negated ? "NOT " : "")}NULL";
            case BoundComparison cmp when Symbol(cmp.Operator) is { } op:
            {
                if (cmp.Left is BoundColumnRef l && Constant(cmp.Right) is { } right) return Compare(l, op, right);
                if (cmp.Right is BoundColumnRef r && Constant(cmp.Left) is { } left) return Compare(r, Mirror(op), left);
                return null;
            }
            default:
                return null;
        }

        string? Compare(BoundColumnRef column, string op, object value)
        {
            var type = types[column.Index];
            if (!affinities.TryGetValue(names[column.Index], out var affinity) || !SqliteAffinities.ComparesLikeTarn(affinity, type)) return null;
            if (type.IsString != value is string) return null;
            var parameter = "$f" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters.Add(value);
            // A SQLite column may declare a collation (NOCASE) that orders text differently from Tarn's byte order.
            var collate = type.IsString ? " COLLATE BINARY" : "";
            return $"{SqliteTable.Quote(names[column.Index])}{collate} {op} {parameter}";
        }
    }

    /// <summary>A non-NULL integer, floating point or string constant (maybe under an implicit cast), as SQLite receives it.</summary>
    private static object? Constant(BoundExpression e)
    {
        if (e is BoundCast { Mode: CastMode.Implicit, Operand: BoundLiteral inner } cast && (cast.Type.IsNumeric && !inner.Type.IsString || cast.Type.IsString && inner.Type.IsString))
            e = inner;
        if (e is not BoundLiteral { Value: { } value } literal) return null;
        return literal.Type.Kind switch
        {
            TypeKind.TinyInt => (long)(sbyte)value,
            TypeKind.SmallInt => (long)(short)value,
            TypeKind.Int => (long)(int)value,
            TypeKind.BigInt => (long)value,
            TypeKind.Double => double.IsFinite((double)value) ? value : null,
            TypeKind.Varchar when literal.Type.Collation is null => value,
            _ => null,
        };
    }

    private static string? Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "<>",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        _ => null,
    };

    private static string Mirror(string op) => op switch
    {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        _ => op,
    };
}
