namespace Tarn.Sql.Ast;

/// <summary>Base of all scalar expressions.</summary>
public abstract record Expression(SourcePosition Position) : Node(Position);
