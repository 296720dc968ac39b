using System.Globalization;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class ExpressionGrammar
{
    private static readonly string[] ExpressionExpectation = ["expression"];

    /// <summary>Literals, names, calls, parenthesized expressions and the keyword-led forms (CASE, CAST, ...).</summary>
    private static TokenListParserResult<SqlToken, Expression> Primary(TokenList<SqlToken> input)
    {
        if (!Peek(input, out var t))
            return Expected<Expression>(input, ExpressionExpectation);
        var rest = Skip(input);
        switch (t.Kind)
        {
            case SqlToken.Integer:
                return Ok(IntegerLiteral(t), input, rest);
            case SqlToken.Decimal:
                return Ok<Expression>(new DecimalLiteral(t.ToStringValue(), Pos(t)), input, rest);
            case SqlToken.Approximate:
                return Ok<Expression>(DoubleLiteral(t), input, rest);
            case SqlToken.String:
                return Ok<Expression>(new StringLiteral(Literals.UnquoteString(t), Pos(t)), input, rest);
            case SqlToken.BinaryString:
                var hex = t.Span.AsReadOnlySpan()[2..^1].ToString().ToUpperInvariant();
                return Ok<Expression>(new BinaryLiteral(hex, Pos(t)), input, rest);
            case SqlToken.Parameter:
                return Ok(Parameter(t), input, rest);
            case SqlToken.LeftParen:
                return ParenthesizedExpression(input);
            case SqlToken.LeftBracket:
                return ListLiteral(input);
            case SqlToken.Keyword:
                return KeywordPrimary(t, input);
            case SqlToken.Identifier:
                return SpecialForms.TryGetValue(t, rest, out var form) ? form(input) : NamePrimary(input);
            case SqlToken.QuotedIdentifier:
                return NamePrimary(input);
            default:
                return Expected<Expression>(input, ExpressionExpectation);
        }
    }

    private static Expression IntegerLiteral(Token<SqlToken> t) =>
        long.TryParse(t.Span.AsReadOnlySpan(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? new IntegerLiteral(value, Pos(t))
            : new DecimalLiteral(t.ToStringValue(), Pos(t));

    private static DoubleLiteral DoubleLiteral(Token<SqlToken> t)
    {
        var value = double.Parse(t.Span.AsReadOnlySpan(), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
            throw SyntaxErrors.At(t, $"number {t.ToStringValue()} is out of the range of DOUBLE");
        return new DoubleLiteral(value, Pos(t));
    }

    private static Expression Parameter(Token<SqlToken> t)
    {
        var text = t.Span.AsReadOnlySpan();
        switch (text[0])
        {
            case '?':
                return new ParameterExpression(ParameterStyle.QuestionMark, ParseSession.Current.QuestionMarkOrdinal(t), null, Pos(t));
            case '$':
                if (!int.TryParse(text[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) || ordinal < 1)
                    throw SyntaxErrors.At(t, $"invalid parameter number {t.ToStringValue()}");
                return new ParameterExpression(ParameterStyle.Dollar, ordinal, null, Pos(t));
            case ':':
                return new ParameterExpression(ParameterStyle.Colon, 0, text[1..].ToString(), Pos(t));
            default:
                return new ParameterExpression(ParameterStyle.At, 0, text[1..].ToString(), Pos(t));
        }
    }

    private static TokenListParserResult<SqlToken, Expression> KeywordPrimary(Token<SqlToken> t, TokenList<SqlToken> input)
    {
        var rest = Skip(input);
        if (IsWord(t, "NULL"))
            return Ok<Expression>(new NullLiteral(Pos(t)), input, rest);
        if (IsWord(t, "TRUE"))
            return Ok<Expression>(new BooleanLiteral(true, Pos(t)), input, rest);
        if (IsWord(t, "FALSE"))
            return Ok<Expression>(new BooleanLiteral(false, Pos(t)), input, rest);
        if (IsWord(t, "UNKNOWN"))
            return Ok<Expression>(new BooleanLiteral(null, Pos(t)), input, rest);
        if (IsWord(t, "CASE"))
            return Case(input);
        if (IsWord(t, "INTERVAL"))
            return Interval(input);
        if (IsWord(t, "EXISTS"))
        {
            var query = QueryGrammar.ParenthesizedQuery(rest);
            return query.HasValue
                ? Ok<Expression>(new ExistsExpression(query.Value, Pos(t)), input, query.Remainder)
                : Fail<Query, Expression>(query);
        }
        if (IsWord(t, "CURRENT_DATE") || IsWord(t, "CURRENT_TIME") || IsWord(t, "CURRENT_TIMESTAMP")
            || IsWord(t, "LOCALTIME") || IsWord(t, "LOCALTIMESTAMP"))
        {
            var name = new QualifiedName([new Identifier(t.ToStringValue().ToUpperInvariant(), false, Pos(t))], Pos(t));
            return Ok<Expression>(new FunctionCall(name, [], false, null, null, Pos(t)), input, rest);
        }
        if ((IsWord(t, "LEFT") || IsWord(t, "RIGHT")) && NextIs(rest, SqlToken.LeftParen))
            return FunctionCallTail(WordName(t), input, rest);
        return Expected<Expression>(input, ExpressionExpectation);
    }

    /// <summary>A column reference or a function call: a.b.c or a.b(args).</summary>
    private static TokenListParserResult<SqlToken, Expression> NamePrimary(TokenList<SqlToken> input)
    {
        var name = DottedName(input);
        if (!name.HasValue)
            return Fail<QualifiedName, Expression>(name);
        if (NextIs(name.Remainder, SqlToken.LeftParen))
            return FunctionCallTail(name.Value, input, name.Remainder);
        return Ok<Expression>(new ColumnRef(name.Value.Parts, name.Value.Position), input, name.Remainder);
    }

    /// <summary>The value half of a parenthesized construct: either a query or a list of expressions.</summary>
    internal readonly record struct QueryOrList(Query? Query, NodeList<Expression>? List, SourcePosition Position);

    /// <summary>
    /// ( query ) or ( expr, ... ). A query is recognized by its first keyword; ((SELECT ...) UNION ...) is
    /// recognized after the fact, when a lone subquery is followed by a set operator or ORDER BY / LIMIT.
    /// Deciding this way never re-parses anything, so nested parentheses stay linear.
    /// </summary>
    internal static TokenListParserResult<SqlToken, QueryOrList> ParenthesizedQueryOrList(TokenList<SqlToken> input)
    {
        var open = LeftParen(input);
        if (!open.HasValue)
            return Fail<Token<SqlToken>, QueryOrList>(open);
        var position = Pos(open.Value);
        var rest = open.Remainder;
        if (Peek(rest, out var t) && StartsQuery(t))
        {
            var query = QueryGrammar.Query(rest);
            if (!query.HasValue)
                return Fail<Query, QueryOrList>(query);
            var close = RightParen(query.Remainder);
            return close.HasValue
                ? Ok(new QueryOrList(query.Value, null, position), input, close.Remainder)
                : Fail<Token<SqlToken>, QueryOrList>(close);
        }

        var first = Expression(rest);
        if (!first.HasValue)
            return Fail<Expression, QueryOrList>(first);
        rest = first.Remainder;
        if (first.Value is ScalarSubquery subquery && QueryGrammar.ContinuesQuery(rest))
        {
            var query = QueryGrammar.ContinueQuery(subquery.Query, rest);
            if (!query.HasValue)
                return Fail<Query, QueryOrList>(query);
            var close = RightParen(query.Remainder);
            return close.HasValue
                ? Ok(new QueryOrList(query.Value, null, position), input, close.Remainder)
                : Fail<Token<SqlToken>, QueryOrList>(close);
        }

        var items = new List<Expression> { first.Value };
        while (true)
        {
            if (NextIs(rest, SqlToken.RightParen))
                return Ok(new QueryOrList(null, NodeList.Wrap(items.ToArray()), position), input, Skip(rest));
            if (!NextIs(rest, SqlToken.Comma))
                return Expected<QueryOrList>(rest, "','", "')'");
            var next = Expression(Skip(rest));
            if (!next.HasValue)
                return Fail<Expression, QueryOrList>(next);
            items.Add(next.Value);
            rest = next.Remainder;
        }
    }

    /// <summary>(expr) is expr itself, (a, b) a row, (query) a scalar subquery.</summary>
    private static TokenListParserResult<SqlToken, Expression> ParenthesizedExpression(TokenList<SqlToken> input)
    {
        var content = ParenthesizedQueryOrList(input);
        if (!content.HasValue)
            return Fail<QueryOrList, Expression>(content);
        var (query, list, position) = content.Value;
        Expression result = query is not null ? new ScalarSubquery(query, position)
            : list!.Count == 1 ? list[0]
            : new RowConstructor(list, position);
        return Ok(result, input, content.Remainder);
    }

    /// <summary>CASE [operand] WHEN ... THEN ... [ELSE ...] END.</summary>
    private static TokenListParserResult<SqlToken, Expression> Case(TokenList<SqlToken> input)
    {
        Peek(input, out var caseToken);
        var rest = Skip(input);
        Expression? operand = null;
        if (!NextIsWord(rest, "WHEN"))
        {
            var o = Expression(rest);
            if (!o.HasValue)
                return IsPartial(o, rest) ? o : Expected<Expression>(rest, "WHEN", "expression");
            operand = o.Value;
            rest = o.Remainder;
        }
        var whens = new List<WhenClause>();
        while (Peek(rest, out var when) && IsWord(when, "WHEN"))
        {
            var condition = Expression(Skip(rest));
            if (!condition.HasValue)
                return condition;
            var then = Keyword("THEN")(condition.Remainder);
            if (!then.HasValue)
                return Fail<Token<SqlToken>, Expression>(then);
            var result = Expression(then.Remainder);
            if (!result.HasValue)
                return result;
            whens.Add(new WhenClause(condition.Value, result.Value, Pos(when)));
            rest = result.Remainder;
        }
        if (whens.Count == 0)
            return Expected<Expression>(rest, "WHEN");
        Expression? elseResult = null;
        if (NextIsWord(rest, "ELSE"))
        {
            var e = Expression(Skip(rest));
            if (!e.HasValue)
                return e;
            elseResult = e.Value;
            rest = e.Remainder;
        }
        var end = NextIsWord(rest, "END") ? Ok(true, rest, Skip(rest))
            : whens.Count > 0 && elseResult is null ? Expected<bool>(rest, "WHEN", "ELSE", "END")
            : Expected<bool>(rest, "END");
        if (!end.HasValue)
            return Fail<bool, Expression>(end);
        return Ok<Expression>(new CaseExpression(operand, NodeList.Wrap(whens.ToArray()), elseResult, Pos(caseToken)), input, end.Remainder);
    }
}
