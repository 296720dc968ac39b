namespace Tarn.Sql.Ast;

/// <summary>One <c>'key' = 'value'</c> entry of a WITH (...) list, SET ('k'='v') or a hint's options.</summary>
public sealed record Property(string Key, string Value, SourcePosition Position) : Node(Position);

/// <summary>
/// A hint such as <c>OPTIONS('scan.snapshot-id'='3')</c> or <c>BROADCAST(t1, t2)</c>, from a
/// <c>/*+ ... */</c> after SELECT or after a table name. Key/value hints fill <see cref="Options"/>; list hints
/// fill <see cref="Arguments"/> (identifiers and literals as text); a hint without parentheses has neither.
/// </summary>
public sealed record Hint(string Name, NodeList<string> Arguments, NodeList<Property> Options, SourcePosition Position)
    : Node(Position);
