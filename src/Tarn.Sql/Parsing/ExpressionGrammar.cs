using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>
/// Expressions by precedence, loosest first: OR &lt; AND &lt; NOT &lt; comparison, IS, BETWEEN, IN, LIKE, SIMILAR
/// &lt; + - || &lt; * / % &lt; unary + - &lt; postfix :: and [] &lt; primary. Binary levels are left-associative
/// loops (Superpower's Chain), so long operator chains cost no stack. Grammar entry points are methods, not
/// fields, so the grammar classes can refer to each other without static-initialization order issues.
/// </summary>
internal static partial class ExpressionGrammar
{
    /// <summary>A full expression; each call is one level of nesting for the depth limit.</summary>
    public static TokenListParserResult<SqlToken, Expression> Expression(TokenList<SqlToken> input)
    {
        using var nesting = ParseSession.Enter(input);
        return Disjunction(input);
    }

    private static readonly TokenListParser<SqlToken, Expression> OrChain =
        Parse.Chain<SqlToken, Expression, BinaryOperator>(Keyword("OR").Value(BinaryOperator.Or), Conjunction, MakeBinary);

    private static readonly TokenListParser<SqlToken, Expression> AndChain =
        Parse.Chain<SqlToken, Expression, BinaryOperator>(Keyword("AND").Value(BinaryOperator.And), Negation, MakeBinary);

    private static readonly TokenListParser<SqlToken, Expression> AdditiveChain =
        Parse.Chain<SqlToken, Expression, BinaryOperator>(AdditiveOperator, Multiplicative, MakeBinary);

    private static readonly TokenListParser<SqlToken, Expression> MultiplicativeChain =
        Parse.Chain<SqlToken, Expression, BinaryOperator>(MultiplicativeOperator, Unary, MakeBinary);

    private static TokenListParserResult<SqlToken, Expression> Disjunction(TokenList<SqlToken> input) => OrChain(input);

    private static TokenListParserResult<SqlToken, Expression> Conjunction(TokenList<SqlToken> input) => AndChain(input);

    /// <summary>The operand level of comparisons: + - || and tighter. BETWEEN bounds, LIKE patterns and frame offsets use it.</summary>
    public static TokenListParserResult<SqlToken, Expression> Additive(TokenList<SqlToken> input) => AdditiveChain(input);

    private static TokenListParserResult<SqlToken, Expression> Multiplicative(TokenList<SqlToken> input) => MultiplicativeChain(input);

    private static Expression MakeBinary(BinaryOperator op, Expression left, Expression right) =>
        new BinaryExpression(op, left, right, left.Position);

    private static readonly string[] OperatorExpectation = ["operator"];

    private static TokenListParserResult<SqlToken, BinaryOperator> AdditiveOperator(TokenList<SqlToken> input)
    {
        if (Peek(input, out var t))
        {
            switch (t.Kind)
            {
                case SqlToken.Plus:
                    return Ok(BinaryOperator.Add, input, Skip(input));
                case SqlToken.Minus:
                    return Ok(BinaryOperator.Subtract, input, Skip(input));
                case SqlToken.Concat:
                    return Ok(BinaryOperator.Concat, input, Skip(input));
            }
        }
        return Expected<BinaryOperator>(input, OperatorExpectation);
    }

    private static TokenListParserResult<SqlToken, BinaryOperator> MultiplicativeOperator(TokenList<SqlToken> input)
    {
        if (Peek(input, out var t))
        {
            switch (t.Kind)
            {
                case SqlToken.Star:
                    return Ok(BinaryOperator.Multiply, input, Skip(input));
                case SqlToken.Slash:
                    return Ok(BinaryOperator.Divide, input, Skip(input));
                case SqlToken.Percent:
                    return Ok(BinaryOperator.Modulo, input, Skip(input));
            }
        }
        return Expected<BinaryOperator>(input, OperatorExpectation);
    }

