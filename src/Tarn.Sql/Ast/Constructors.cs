namespace Tarn.Sql.Ast;

/// <summary>ROW(a, b) and the parenthesized list (a, b).</summary>
public sealed record RowConstructor(NodeList<Expression> Fields, SourcePosition Position) : Expression(Position);

/// <summary>ARRAY[a, b, ...].</summary>
public sealed record ArrayConstructor(NodeList<Expression> Elements, SourcePosition Position) : Expression(Position);

/// <summary>MAP[k1, v1, k2, v2, ...]; Keys and Values have the same length.</summary>
public sealed record MapConstructor(NodeList<Expression> Keys, NodeList<Expression> Values, SourcePosition Position)
    : Expression(Position);

/// <summary>e[index]: array element (1-based in SQL) or map lookup.</summary>
public sealed record SubscriptExpression(Expression Operand, Expression Index, SourcePosition Position) : Expression(Position);
