namespace Tarn.Sql.Ast;

/// <summary>
/// Base of all statements. <see cref="Text"/> is the statement's own source text (from its first token to its
/// last, comments inside kept, without the terminating ';'), for echoing and logging. Like positions, the text
/// takes no part in equality.
/// </summary>
public abstract record Statement(SourcePosition Position) : Node(Position)
{
    public string Text { get; init; } = "";

    public virtual bool Equals(Statement? other) => base.Equals(other);

    public override int GetHashCode() => base.GetHashCode();
}

/// <summary>A query on its own: SELECT ..., VALUES ..., WITH ... SELECT ....</summary>
public sealed record QueryStatement(Query Query, SourcePosition Position) : Statement(Position);
