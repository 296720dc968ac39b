namespace Tarn.Sql.Ast;

/// <summary><c>expression COLLATE name</c>: compare, group and sort the string value under a collation (upper-case name).</summary>
public sealed record CollateExpression(Expression Operand, string Collation, SourcePosition Position) : Expression(Position);
