namespace Tarn.Sql.Ast;

/// <summary>A column, possibly qualified: c, t.c, db.t.c, cat.db.t.c (or a field path; the binder decides).</summary>
public sealed record ColumnRef(NodeList<Identifier> Parts, SourcePosition Position) : Expression(Position)
{
    public Identifier Name => Parts[^1];
}

/// <summary>
/// <c>*</c> or <c>t.*</c> as a select item, and the <c>*</c> of COUNT(*) (empty qualifier). The parser produces it
/// nowhere else.
/// </summary>
public sealed record StarExpression(NodeList<Identifier> Qualifier, SourcePosition Position) : Expression(Position);

public enum ParameterStyle
{
    /// <summary>?: numbered by order of appearance in its statement, from 1.</summary>
    QuestionMark,
    /// <summary>$1, $2 (PostgreSQL).</summary>
    Dollar,
    /// <summary>:name</summary>
    Colon,
    /// <summary>@name</summary>
    At,
}

/// <summary>
/// A bind parameter. Positional styles carry a 1-based <see cref="Ordinal"/> (and no name); named styles carry
/// <see cref="Name"/> (without the prefix) and Ordinal 0.
/// </summary>
public sealed record ParameterExpression(ParameterStyle Style, int Ordinal, string? Name, SourcePosition Position)
    : Expression(Position);
