using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class ExpressionGrammar
{
    /// <summary>(args) [FILTER (WHERE cond)] [OVER window] after a function name; <paramref name="rest"/> is at '('.</summary>
    private static TokenListParserResult<SqlToken, Expression> FunctionCallTail(QualifiedName name, TokenList<SqlToken> input, TokenList<SqlToken> rest)
    {
        rest = Skip(rest);
        var distinct = false;
        NodeList<Expression> arguments;
        NodeList<OrderItem> orderBy = [];
        if (NextIs(rest, SqlToken.RightParen))
        {
            arguments = [];
        }
        else if (Peek(rest, out var star) && star.Kind == SqlToken.Star && PeekAt(rest, 1, out var afterStar) && afterStar.Kind == SqlToken.RightParen)
        {
            arguments = [new StarExpression([], Pos(star))];
            rest = Skip(rest);
        }
        else
        {
            if (NextIsWord(rest, "DISTINCT"))
            {
                distinct = true;
                rest = Skip(rest);
            }
            else if (NextIsWord(rest, "ALL"))
            {
                rest = Skip(rest);
            }
            var list = CommaList(ArgumentParser)(rest);
            if (!list.HasValue)
                return Fail<NodeList<Expression>, Expression>(list);
            arguments = list.Value;
            rest = list.Remainder;
            if (NextIsWord(rest, "ORDER"))
            {
                var order = OrderBy(rest);
                if (!order.HasValue)
                    return Fail<NodeList<OrderItem>, Expression>(order);
                orderBy = order.Value;
                rest = order.Remainder;
            }
            if (!NextIs(rest, SqlToken.RightParen))
                return Expected<Expression>(rest, "','", "')'");
        }
        rest = Skip(rest);

        Expression? filter = null;
        if (NextAre(rest, "FILTER", SqlToken.LeftParen))
        {
            var where = Keyword("WHERE")(Skip(rest, 2));
            if (!where.HasValue)
                return Fail<Token<SqlToken>, Expression>(where);
            var condition = Expression(where.Remainder);
            if (!condition.HasValue)
                return condition;
            var close = RightParen(condition.Remainder);
            if (!close.HasValue)
                return Fail<Token<SqlToken>, Expression>(close);
            filter = condition.Value;
            rest = close.Remainder;
        }

        WindowSpecification? over = null;
        if (Peek(rest, out var overToken) && IsWord(overToken, "OVER"))
        {
            var window = OverClause(Skip(rest), Pos(overToken));
            if (!window.HasValue)
                return Fail<WindowSpecification, Expression>(window);
            over = window.Value;
            rest = window.Remainder;
        }
        return Ok<Expression>(new FunctionCall(name, arguments, distinct, filter, over, name.Position) { OrderBy = orderBy }, input, rest);
    }

    private static readonly TokenListParser<SqlToken, Expression> ArgumentParser = Argument;

    /// <summary>An argument: name =&gt; value, TABLE t, DESCRIPTOR(cols) or an expression.</summary>
    private static TokenListParserResult<SqlToken, Expression> Argument(TokenList<SqlToken> input)
    {
        if (Peek(input, out var t) && t.Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier or SqlToken.Keyword
            && PeekAt(input, 1, out var arrow) && arrow.Kind == SqlToken.Arrow)
        {
            // Before =>, a reserved word names a parameter too (Flink's OFFSET => of the window functions); it is
            // kept as if quoted, the form the formatter writes it back in.
            var name = t.Kind == SqlToken.Keyword
                ? Ok(new Identifier(t.ToStringValue(), true, Pos(t)), input, Skip(input))
                : Name(input);
            var value = ArgumentValue(Skip(input, 2));
            return value.HasValue
                ? Ok<Expression>(new NamedArgument(name.Value, value.Value, name.Value.Position), input, value.Remainder)
                : value;
        }
        return ArgumentValue(input);
    }

    private static TokenListParserResult<SqlToken, Expression> ArgumentValue(TokenList<SqlToken> input)
    {
        if (Peek(input, out var t))
        {
            if (IsWord(t, "TABLE"))
            {
                var table = DottedName(Skip(input));
                if (!table.HasValue) return Fail<QualifiedName, Expression>(table);
                if (!NextIsWord(table.Remainder, "PARTITION"))
                    return Ok<Expression>(new TableArgument(table.Value, Pos(t)), input, table.Remainder);
                var by = Keywords("PARTITION", "BY")(table.Remainder);
                if (!by.HasValue) return Fail<Token<SqlToken>, Expression>(by);
                // PARTITION BY k or PARTITION BY (k1, k2): a bare list would swallow the function's next arguments.
                if (NextIs(by.Remainder, SqlToken.LeftParen))
                {
                    var keys = Parenthesized(Name)(by.Remainder);
                    return keys.HasValue
                        ? Ok<Expression>(new TableArgument(table.Value, Pos(t)) { PartitionBy = keys.Value }, input, keys.Remainder)
                        : Fail<NodeList<Identifier>, Expression>(keys);
                }
                var key = Name(by.Remainder);
                return key.HasValue
                    ? Ok<Expression>(new TableArgument(table.Value, Pos(t)) { PartitionBy = [key.Value] }, input, key.Remainder)
                    : Fail<Identifier, Expression>(key);
            }
            if (NextAre(input, "DESCRIPTOR", SqlToken.LeftParen))
            {
                var columns = Parenthesized(Name)(Skip(input));
                return columns.HasValue
                    ? Ok<Expression>(new DescriptorExpression(columns.Value, Pos(t)), input, columns.Remainder)
                    : Fail<NodeList<Identifier>, Expression>(columns);
            }
        }
        return Expression(input);
    }

    /// <summary>After OVER: a window name or a parenthesized specification.</summary>
    private static TokenListParserResult<SqlToken, WindowSpecification> OverClause(TokenList<SqlToken> input, SourcePosition position)
    {
        if (NextIs(input, SqlToken.LeftParen))
            return WindowSpecification(input);
        var name = Name(input);
        if (!name.HasValue)
            return Expected<WindowSpecification>(input, "'('", "window name");
        return Ok(new WindowSpecification(name.Value, [], [], null, position), input, name.Remainder);
    }

    /// <summary>( [base window] [PARTITION BY ...] [ORDER BY ...] [frame] ).</summary>
    internal static TokenListParserResult<SqlToken, WindowSpecification> WindowSpecification(TokenList<SqlToken> input)
    {
        var open = LeftParen(input);
        if (!open.HasValue)
            return Fail<Token<SqlToken>, WindowSpecification>(open);
        var rest = open.Remainder;

        Identifier? baseWindow = null;
        if (Peek(rest, out var t) && t.Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier
            && !(t.Kind == SqlToken.Identifier && (IsWord(t, "PARTITION") || IsWord(t, "ROWS") || IsWord(t, "RANGE"))))
        {
            var name = Name(rest);
            baseWindow = name.Value;
            rest = name.Remainder;
        }

        NodeList<Expression> partitionBy = [];
        if (NextIsWord(rest, "PARTITION"))
        {
            var by = Keywords("PARTITION", "BY")(rest);
            if (!by.HasValue)
                return Fail<Token<SqlToken>, WindowSpecification>(by);
            var list = CommaList(ExpressionParser)(by.Remainder);
            if (!list.HasValue)
                return Fail<NodeList<Expression>, WindowSpecification>(list);
            partitionBy = list.Value;
            rest = list.Remainder;
        }

        NodeList<OrderItem> orderBy = [];
        if (NextIsWord(rest, "ORDER"))
        {
            var list = OrderBy(rest);
            if (!list.HasValue)
                return Fail<NodeList<OrderItem>, WindowSpecification>(list);
            orderBy = list.Value;
            rest = list.Remainder;
        }

        WindowFrame? frame = null;
        if (NextIsWord(rest, "ROWS") || NextIsWord(rest, "RANGE"))
        {
            var f = Frame(rest);
            if (!f.HasValue)
                return Fail<WindowFrame, WindowSpecification>(f);
            frame = f.Value;
            rest = f.Remainder;
        }

        if (!NextIs(rest, SqlToken.RightParen))
        {
            string[] expected = frame is not null ? ["')'"]
                : !orderBy.IsEmpty ? ["ROWS", "RANGE", "')'"]
                : !partitionBy.IsEmpty ? ["ORDER BY", "ROWS", "RANGE", "')'"]
                : ["PARTITION BY", "ORDER BY", "ROWS", "RANGE", "')'"];
            return Expected<WindowSpecification>(rest, expected);
        }
        return Ok(new WindowSpecification(baseWindow, partitionBy, orderBy, frame, Pos(open.Value)), input, Skip(rest));
    }

    /// <summary>ROWS | RANGE (BETWEEN bound AND bound | bound).</summary>
    private static TokenListParserResult<SqlToken, WindowFrame> Frame(TokenList<SqlToken> input)
    {
        Peek(input, out var unitToken);
        var unit = IsWord(unitToken, "ROWS") ? FrameUnit.Rows : FrameUnit.Range;
        var rest = Skip(input);
        if (NextIsWord(rest, "BETWEEN"))
        {
            var start = FrameBound(Skip(rest));
            if (!start.HasValue)
                return Fail<FrameBound, WindowFrame>(start);
            var and = Keyword("AND")(start.Remainder);
            if (!and.HasValue)
                return Fail<Token<SqlToken>, WindowFrame>(and);
            var end = FrameBound(and.Remainder);
            if (!end.HasValue)
                return Fail<FrameBound, WindowFrame>(end);
            return Ok(new WindowFrame(unit, start.Value, end.Value, Pos(unitToken)), input, end.Remainder);
        }
        var single = FrameBound(rest);
        return single.HasValue
            ? Ok(new WindowFrame(unit, single.Value, null, Pos(unitToken)), input, single.Remainder)
            : Fail<FrameBound, WindowFrame>(single);
    }

    private static TokenListParserResult<SqlToken, FrameBound> FrameBound(TokenList<SqlToken> input)
    {
        Peek(input, out var t);
        if (NextAreWords(input, "UNBOUNDED", "PRECEDING"))
            return Ok(new FrameBound(FrameBoundKind.UnboundedPreceding, null, Pos(t)), input, Skip(input, 2));
        if (NextAreWords(input, "UNBOUNDED", "FOLLOWING"))
            return Ok(new FrameBound(FrameBoundKind.UnboundedFollowing, null, Pos(t)), input, Skip(input, 2));
        if (NextAreWords(input, "CURRENT", "ROW"))
            return Ok(new FrameBound(FrameBoundKind.CurrentRow, null, Pos(t)), input, Skip(input, 2));
        var offset = Additive(input);
        if (!offset.HasValue)
            return IsPartial(offset, input)
                ? Fail<Expression, FrameBound>(offset)
                : Expected<FrameBound>(input, "UNBOUNDED", "CURRENT ROW", "expression");
        var rest = offset.Remainder;
        if (NextIsWord(rest, "PRECEDING"))
            return Ok(new FrameBound(FrameBoundKind.Preceding, offset.Value, Pos(t)), input, Skip(rest));
        if (NextIsWord(rest, "FOLLOWING"))
            return Ok(new FrameBound(FrameBoundKind.Following, offset.Value, Pos(t)), input, Skip(rest));
        return Expected<FrameBound>(rest, "PRECEDING", "FOLLOWING");
    }

    /// <summary>ORDER BY item, ...</summary>
    internal static TokenListParserResult<SqlToken, NodeList<OrderItem>> OrderBy(TokenList<SqlToken> input)
    {
        var by = Keywords("ORDER", "BY")(input);
        if (!by.HasValue)
            return Fail<Token<SqlToken>, NodeList<OrderItem>>(by);
        return CommaList(OrderItemParser)(by.Remainder) is var list && list.HasValue
            ? Ok(list.Value, input, list.Remainder)
            : list;
    }

    private static readonly TokenListParser<SqlToken, OrderItem> OrderItemParser = OrderItem;

    /// <summary>expr [ASC | DESC] [NULLS FIRST | LAST].</summary>
    private static TokenListParserResult<SqlToken, OrderItem> OrderItem(TokenList<SqlToken> input)
    {
        var expression = Expression(input);
        if (!expression.HasValue)
            return Fail<Expression, OrderItem>(expression);
        var rest = expression.Remainder;
        var descending = false;
        if (NextIsWord(rest, "ASC"))
        {
            rest = Skip(rest);
        }
        else if (NextIsWord(rest, "DESC"))
        {
            descending = true;
            rest = Skip(rest);
        }
        var nulls = NullOrdering.Default;
        if (NextIsWord(rest, "NULLS"))
        {
            var which = Skip(rest);
            if (NextIsWord(which, "FIRST"))
                nulls = NullOrdering.First;
            else if (NextIsWord(which, "LAST"))
                nulls = NullOrdering.Last;
            else
                return Expected<OrderItem>(which, "FIRST", "LAST");
            rest = Skip(which);
        }
        return Ok(new OrderItem(expression.Value, descending, nulls, expression.Value.Position), input, rest);
    }
}
