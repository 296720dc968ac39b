using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>
/// Queries: WITH, set operations (INTERSECT binds tighter than UNION / EXCEPT, all left-associative), ORDER BY
/// and LIMIT / OFFSET / FETCH around SELECT and VALUES bodies.
/// </summary>
internal static partial class QueryGrammar
{
    private static readonly TokenListParser<SqlToken, (SetOperator, bool)> UnionOrExcept = input =>
    {
        if (Peek(input, out var t) && (IsWord(t, "UNION") || IsWord(t, "EXCEPT")))
            return SetQuantifier(IsWord(t, "UNION") ? SetOperator.Union : SetOperator.Except, input);
        return Expected<(SetOperator, bool)>(input, "UNION", "EXCEPT");
    };

    private static readonly TokenListParser<SqlToken, (SetOperator, bool)> Intersect = input =>
        NextIsWord(input, "INTERSECT") ? SetQuantifier(SetOperator.Intersect, input) : Expected<(SetOperator, bool)>(input, "INTERSECT");

    private static readonly TokenListParser<SqlToken, QueryBody> PrimaryParser = QueryPrimary;

    private static readonly TokenListParser<SqlToken, QueryBody> Term = TermStartingWith(PrimaryParser);

    private static readonly TokenListParser<SqlToken, QueryBody> Body = BodyStartingWith(PrimaryParser);

    private static TokenListParser<SqlToken, QueryBody> TermStartingWith(TokenListParser<SqlToken, QueryBody> first) =>
        first.Chain(Intersect, PrimaryParser, MakeSetOperation);

    private static TokenListParser<SqlToken, QueryBody> BodyStartingWith(TokenListParser<SqlToken, QueryBody> first) =>
        TermStartingWith(first).Chain(UnionOrExcept, Term, MakeSetOperation);

    private static QueryBody MakeSetOperation((SetOperator Operator, bool All) op, QueryBody left, QueryBody right) =>
        new SetOperationBody(op.Operator, op.All, left, right, left.Position);

    private static TokenListParserResult<SqlToken, (SetOperator, bool)> SetQuantifier(SetOperator op, TokenList<SqlToken> input)
    {
        var rest = Skip(input);
        if (NextIsWord(rest, "ALL"))
            return Ok((op, true), input, Skip(rest));
        if (NextIsWord(rest, "DISTINCT"))
            return Ok((op, false), input, Skip(rest));
        return Ok((op, false), input, rest);
    }

    private static readonly string[] QueryExpectation = ["SELECT", "VALUES", "WITH", "'('"];

    /// <summary>[WITH ...] body [ORDER BY ...] [LIMIT / OFFSET / FETCH].</summary>
    public static TokenListParserResult<SqlToken, Query> Query(TokenList<SqlToken> input)
    {
        using var nesting = ParseSession.Enter(input);
        if (!Peek(input, out var first))
            return Expected<Query>(input, QueryExpectation);
        var rest = input;
        NodeList<CommonTableExpression> with = [];
        if (IsWord(first, "WITH"))
        {
            rest = Skip(rest);
            // RECURSIVE is a keyword unless it is the CTE's own name (WITH recursive AS ..., WITH recursive(x) AS ...).
            var recursive = NextIsWord(rest, "RECURSIVE") && !NextIsWord(Skip(rest), "AS") && !NextIs(Skip(rest), SqlToken.LeftParen);
            if (recursive) rest = Skip(rest);
            var ctes = CommaList(CteParser)(rest);
            if (!ctes.HasValue)
                return Fail<NodeList<CommonTableExpression>, Query>(ctes);
            with = recursive ? [.. ctes.Value.Select(c => c with { Recursive = true })] : ctes.Value;
            rest = ctes.Remainder;
        }
        var body = Body(rest);
        if (!body.HasValue)
            return IsPartial(body, input) ? Fail<QueryBody, Query>(body) : Expected<Query>(input, QueryExpectation);
        return OrderAndLimit(with, body.Value, Pos(first), input, body.Remainder);
    }

    /// <summary>( query ).</summary>
    public static TokenListParserResult<SqlToken, Query> ParenthesizedQuery(TokenList<SqlToken> input)
    {
        var open = LeftParen(input);
        if (!open.HasValue)
            return Fail<Token<SqlToken>, Query>(open);
        var query = Query(open.Remainder);
        if (!query.HasValue)
            return query;
        var close = RightParen(query.Remainder);
        return close.HasValue ? Ok(query.Value, input, close.Remainder) : Fail<Token<SqlToken>, Query>(close);
    }

