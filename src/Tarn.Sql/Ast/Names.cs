namespace Tarn.Sql.Ast;

/// <summary>
/// A name as written: <see cref="Value"/> keeps the user's spelling (unquoted names are not case-folded) and
/// <see cref="Quoted"/> says whether it was in backticks or double quotes (escapes already removed).
/// </summary>
public sealed record Identifier(string Value, bool Quoted, SourcePosition Position) : Node(Position);

/// <summary>A dotted object name: table, [catalog.]database, function; one to three parts in practice.</summary>
public sealed record QualifiedName(NodeList<Identifier> Parts, SourcePosition Position) : Node(Position)
{
    /// <summary>The last part: the object's own name without catalog and database.</summary>
    public Identifier Name => Parts[^1];
}
