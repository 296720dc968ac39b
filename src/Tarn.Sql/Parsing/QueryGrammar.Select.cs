using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class QueryGrammar
{
    /// <summary>SELECT [hints] [ALL | DISTINCT] items [FROM] [WHERE] [GROUP BY] [HAVING] [WINDOW] [QUALIFY].</summary>
    private static TokenListParserResult<SqlToken, QueryBody> Select(TokenList<SqlToken> input)
    {
        Peek(input, out var select);
        var fromFirst = IsWord(select, "FROM"); // DuckDB: FROM t ... means SELECT * FROM t ...
        var rest = fromFirst ? input : Skip(input);

        NodeList<Hint> hints = [];
        if (NextIs(rest, SqlToken.HintStart))
        {
            var h = HintGrammar.Hints(rest);
            if (!h.HasValue)
                return Fail<NodeList<Hint>, QueryBody>(h);
            hints = h.Value;
            rest = h.Remainder;
        }

        var distinct = false;
        NodeList<Expression> distinctOn = [];
        if (NextIsWord(rest, "DISTINCT"))
        {
            distinct = true;
            rest = Skip(rest);
            if (NextAre(rest, "ON", SqlToken.LeftParen))
            {
                var on = Parenthesized(ExpressionGrammar.ExpressionParser)(Skip(rest));
                if (!on.HasValue)
                    return Fail<NodeList<Expression>, QueryBody>(on);
                distinctOn = on.Value;
                rest = on.Remainder;
            }
        }
        else if (NextIsWord(rest, "ALL"))
        {
            rest = Skip(rest);
        }

        var items = fromFirst
            ? Ok<NodeList<SelectItem>>([new SelectItem(new StarExpression([], Pos(select)), null, Pos(select))], rest, rest)
            : CommaList(SelectItemParser)(rest);
        if (!items.HasValue)
            return Fail<NodeList<SelectItem>, QueryBody>(items);
        rest = items.Remainder;

        NodeList<TableReference> from = [];
        if (NextIsWord(rest, "FROM"))
        {
            var list = CommaList(TableReferenceParser)(Skip(rest));
            if (!list.HasValue)
                return Fail<NodeList<TableReference>, QueryBody>(list);
            from = list.Value;
            rest = list.Remainder;
        }

        var where = OptionalClause(rest, "WHERE");
        if (!where.HasValue)
            return Fail<Expression?, QueryBody>(where);
        rest = where.Remainder;

        NodeList<GroupingElement> groupBy = [];
        if (NextIsWord(rest, "GROUP"))
        {
            var by = Keywords("GROUP", "BY")(rest);
            if (!by.HasValue)
                return Fail<Token<SqlToken>, QueryBody>(by);
            var list = CommaList(GroupingElementParser)(by.Remainder);
            if (!list.HasValue)
                return Fail<NodeList<GroupingElement>, QueryBody>(list);
            groupBy = list.Value;
            rest = list.Remainder;
        }

        var having = OptionalClause(rest, "HAVING");
        if (!having.HasValue)
            return Fail<Expression?, QueryBody>(having);
        rest = having.Remainder;

        NodeList<WindowDefinition> windows = [];
        if (NextIsWord(rest, "WINDOW"))
        {
            var list = CommaList(WindowDefinitionParser)(Skip(rest));
            if (!list.HasValue)
                return Fail<NodeList<WindowDefinition>, QueryBody>(list);
            windows = list.Value;
            rest = list.Remainder;
        }

        var qualify = OptionalClause(rest, "QUALIFY");
        if (!qualify.HasValue)
            return Fail<Expression?, QueryBody>(qualify);
        rest = qualify.Remainder;

        var body = new SelectBody(hints, distinct, items.Value, from, where.Value, groupBy, having.Value, windows, qualify.Value, Pos(select)) { DistinctOn = distinctOn };
        return Ok<QueryBody>(body, input, rest);
    }

    /// <summary>KEYWORD expression, or nothing.</summary>
    private static TokenListParserResult<SqlToken, Expression?> OptionalClause(TokenList<SqlToken> input, string keyword)
    {
        if (!NextIsWord(input, keyword))
            return Ok<Expression?>(null, input, input);
        var expression = ExpressionGrammar.Expression(Skip(input));
        return expression.HasValue
            ? Ok<Expression?>(expression.Value, input, expression.Remainder)
            : Fail<Expression, Expression?>(expression);
    }

    private static readonly TokenListParser<SqlToken, SelectItem> SelectItemParser = SelectItem;

    /// <summary>*, t.*, or expr [[AS] alias].</summary>
    private static TokenListParserResult<SqlToken, SelectItem> SelectItem(TokenList<SqlToken> input)
    {
        if (TryStar(input, out var star, out var afterStar))
            return Ok(new SelectItem(star, null, star.Position), input, afterStar);
        var expression = ExpressionGrammar.Expression(input);
        if (!expression.HasValue)
            return Fail<Expression, SelectItem>(expression);
        var alias = Alias(expression.Remainder);
        if (!alias.HasValue)
            return Fail<Identifier?, SelectItem>(alias);
        return Ok(new SelectItem(expression.Value, alias.Value, expression.Value.Position), input, alias.Remainder);
    }

    /// <summary>Recognizes * and a.b.* without consuming anything when the input is something else.</summary>
    private static bool TryStar(TokenList<SqlToken> input, out StarExpression star, out TokenList<SqlToken> rest)
    {
        var qualifier = new List<Identifier>();
        rest = input;
        Peek(input, out var first);
        while (Peek(rest, out var t))
        {
            if (t.Kind == SqlToken.Star)
            {
                star = new StarExpression(NodeList.Wrap(qualifier.ToArray()), Pos(first));
                rest = Skip(rest);
                return true;
            }
            if (t.Kind is not (SqlToken.Identifier or SqlToken.QuotedIdentifier) || !PeekAt(rest, 1, out var dot) || dot.Kind != SqlToken.Dot)
                break;
            qualifier.Add(Name(rest).Value);
            rest = Skip(rest, 2);
        }
        star = null!;
        rest = input;
        return false;
    }

    /// <summary>[AS] name, or nothing. A name without AS must not be a reserved word.</summary>
    private static TokenListParserResult<SqlToken, Identifier?> Alias(TokenList<SqlToken> input)
    {
        if (NextIsWord(input, "AS"))
        {
            var name = Name(Skip(input));
            return name.HasValue ? Ok<Identifier?>(name.Value, input, name.Remainder) : Fail<Identifier, Identifier?>(name);
        }
        if (Peek(input, out var t) && t.Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier && !StartsJoin(input, t))
        {
            var name = Name(input);
            return Ok<Identifier?>(name.Value, input, name.Remainder);
        }
        return Ok<Identifier?>(null, input, input);
    }

    /// <summary>SEMI / ANTI / ASOF before JOIN are join keywords (DuckDB), not an alias: they are not reserved words.</summary>
    private static bool StartsJoin(TokenList<SqlToken> input, Token<SqlToken> t) =>
        t.Kind == SqlToken.Identifier && (IsWord(t, "SEMI") || IsWord(t, "ANTI") || IsWord(t, "ASOF")) && NextIsWord(Skip(input), "JOIN")
        || t.Kind == SqlToken.Identifier && IsWord(t, "ASOF") && Peek(Skip(input), out var next)
            && (IsWord(next, "LEFT") || IsWord(next, "RIGHT") || IsWord(next, "FULL") || IsWord(next, "INNER") || IsWord(next, "CROSS"));

    private static readonly TokenListParser<SqlToken, GroupingElement> GroupingElementParser = GroupingElement;

    /// <summary>expr | GROUPING SETS (...) | ROLLUP (...) | CUBE (...) | ().</summary>
    private static TokenListParserResult<SqlToken, GroupingElement> GroupingElement(TokenList<SqlToken> input)
    {
        if (!Peek(input, out var t))
            return Expected<GroupingElement>(input, "expression");
        if (NextAreWords(input, "GROUPING", "SETS"))
        {
            var sets = Parenthesized(GroupingSetParser)(Skip(input, 2));
            return sets.HasValue
                ? Ok<GroupingElement>(new GroupingSets(sets.Value, Pos(t)), input, sets.Remainder)
                : Fail<NodeList<GroupingSet>, GroupingElement>(sets);
        }
        if (NextAre(input, "ROLLUP", SqlToken.LeftParen) || NextAre(input, "CUBE", SqlToken.LeftParen))
        {
            var list = Parenthesized(ExpressionGrammar.ExpressionParser)(Skip(input));
            if (!list.HasValue)
                return Fail<NodeList<Expression>, GroupingElement>(list);
            GroupingElement element = IsWord(t, "ROLLUP") ? new Rollup(list.Value, Pos(t)) : new Cube(list.Value, Pos(t));
            return Ok(element, input, list.Remainder);
        }
        if (t.Kind == SqlToken.LeftParen && PeekAt(input, 1, out var close) && close.Kind == SqlToken.RightParen)
            return Ok<GroupingElement>(new GroupingSets([new GroupingSet([], Pos(t))], Pos(t)), input, Skip(input, 2));
        var expression = ExpressionGrammar.Expression(input);
        return expression.HasValue
            ? Ok<GroupingElement>(new ExpressionGrouping(expression.Value, expression.Value.Position), input, expression.Remainder)
            : Fail<Expression, GroupingElement>(expression);
    }

    private static readonly TokenListParser<SqlToken, GroupingSet> GroupingSetParser = input =>
    {
        if (!Peek(input, out var t))
            return Expected<GroupingSet>(input, "'('", "expression");
        if (NextAreWords(input, "GROUPING", "SETS") || NextAre(input, "ROLLUP", SqlToken.LeftParen) || NextAre(input, "CUBE", SqlToken.LeftParen))
        {
            var nested = GroupingElement(input);
            return nested.HasValue
                ? Ok(new GroupingSet([], Pos(t)) { Nested = nested.Value }, input, nested.Remainder)
                : Fail<GroupingElement, GroupingSet>(nested);
        }
        if (t.Kind == SqlToken.LeftParen)
        {
            var list = Parenthesized(ExpressionGrammar.ExpressionParser, allowEmpty: true)(input);
            return list.HasValue
                ? Ok(new GroupingSet(list.Value, Pos(t)), input, list.Remainder)
                : Fail<NodeList<Expression>, GroupingSet>(list);
        }
        var single = ExpressionGrammar.Expression(input);
        return single.HasValue
            ? Ok(new GroupingSet([single.Value], Pos(t)), input, single.Remainder)
            : Fail<Expression, GroupingSet>(single);
    };

    private static readonly TokenListParser<SqlToken, WindowDefinition> WindowDefinitionParser = input =>
    {
        var name = Name(input);
        if (!name.HasValue)
            return Fail<Identifier, WindowDefinition>(name);
        var @as = Keyword("AS")(name.Remainder);
        if (!@as.HasValue)
            return Fail<Token<SqlToken>, WindowDefinition>(@as);
        var specification = ExpressionGrammar.WindowSpecification(@as.Remainder);
        return specification.HasValue
            ? Ok(new WindowDefinition(name.Value, specification.Value, name.Value.Position), input, specification.Remainder)
            : Fail<WindowSpecification, WindowDefinition>(specification);
    };
}
