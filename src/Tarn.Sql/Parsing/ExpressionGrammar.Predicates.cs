using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class ExpressionGrammar
{
    /// <summary>
    /// An additive operand followed by any number of comparison / IS / BETWEEN / IN / LIKE / SIMILAR TO
    /// suffixes, applied left to right: a = b IS NULL is (a = b) IS NULL.
    /// </summary>
    private static TokenListParserResult<SqlToken, Expression> Predicate(TokenList<SqlToken> input)
    {
        var first = Additive(input);
        if (!first.HasValue)
            return first;
        var result = first.Value;
        var rest = first.Remainder;
        while (Peek(rest, out var t))
        {
            TokenListParserResult<SqlToken, Expression> next;
            if (ComparisonOperator(t.Kind) is { } op)
            {
                next = Comparison(result, op, Skip(rest));
            }
            else if (IsWord(t, "IS"))
            {
                next = IsTail(result, Skip(rest));
            }
            else if (IsWord(t, "NOT"))
            {
                if (!PeekAt(rest, 1, out var after) || !IsNegatable(after))
                    return Expected<Expression>(Skip(rest), "BETWEEN", "IN", "LIKE", "SIMILAR TO");
                next = NegatableTail(result, true, Skip(rest));
            }
            else if (IsNegatable(t))
            {
                next = NegatableTail(result, false, rest);
            }
            else
            {
                break;
            }
            if (!next.HasValue)
                return next;
            result = next.Value;
            rest = next.Remainder;
        }
        return Ok(result, input, rest);
    }

    private static BinaryOperator? ComparisonOperator(SqlToken kind) => kind switch
    {
        SqlToken.Equal => BinaryOperator.Equal,
        SqlToken.NotEqual => BinaryOperator.NotEqual,
        SqlToken.Less => BinaryOperator.Less,
        SqlToken.LessOrEqual => BinaryOperator.LessOrEqual,
        SqlToken.Greater => BinaryOperator.Greater,
        SqlToken.GreaterOrEqual => BinaryOperator.GreaterOrEqual,
        _ => null,
    };

    private static bool IsNegatable(Token<SqlToken> token) =>
        IsWord(token, "BETWEEN") || IsWord(token, "IN") || IsWord(token, "LIKE") || IsWord(token, "SIMILAR");

    /// <summary>After the operator: an operand, or ANY | SOME | ALL (subquery).</summary>
    private static TokenListParserResult<SqlToken, Expression> Comparison(Expression left, BinaryOperator op, TokenList<SqlToken> rest)
    {
        if (Peek(rest, out var q) && (IsWord(q, "ANY") || IsWord(q, "SOME") || IsWord(q, "ALL"))
            && PeekAt(rest, 1, out var open) && open.Kind == SqlToken.LeftParen
            && PeekAt(rest, 2, out var start) && StartsQuery(start))
        {
            var query = QueryGrammar.ParenthesizedQuery(Skip(rest));
            if (!query.HasValue)
                return Fail<Query, Expression>(query);
            var quantifier = IsWord(q, "ALL") ? Quantifier.All : Quantifier.Any;
            return Ok<Expression>(new QuantifiedComparisonExpression(op, left, quantifier, query.Value, left.Position), rest, query.Remainder);
        }
        var right = Additive(rest);
        return right.HasValue ? Ok<Expression>(MakeBinary(op, left, right.Value), rest, right.Remainder) : right;
    }

    /// <summary>After IS: [NOT] NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM operand.</summary>
    private static TokenListParserResult<SqlToken, Expression> IsTail(Expression left, TokenList<SqlToken> input)
    {
        var rest = input;
        var negated = NextIsWord(rest, "NOT");
        if (negated)
            rest = Skip(rest);
        if (Peek(rest, out var t))
        {
            IsTest? test = IsWord(t, "NULL") ? IsTest.Null
                : IsWord(t, "TRUE") ? IsTest.True
                : IsWord(t, "FALSE") ? IsTest.False
                : IsWord(t, "UNKNOWN") ? IsTest.Unknown
                : null;
            if (test is { } found)
                return Ok<Expression>(new IsExpression(left, found, negated, left.Position), input, Skip(rest));
            if (IsWord(t, "JSON"))
            {
                // Flink: IS [NOT] JSON [ VALUE | SCALAR | ARRAY | OBJECT ].
                var after = Skip(rest);
                IsTest? kind = Peek(after, out var k)
                    ? IsWord(k, "VALUE") ? IsTest.JsonValue
                    : IsWord(k, "SCALAR") ? IsTest.JsonScalar
                    : IsWord(k, "ARRAY") ? IsTest.JsonArray
                    : IsWord(k, "OBJECT") ? IsTest.JsonObject
                    : null
                    : null;
                return Ok<Expression>(new IsExpression(left, kind ?? IsTest.Json, negated, left.Position), input, kind is null ? after : Skip(after));
            }
            if (IsWord(t, "DISTINCT"))
            {
                var from = Keyword("FROM")(Skip(rest));
                if (!from.HasValue)
                    return Fail<Token<SqlToken>, Expression>(from);
                var right = Additive(from.Remainder);
                return right.HasValue
                    ? Ok<Expression>(new IsDistinctFromExpression(left, right.Value, negated, left.Position), input, right.Remainder)
                    : right;
            }
        }
        return negated
            ? Expected<Expression>(rest, "NULL", "TRUE", "FALSE", "UNKNOWN", "JSON", "DISTINCT FROM")
            : Expected<Expression>(rest, "NOT", "NULL", "TRUE", "FALSE", "UNKNOWN", "JSON", "DISTINCT FROM");
    }

    /// <summary>BETWEEN, IN, LIKE or SIMILAR TO (the NOT, if any, already consumed).</summary>
    private static TokenListParserResult<SqlToken, Expression> NegatableTail(Expression left, bool negated, TokenList<SqlToken> input)
    {
        Peek(input, out var keyword);
        var rest = Skip(input);
        if (IsWord(keyword, "BETWEEN"))
        {
            var symmetric = false;
            if (NextIsWord(rest, "SYMMETRIC"))
            {
                symmetric = true;
                rest = Skip(rest);
            }
            else if (NextIsWord(rest, "ASYMMETRIC"))
            {
                rest = Skip(rest);
            }
            var low = Additive(rest);
            if (!low.HasValue)
                return low;
            var and = Keyword("AND")(low.Remainder);
            if (!and.HasValue)
                return Fail<Token<SqlToken>, Expression>(and);
            var high = Additive(and.Remainder);
            if (!high.HasValue)
                return high;
            return Ok<Expression>(new BetweenExpression(left, low.Value, high.Value, negated, symmetric, left.Position), input, high.Remainder);
        }
        if (IsWord(keyword, "IN"))
        {
            var content = ParenthesizedQueryOrList(rest);
            if (!content.HasValue)
                return Fail<QueryOrList, Expression>(content);
            Expression result = content.Value.Query is { } query
                ? new InSubqueryExpression(left, query, negated, left.Position)
                : new InListExpression(left, content.Value.List!, negated, left.Position);
            return Ok(result, input, content.Remainder);
        }

        var kind = PatternKind.Like;
        if (IsWord(keyword, "SIMILAR"))
        {
            var to = Keyword("TO")(rest);
            if (!to.HasValue)
                return Fail<Token<SqlToken>, Expression>(to);
            rest = to.Remainder;
            kind = PatternKind.SimilarTo;
        }
        var pattern = Additive(rest);
        if (!pattern.HasValue)
            return pattern;
        rest = pattern.Remainder;
        Expression? escape = null;
        if (NextIsWord(rest, "ESCAPE"))
        {
            var e = Additive(Skip(rest));
            if (!e.HasValue)
                return e;
            escape = e.Value;
            rest = e.Remainder;
        }
        return Ok<Expression>(new LikeExpression(kind, left, pattern.Value, escape, negated, left.Position), input, rest);
    }
}
