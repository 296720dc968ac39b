using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Sql.Tests;

/// <summary>Shorthand for building expected trees. Positions do not take part in equality, so they are left default.</summary>
internal static class Sql
{
    public static readonly SourcePosition P = default;

    public static Identifier Id(string name, bool quoted = false) => new(name, quoted, P);

    public static QualifiedName Name(params string[] parts) => new(NodeList.Create<Identifier>(Array.ConvertAll(parts, p => Id(p))), P);

    public static ColumnRef Col(params string[] parts) => new(NodeList.Create<Identifier>(Array.ConvertAll(parts, p => Id(p))), P);

    public static IntegerLiteral Int(long value) => new(value, P);

    public static DecimalLiteral Dec(string text) => new(text, P);

    public static StringLiteral Str(string value) => new(value, P);

    public static BinaryExpression Bin(BinaryOperator op, Expression left, Expression right) => new(op, left, right, P);

    public static BinaryExpression Add(Expression left, Expression right) => Bin(BinaryOperator.Add, left, right);

    public static BinaryExpression Mul(Expression left, Expression right) => Bin(BinaryOperator.Multiply, left, right);

    public static BinaryExpression Eq(Expression left, Expression right) => Bin(BinaryOperator.Equal, left, right);

    public static BinaryExpression And(Expression left, Expression right) => Bin(BinaryOperator.And, left, right);

    public static BinaryExpression Or(Expression left, Expression right) => Bin(BinaryOperator.Or, left, right);

    public static UnaryExpression Not(Expression operand) => new(UnaryOperator.Not, operand, P);

    public static UnaryExpression Neg(Expression operand) => new(UnaryOperator.Minus, operand, P);

    public static FunctionCall Call(string name, params Expression[] arguments) =>
        new(Name(name), NodeList.Create<Expression>(arguments), false, null, null, P);

    public static Expression Expr(string sql) => SqlParser.ParseExpression(sql);

    public static Statement Stmt(string sql) => SqlParser.ParseStatement(sql);

    public static T Stmt<T>(string sql) where T : Statement => Assert.IsType<T>(SqlParser.ParseStatement(sql));

    public static SelectBody Select(string sql) => Assert.IsType<SelectBody>(Stmt<QueryStatement>(sql).Query.Body);

    public static DataType Type(string sql) => SqlParser.ParseDataType(sql);

    /// <summary>Asserts a 42601 error at the given position whose message contains <paramref name="fragment"/>.</summary>
    public static TarnException SyntaxError(Action parse, int line, int column, string? fragment = null)
    {
        var error = Assert.Throws<TarnException>(parse);
        Assert.Equal(SqlStates.SyntaxError, error.SqlState);
        Assert.Equal(new SourcePosition(line, column), error.Position);
        Assert.StartsWith($"syntax error at line {line}, column {column}: ", error.Message, StringComparison.Ordinal);
        if (fragment is not null)
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        return error;
    }

    public static TarnException StatementError(string sql, int line, int column, string? fragment = null) =>
        SyntaxError(() => SqlParser.ParseStatement(sql), line, column, fragment);

    /// <summary>Parses, formats, parses again and checks the trees agree; returns the formatted text.</summary>
    public static string RoundTrip(string sql)
    {
        var first = SqlParser.ParseStatement(sql);
        var formatted = Formatting.SqlFormatter.Format(first);
        Statement second;
        try
        {
            second = SqlParser.ParseStatement(formatted);
        }
        catch (TarnException e)
        {
            throw new Xunit.Sdk.XunitException($"formatted SQL does not parse: {e.Message}\n{formatted}");
        }
        Assert.True(first.Equals(second), $"round trip changed the tree:\n{sql}\n{formatted}");
        return formatted;
    }
}