    /// <summary>NOT NOT ... predicate, as a loop rather than recursion.</summary>
    private static TokenListParserResult<SqlToken, Expression> Negation(TokenList<SqlToken> input)
    {
        List<Token<SqlToken>>? nots = null;
        var rest = input;
        while (Peek(rest, out var t) && IsWord(t, "NOT"))
        {
            (nots ??= []).Add(t);
            rest = Skip(rest);
        }
        if (nots is not null)
            ParseSession.CheckPrefixDepth(nots.Count, nots[^1]);
        var operand = Predicate(rest);
        if (!operand.HasValue || nots is null)
            return operand;
        var result = operand.Value;
        for (var i = nots.Count - 1; i >= 0; i--)
            result = new UnaryExpression(UnaryOperator.Not, result, Pos(nots[i]));
        return Ok(result, input, operand.Remainder);
    }

    /// <summary>Unary signs, with a minus directly before a number folded into a negative literal.</summary>
    private static TokenListParserResult<SqlToken, Expression> Unary(TokenList<SqlToken> input)
    {
        List<Token<SqlToken>>? signs = null;
        var rest = input;
        while (Peek(rest, out var t) && t.Kind is SqlToken.Plus or SqlToken.Minus)
        {
            (signs ??= []).Add(t);
            rest = Skip(rest);
        }
        if (signs is not null)
            ParseSession.CheckPrefixDepth(signs.Count, signs[^1]);
        var operand = Postfix(rest);
        if (!operand.HasValue || signs is null)
            return operand;

        var result = operand.Value;
        var count = signs.Count;
        var last = signs[^1];
        if (last.Kind == SqlToken.Minus && operand.Remainder.Position - rest.Position == 1 && Negate(result, Pos(last)) is { } negative)
        {
            result = negative;
            count--;
        }
        for (var i = count - 1; i >= 0; i--)
        {
            var op = signs[i].Kind == SqlToken.Minus ? UnaryOperator.Minus : UnaryOperator.Plus;
            result = new UnaryExpression(op, result, Pos(signs[i]));
        }
        return Ok(result, input, operand.Remainder);
    }

    private static Expression? Negate(Expression literal, SourcePosition position) => literal switch
    {
        IntegerLiteral i => new IntegerLiteral(-i.Value, position),
        DecimalLiteral d when !d.Text.Contains('.', StringComparison.Ordinal) && long.TryParse("-" + d.Text, out var l) =>
            new IntegerLiteral(l, position),
        DecimalLiteral d => new DecimalLiteral("-" + d.Text, position),
        DoubleLiteral f => new DoubleLiteral(-f.Value, position),
        _ => null,
    };

    /// <summary>primary followed by any number of ::type, COLLATE name and [index].</summary>
    private static TokenListParserResult<SqlToken, Expression> Postfix(TokenList<SqlToken> input)
    {
        var primary = Primary(input);
        if (!primary.HasValue)
            return primary;
        var result = primary.Value;
        var rest = primary.Remainder;
        while (Peek(rest, out var t))
        {
            if (t.Kind == SqlToken.DoubleColon)
            {
                var type = TypeGrammar.BareType(Skip(rest));
                if (!type.HasValue)
                    return Fail<Tarn.Types.DataType, Expression>(type);
                result = new CastExpression(result, type.Value, false, result.Position);
                rest = type.Remainder;
            }
            else if (IsWord(t, "COLLATE"))
            {
                var collation = TypeGrammar.Collate(rest);
                if (!collation.HasValue)
                    return Fail<string?, Expression>(collation);
                result = new CollateExpression(result, collation.Value!, result.Position);
                rest = collation.Remainder;
            }
            else if (t.Kind == SqlToken.LeftBracket)
            {
                var index = Expression(Skip(rest));
                if (!index.HasValue)
                    return index;
                var close = Symbol(SqlToken.RightBracket)(index.Remainder);
                if (!close.HasValue)
                    return Fail<Token<SqlToken>, Expression>(close);
                result = new SubscriptExpression(result, index.Value, result.Position);
                rest = close.Remainder;
            }
            else
            {
                break;
            }
        }
        return Ok(result, input, rest);
    }
}
