using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>INSERT, UPDATE and DELETE.</summary>
internal static class DmlGrammar
{
    /// <summary>INSERT INTO | OVERWRITE [TABLE] name [hints] [PARTITION (...)] [(columns)] query.</summary>
    public static TokenListParserResult<SqlToken, Statement> Insert(TokenList<SqlToken> input)
    {
        Peek(input, out var insert);
        var rest = Skip(input);
        var overwrite = NextIsWord(rest, "OVERWRITE");
        if (!overwrite && !NextIsWord(rest, "INTO"))
            return Expected<Statement>(rest, "INTO", "OVERWRITE");
        rest = Skip(rest);
        if (NextIsWord(rest, "TABLE"))
            rest = Skip(rest);
        var table = DottedName(rest);
        if (!table.HasValue)
            return Fail<QualifiedName, Statement>(table);
        rest = table.Remainder;

        NodeList<Hint> hints = [];
        if (NextIs(rest, SqlToken.HintStart))
        {
            var h = HintGrammar.Hints(rest);
            if (!h.HasValue)
                return Fail<NodeList<Hint>, Statement>(h);
            hints = h.Value;
            rest = h.Remainder;
        }

        NodeList<PartitionValue> partition = [];
        if (NextIsWord(rest, "PARTITION"))
        {
            var p = Parenthesized(PartitionValueParser)(Skip(rest));
            if (!p.HasValue)
                return Fail<NodeList<PartitionValue>, Statement>(p);
            partition = p.Value;
            rest = p.Remainder;
        }

        NodeList<Identifier> columns = [];
        if (NextIs(rest, SqlToken.LeftParen) && !ParenthesesOpenQuery(rest))
        {
            var c = Parenthesized(Name)(rest);
            if (!c.HasValue)
                return Fail<NodeList<Identifier>, Statement>(c);
            columns = c.Value;
            rest = c.Remainder;
        }

        var query = QueryGrammar.Query(rest);
        if (!query.HasValue)
            return Fail<Query, Statement>(query);
        return Ok<Statement>(new InsertStatement(table.Value, overwrite, hints, partition, columns, query.Value, Pos(insert)), input, query.Remainder);
    }

    private static readonly TokenListParser<SqlToken, PartitionValue> PartitionValueParser = input =>
    {
        var column = Name(input);
        if (!column.HasValue)
            return Fail<Identifier, PartitionValue>(column);
        var equal = EqualSign(column.Remainder);
        if (!equal.HasValue)
            return Fail<Token<SqlToken>, PartitionValue>(equal);
        var value = ExpressionGrammar.Additive(equal.Remainder);
        if (!value.HasValue)
            return Fail<Expression, PartitionValue>(value);
        if (value.Value is not (IntegerLiteral or DecimalLiteral or DoubleLiteral or StringLiteral or BooleanLiteral or NullLiteral or DateTimeLiteral))
            throw SyntaxErrors.At(value.Value.Position, "a static partition value must be a literal");
        return Ok(new PartitionValue(column.Value, value.Value, column.Value.Position), input, value.Remainder);
    };

    /// <summary>UPDATE name SET column = expression, ... [WHERE condition].</summary>
    public static TokenListParserResult<SqlToken, Statement> Update(TokenList<SqlToken> input)
    {
        Peek(input, out var update);
        var table = DottedName(Skip(input));
        if (!table.HasValue)
            return Fail<QualifiedName, Statement>(table);
        var set = Keyword("SET")(table.Remainder);
        if (!set.HasValue)
            return Fail<Token<SqlToken>, Statement>(set);
        var assignments = CommaList(AssignmentParser)(set.Remainder);
        if (!assignments.HasValue)
            return Fail<NodeList<Assignment>, Statement>(assignments);
        var where = Where(assignments.Remainder);
        return where.HasValue
            ? Ok<Statement>(new UpdateStatement(table.Value, assignments.Value, where.Value, Pos(update)), input, where.Remainder)
            : Fail<Expression?, Statement>(where);
    }

    private static readonly TokenListParser<SqlToken, Assignment> AssignmentParser = input =>
    {
        var column = Name(input);
        if (!column.HasValue)
            return Fail<Identifier, Assignment>(column);
        var equal = EqualSign(column.Remainder);
        if (!equal.HasValue)
            return Fail<Token<SqlToken>, Assignment>(equal);
        var value = ExpressionGrammar.Expression(equal.Remainder);
        return value.HasValue
            ? Ok(new Assignment(column.Value, value.Value, column.Value.Position), input, value.Remainder)
            : Fail<Expression, Assignment>(value);
    };

    /// <summary>DELETE FROM name [WHERE condition].</summary>
    public static TokenListParserResult<SqlToken, Statement> Delete(TokenList<SqlToken> input)
    {
        Peek(input, out var delete);
        var from = Keyword("FROM")(Skip(input));
        if (!from.HasValue)
            return Fail<Token<SqlToken>, Statement>(from);
        var table = DottedName(from.Remainder);
        if (!table.HasValue)
            return Fail<QualifiedName, Statement>(table);
        var where = Where(table.Remainder);
        return where.HasValue
            ? Ok<Statement>(new DeleteStatement(table.Value, where.Value, Pos(delete)), input, where.Remainder)
            : Fail<Expression?, Statement>(where);
    }

    private static TokenListParserResult<SqlToken, Expression?> Where(TokenList<SqlToken> input)
    {
        if (!NextIsWord(input, "WHERE"))
            return Ok<Expression?>(null, input, input);
        var condition = ExpressionGrammar.Expression(Skip(input));
        return condition.HasValue ? Ok<Expression?>(condition.Value, input, condition.Remainder) : Fail<Expression, Expression?>(condition);
    }
}