    /// <summary>True if the next token can continue a query after an operand: a set operator, ORDER BY or a row limit.</summary>
    public static bool ContinuesQuery(TokenList<SqlToken> input) =>
        Peek(input, out var t) && (IsWord(t, "UNION") || IsWord(t, "INTERSECT") || IsWord(t, "EXCEPT")
            || IsWord(t, "ORDER") || IsWord(t, "LIMIT") || IsWord(t, "OFFSET") || IsWord(t, "FETCH"));

    /// <summary>Continues a query whose first operand, <paramref name="first"/>, was already parsed as a parenthesized subquery.</summary>
    public static TokenListParserResult<SqlToken, Query> ContinueQuery(Query first, TokenList<SqlToken> input)
    {
        var left = AsBody(first, first.Position);
        var body = BodyStartingWith(Parse.Return<SqlToken, QueryBody>(left))(input);
        if (!body.HasValue)
            return Fail<QueryBody, Query>(body);
        return OrderAndLimit([], body.Value, first.Position, input, body.Remainder);
    }

    /// <summary>A parenthesized query as a set-operation operand: just its body unless it has clauses of its own.</summary>
    private static QueryBody AsBody(Query query, SourcePosition position) =>
        query.IsBodyOnly ? query.Body : new ParenthesizedBody(query, position);

    /// <summary>SELECT ..., VALUES ... or ( query ).</summary>
    private static TokenListParserResult<SqlToken, QueryBody> QueryPrimary(TokenList<SqlToken> input)
    {
        if (Peek(input, out var t))
        {
            if (IsWord(t, "SELECT") || IsWord(t, "FROM"))
                return Select(input);
            if (IsWord(t, "VALUES"))
                return Values(input);
            if (t.Kind == SqlToken.LeftParen)
            {
                var query = ParenthesizedQuery(input);
                return query.HasValue
                    ? Ok(AsBody(query.Value, Pos(t)), input, query.Remainder)
                    : Fail<Query, QueryBody>(query);
            }
        }
        return Expected<QueryBody>(input, "SELECT", "VALUES", "'('");
    }

    private static readonly TokenListParser<SqlToken, CommonTableExpression> CteParser = CommonTableExpression;

    /// <summary>name [(columns)] AS [[NOT] MATERIALIZED] (query).</summary>
    private static TokenListParserResult<SqlToken, CommonTableExpression> CommonTableExpression(TokenList<SqlToken> input)
    {
        var name = Name(input);
        if (!name.HasValue)
            return Fail<Identifier, CommonTableExpression>(name);
        var rest = name.Remainder;
        NodeList<Identifier> columns = [];
        if (NextIs(rest, SqlToken.LeftParen))
        {
            var list = Parenthesized(Name)(rest);
            if (!list.HasValue)
                return Fail<NodeList<Identifier>, CommonTableExpression>(list);
            columns = list.Value;
            rest = list.Remainder;
        }
        var usingKey = UsingKey(rest);
        if (!usingKey.HasValue)
            return Fail<NodeList<Expression>, CommonTableExpression>(usingKey);
        rest = usingKey.Remainder;
        var @as = Keyword("AS")(rest);
        if (!@as.HasValue)
            return Fail<Token<SqlToken>, CommonTableExpression>(@as);
        rest = @as.Remainder;
        bool? materialized = null;
        if (NextIsWord(rest, "MATERIALIZED"))
        {
            materialized = true;
            rest = Skip(rest);
        }
        else if (NextIsWord(rest, "NOT") && NextIsWord(Skip(rest), "MATERIALIZED"))
        {
            materialized = false;
            rest = Skip(Skip(rest));
        }
        var query = ParenthesizedQuery(rest);
        return query.HasValue
            ? Ok(new CommonTableExpression(name.Value, columns, query.Value, name.Value.Position) { Materialized = materialized, UsingKey = usingKey.Value }, input, query.Remainder)
            : Fail<Query, CommonTableExpression>(query);
    }

