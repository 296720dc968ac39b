using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class QueryGrammar
{
    private static readonly TokenListParser<SqlToken, TableReference> TableReferenceParser = TableReference;

    /// <summary>A FROM item: a table-like primary followed by any number of joins (left-deep).</summary>
    private static TokenListParserResult<SqlToken, TableReference> TableReference(TokenList<SqlToken> input)
    {
        using var nesting = ParseSession.Enter(input);
        var first = TablePrimary(input);
        if (!first.HasValue)
            return first;
        var result = first.Value;
        var rest = first.Remainder;
        while (Peek(rest, out var t))
        {
            var natural = IsWord(t, "NATURAL");
            if (natural)
                rest = Skip(rest);
            var asOf = !natural && IsWord(t, "ASOF"); // DuckDB: ASOF [LEFT] JOIN
            if (asOf)
                rest = Skip(rest);
            var joinType = JoinKeywords(rest);
            if (!joinType.HasValue)
            {
                if (IsPartial(joinType, rest))
                    return Fail<JoinType, TableReference>(joinType);
                break;
            }
            var right = TablePrimary(joinType.Remainder);
            if (!right.HasValue)
                return right;
            rest = right.Remainder;
            Expression? on = null;
            NodeList<Identifier> usingColumns = [];
            if (joinType.Value != JoinType.Cross && !natural)
            {
                if (NextIsWord(rest, "ON"))
                {
                    var condition = ExpressionGrammar.Expression(Skip(rest));
                    if (!condition.HasValue)
                        return Fail<Expression, TableReference>(condition);
                    on = condition.Value;
                    rest = condition.Remainder;
                }
                else if (NextIsWord(rest, "USING"))
                {
                    var columns = Parenthesized(Name)(Skip(rest));
                    if (!columns.HasValue)
                        return Fail<NodeList<Identifier>, TableReference>(columns);
                    usingColumns = columns.Value;
                    rest = columns.Remainder;
                }
                else
                {
                    return Expected<TableReference>(rest, "ON", "USING");
                }
            }
            if (natural && joinType.Value == JoinType.Cross)
                throw SyntaxErrors.At(t, "NATURAL CROSS JOIN is not allowed");
            if (asOf && joinType.Value is not (JoinType.Inner or JoinType.Left))
                throw SyntaxErrors.At(t, "ASOF joins are inner or left joins");
            result = new JoinedTable(joinType.Value, result, right.Value, on, usingColumns, result.Position) { Natural = natural, AsOf = asOf };
        }
        return Ok(result, input, rest);
    }

    /// <summary>CROSS JOIN, [INNER] JOIN, LEFT | RIGHT | FULL [OUTER] JOIN, SEMI | ANTI JOIN (DuckDB).</summary>
    private static TokenListParserResult<SqlToken, JoinType> JoinKeywords(TokenList<SqlToken> input)
    {
        Peek(input, out var t);
        JoinType type;
        var rest = Skip(input);
        if (IsWord(t, "JOIN"))
            return Ok(JoinType.Inner, input, rest);
        if (IsWord(t, "CROSS"))
            type = JoinType.Cross;
        else if (IsWord(t, "INNER"))
            type = JoinType.Inner;
        else if (IsWord(t, "LEFT"))
            type = JoinType.Left;
        else if (IsWord(t, "RIGHT"))
            type = JoinType.Right;
        else if (IsWord(t, "FULL"))
            type = JoinType.Full;
        else if (IsWord(t, "SEMI"))
            type = JoinType.Semi;
        else if (IsWord(t, "ANTI"))
            type = JoinType.Anti;
        else
            return Expected<JoinType>(input, "JOIN");
        if (type is JoinType.Left or JoinType.Right or JoinType.Full && NextIsWord(rest, "OUTER"))
            rest = Skip(rest);
        var join = Keyword("JOIN")(rest);
        return join.HasValue ? Ok(type, input, join.Remainder) : Fail<Token<SqlToken>, JoinType>(join);
    }

    /// <summary>A table name, subquery, TABLE(function), LATERAL ..., UNNEST(...) or a parenthesized join.</summary>
    private static TokenListParserResult<SqlToken, TableReference> TablePrimary(TokenList<SqlToken> input)
    {
        if (!Peek(input, out var t))
            return Expected<TableReference>(input, "table");
        if (IsWord(t, "LATERAL"))
        {
            var rest = Skip(input);
            if (NextIsWord(rest, "TABLE"))
                return FunctionTable(input, rest, lateral: true);
            if (NextIs(rest, SqlToken.LeftParen))
                return DerivedTable(input, rest, lateral: true);
            return Expected<TableReference>(rest, "TABLE", "'('");
        }
        if (IsWord(t, "TABLE"))
            return FunctionTable(input, input, lateral: false);
        if (t.Kind == SqlToken.LeftParen)
        {
            if (ParenthesesOpenQuery(input))
                return DerivedTable(input, input, lateral: false);
            if (StartsDescribeTable(input))
                return ParenthesizedDescribe(input);
            var join = TableReference(Skip(input));
            if (!join.HasValue)
                return join;
            var close = RightParen(join.Remainder);
            return close.HasValue ? Ok(join.Value, input, close.Remainder) : Fail<Token<SqlToken>, TableReference>(close);
        }
        if (NextAre(input, "UNNEST", SqlToken.LeftParen))
            return Unnest(input);
        if (IsWord(t, "VALUES"))
            return ValuesTable(input);
        if (t.Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier)
            return NamedTable(input);
        return Expected<TableReference>(input, "table");
    }

    /// <summary>name [hints] [FOR SYSTEM_TIME AS OF expr] [alias].</summary>
    private static TokenListParserResult<SqlToken, TableReference> NamedTable(TokenList<SqlToken> input)
    {
        var name = DottedName(input);
        if (!name.HasValue)
            return Fail<QualifiedName, TableReference>(name);
        var rest = name.Remainder;
        NodeList<Hint> hints = [];
        if (NextIs(rest, SqlToken.HintStart))
        {
            var h = HintGrammar.Hints(rest);
            if (!h.HasValue)
                return Fail<NodeList<Hint>, TableReference>(h);
            hints = h.Value;
            rest = h.Remainder;
        }
        Expression? systemTime = null;
        if (NextIsWord(rest, "FOR"))
        {
            var asOf = Keywords("FOR", "SYSTEM_TIME", "AS", "OF")(rest);
            if (!asOf.HasValue)
                return Fail<Token<SqlToken>, TableReference>(asOf);
            var time = ExpressionGrammar.Expression(asOf.Remainder);
            if (!time.HasValue)
                return Fail<Expression, TableReference>(time);
            systemTime = time.Value;
            rest = time.Remainder;
        }
        var alias = TableAlias(rest);
        if (!alias.HasValue)
            return Fail<TableAlias?, TableReference>(alias);
        return Ok<TableReference>(new NamedTable(name.Value, hints, systemTime, alias.Value, name.Value.Position), input, alias.Remainder);
    }

    /// <summary>[LATERAL] (query) [alias]; <paramref name="at"/> is at '('.</summary>
    private static TokenListParserResult<SqlToken, TableReference> DerivedTable(TokenList<SqlToken> input, TokenList<SqlToken> at, bool lateral)
    {
        Peek(input, out var first);
        var query = ParenthesizedQuery(at);
        if (!query.HasValue)
            return Fail<Query, TableReference>(query);
        var alias = TableAlias(query.Remainder);
        if (!alias.HasValue)
            return Fail<TableAlias?, TableReference>(alias);
        return Ok<TableReference>(new DerivedTable(query.Value, lateral, alias.Value, Pos(first)), input, alias.Remainder);
    }

    /// <summary>[LATERAL] TABLE(function(args)) [alias]; <paramref name="at"/> is at TABLE.</summary>
    private static TokenListParserResult<SqlToken, TableReference> FunctionTable(TokenList<SqlToken> input, TokenList<SqlToken> at, bool lateral)
    {
        Peek(input, out var first);
        var open = LeftParen(Skip(at));
        if (!open.HasValue)
            return Fail<Token<SqlToken>, TableReference>(open);
        var call = ExpressionGrammar.Expression(open.Remainder);
        if (!call.HasValue)
            return Fail<Expression, TableReference>(call);
        if (call.Value is not FunctionCall function)
            throw SyntaxErrors.At(call.Value.Position, "expected a table function call inside TABLE(...)");
        var close = RightParen(call.Remainder);
        if (!close.HasValue)
            return Fail<Token<SqlToken>, TableReference>(close);
        var alias = TableAlias(close.Remainder);
        if (!alias.HasValue)
            return Fail<TableAlias?, TableReference>(alias);
        return Ok<TableReference>(new FunctionTable(function, lateral, alias.Value, Pos(first)), input, alias.Remainder);
    }

    /// <summary>UNNEST(e, ...) [WITH ORDINALITY] [alias].</summary>
    private static TokenListParserResult<SqlToken, TableReference> Unnest(TokenList<SqlToken> input)
    {
        Peek(input, out var first);
        var arguments = Parenthesized(ExpressionGrammar.ExpressionParser)(Skip(input));
        if (!arguments.HasValue)
            return Fail<NodeList<Expression>, TableReference>(arguments);
        var rest = arguments.Remainder;
        var ordinality = NextAreWords(rest, "WITH", "ORDINALITY");
        if (ordinality)
            rest = Skip(rest, 2);
        var alias = TableAlias(rest);
        if (!alias.HasValue)
            return Fail<TableAlias?, TableReference>(alias);
        return Ok<TableReference>(new UnnestTable(arguments.Value, ordinality, alias.Value, Pos(first)), input, alias.Remainder);
    }

    /// <summary>[AS] name [(columns)], or nothing.</summary>
    private static TokenListParserResult<SqlToken, TableAlias?> TableAlias(TokenList<SqlToken> input)
    {
        var name = Alias(input);
        if (!name.HasValue)
            return Fail<Identifier?, TableAlias?>(name);
        if (name.Value is null)
            return Ok<TableAlias?>(null, input, input);
        var rest = name.Remainder;
        NodeList<Identifier> columns = [];
        if (NextIs(rest, SqlToken.LeftParen))
        {
            var list = Parenthesized(Name)(rest);
            if (!list.HasValue)
                return Fail<NodeList<Identifier>, TableAlias?>(list);
            columns = list.Value;
            rest = list.Remainder;
        }
        return Ok<TableAlias?>(new TableAlias(name.Value, columns, name.Value.Position), input, rest);
    }
}
