namespace Tarn.Sql.Ast;

public enum IsTest
{
    Null,
    True,
    False,
    Unknown,

    /// <summary>IS JSON (same as IS JSON VALUE): the text is a JSON document.</summary>
    Json,
    JsonValue,
    JsonScalar,
    JsonArray,
    JsonObject,
}

/// <summary>e IS [NOT] NULL | TRUE | FALSE | UNKNOWN | JSON [VALUE | SCALAR | ARRAY | OBJECT].</summary>
public sealed record IsExpression(Expression Operand, IsTest Test, bool Negated, SourcePosition Position) : Expression(Position);

/// <summary>a IS [NOT] DISTINCT FROM b.</summary>
public sealed record IsDistinctFromExpression(Expression Left, Expression Right, bool Negated, SourcePosition Position)
    : Expression(Position);

/// <summary>e [NOT] BETWEEN [ASYMMETRIC | SYMMETRIC] low AND high.</summary>
public sealed record BetweenExpression(Expression Operand, Expression Low, Expression High, bool Negated, bool Symmetric, SourcePosition Position)
    : Expression(Position);

/// <summary>e [NOT] IN (v1, v2, ...).</summary>
public sealed record InListExpression(Expression Operand, NodeList<Expression> Values, bool Negated, SourcePosition Position)
    : Expression(Position);

/// <summary>e [NOT] IN (subquery).</summary>
public sealed record InSubqueryExpression(Expression Operand, Query Query, bool Negated, SourcePosition Position)
    : Expression(Position);

public enum PatternKind
{
    Like,
    SimilarTo,
}

/// <summary>e [NOT] LIKE pattern [ESCAPE c] and e [NOT] SIMILAR TO pattern [ESCAPE c].</summary>
public sealed record LikeExpression(PatternKind Kind, Expression Operand, Expression Pattern, Expression? Escape, bool Negated, SourcePosition Position)
    : Expression(Position);

public enum Quantifier
{
    /// <summary>ANY and its synonym SOME.</summary>
    Any,
    All,
}

/// <summary>e op ANY | SOME | ALL (subquery), op being a comparison operator.</summary>
public sealed record QuantifiedComparisonExpression(BinaryOperator Operator, Expression Left, Quantifier Quantifier, Query Query, SourcePosition Position)
    : Expression(Position);

/// <summary>EXISTS (subquery).</summary>
public sealed record ExistsExpression(Query Query, SourcePosition Position) : Expression(Position);

/// <summary>(subquery) used as a value.</summary>
public sealed record ScalarSubquery(Query Query, SourcePosition Position) : Expression(Position);