    /// <summary>[ORDER BY ...] then LIMIT n | LIMIT ALL, OFFSET m [ROW | ROWS], FETCH FIRST | NEXT [n] ROW | ROWS ONLY.</summary>
    private static TokenListParserResult<SqlToken, Query> OrderAndLimit(
        NodeList<CommonTableExpression> with, QueryBody body, SourcePosition position, TokenList<SqlToken> input, TokenList<SqlToken> rest)
    {
        NodeList<OrderItem> orderBy = [];
        if (NextIsWord(rest, "ORDER"))
        {
            var order = ExpressionGrammar.OrderBy(rest);
            if (!order.HasValue)
                return Fail<NodeList<OrderItem>, Query>(order);
            orderBy = order.Value;
            rest = order.Remainder;
        }

        Expression? limit = null;
        Expression? offset = null;
        bool limitSeen = false, offsetSeen = false, limitPercent = false;
        while (Peek(rest, out var t))
        {
            if (IsWord(t, "LIMIT") && !limitSeen)
            {
                limitSeen = true;
                rest = Skip(rest);
                if (NextIsWord(rest, "ALL"))
                {
                    rest = Skip(rest);
                    continue;
                }
                var percent = ExpressionGrammar.LimitPercent(rest);
                limitPercent = percent.HasValue;
                var count = percent.HasValue ? percent : ExpressionGrammar.Additive(rest);
                if (!count.HasValue)
                    return Fail<Expression, Query>(count);
                limit = count.Value;
                rest = count.Remainder;
            }
            else if (IsWord(t, "OFFSET") && !offsetSeen)
            {
                offsetSeen = true;
                var count = ExpressionGrammar.Additive(Skip(rest));
                if (!count.HasValue)
                    return Fail<Expression, Query>(count);
                offset = count.Value;
                rest = count.Remainder;
                if (NextIsWord(rest, "ROW") || NextIsWord(rest, "ROWS"))
                    rest = Skip(rest);
            }
            else if (IsWord(t, "FETCH") && !limitSeen)
            {
                limitSeen = true;
                var fetch = Fetch(Skip(rest), t);
                if (!fetch.HasValue)
                    return Fail<Expression, Query>(fetch);
                limit = fetch.Value;
                rest = fetch.Remainder;
            }
            else
            {
                break;
            }
        }
        return Ok(new Query(with, body, orderBy, limit, offset, position) { LimitPercent = limitPercent }, input, rest);
    }

    /// <summary>After FETCH: FIRST | NEXT [n] ROW | ROWS ONLY.</summary>
    private static TokenListParserResult<SqlToken, Expression> Fetch(TokenList<SqlToken> input, Token<SqlToken> fetch)
    {
        if (!NextIsWord(input, "FIRST") && !NextIsWord(input, "NEXT"))
            return Expected<Expression>(input, "FIRST", "NEXT");
        var rest = Skip(input);
        Expression count;
        if (NextIsWord(rest, "ROW") || NextIsWord(rest, "ROWS"))
        {
            count = new IntegerLiteral(1, Pos(fetch));
        }
        else
        {
            var n = ExpressionGrammar.Additive(rest);
            if (!n.HasValue)
                return n;
            count = n.Value;
            rest = n.Remainder;
            if (!NextIsWord(rest, "ROW") && !NextIsWord(rest, "ROWS"))
                return Expected<Expression>(rest, "ROWS");
        }
        var only = Keyword("ONLY")(Skip(rest));
        return only.HasValue ? Ok(count, input, only.Remainder) : Fail<Token<SqlToken>, Expression>(only);
    }

    /// <summary>VALUES row, ...; a row is (e, ...) or a single expression.</summary>
    private static TokenListParserResult<SqlToken, QueryBody> Values(TokenList<SqlToken> input)
    {
        Peek(input, out var values);
        var rows = CommaList(ValuesRowParser)(Skip(input));
        return rows.HasValue
            ? Ok<QueryBody>(new ValuesBody(rows.Value, Pos(values)), input, rows.Remainder)
            : Fail<NodeList<ValuesRow>, QueryBody>(rows);
    }

    private static readonly TokenListParser<SqlToken, NodeList<Expression>> RowValues = Parenthesized(ExpressionGrammar.ExpressionParser);

    private static readonly TokenListParser<SqlToken, ValuesRow> ValuesRowParser = input =>
    {
        if (!Peek(input, out var t))
            return Expected<ValuesRow>(input, "'('", "expression");
        if (t.Kind == SqlToken.LeftParen)
        {
            var list = RowValues(input);
            return list.HasValue
                ? Ok(new ValuesRow(list.Value, Pos(t)), input, list.Remainder)
                : Fail<NodeList<Expression>, ValuesRow>(list);
        }
        var single = ExpressionGrammar.Expression(input);
        return single.HasValue
            ? Ok(new ValuesRow([single.Value], Pos(t)), input, single.Remainder)
            : Fail<Expression, ValuesRow>(single);
    };
}
