namespace Tarn.Sql.Ast;

public enum UnaryOperator
{
    Plus,
    Minus,
    Not,
}

public enum BinaryOperator
{
    Or,
    And,
    Equal,
    /// <summary>&lt;&gt; and != alike.</summary>
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    /// <summary>||</summary>
    Concat,
}

/// <summary>+e, -e (a minus directly before a number literal is folded into the literal instead), NOT e.</summary>
public sealed record UnaryExpression(UnaryOperator Operator, Expression Operand, SourcePosition Position) : Expression(Position);

/// <summary>Arithmetic, comparison, ||, AND and OR. All are left-associative.</summary>
public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right, SourcePosition Position)
    : Expression(Position);
