using Tarn.Types;

namespace Tarn.Sql.Ast;

/// <summary>CAST(e AS type), TRY_CAST(e AS type) (<see cref="Try"/>) and e::type.</summary>
public sealed record CastExpression(Expression Operand, DataType Type, bool Try, SourcePosition Position) : Expression(Position);

/// <summary>EXTRACT(unit FROM e).</summary>
public sealed record ExtractExpression(TimeUnit Unit, Expression Source, SourcePosition Position) : Expression(Position);

/// <summary>FLOOR(e TO unit) and CEIL(e TO unit) on date-times. Plain FLOOR(e) / CEIL(e) are <see cref="FunctionCall"/>s.</summary>
public sealed record FloorCeilExpression(bool Ceiling, Expression Operand, TimeUnit Unit, SourcePosition Position) : Expression(Position);

public enum TrimMode
{
    Both,
    Leading,
    Trailing,
}

/// <summary>TRIM([BOTH | LEADING | TRAILING] [characters] FROM source) and TRIM(source) (BOTH, no characters: spaces).</summary>
public sealed record TrimExpression(TrimMode Mode, Expression? Characters, Expression Source, SourcePosition Position) : Expression(Position);

/// <summary>CASE [operand] WHEN ... THEN ... [ELSE ...] END. With an operand, each WHEN holds a value to compare with it.</summary>
public sealed record CaseExpression(Expression? Operand, NodeList<WhenClause> WhenClauses, Expression? Else, SourcePosition Position)
    : Expression(Position);

public sealed record WhenClause(Expression Condition, Expression Result, SourcePosition Position) : Node(Position);

public enum JsonBehaviorKind
{
    Null,
    Error,
    Default,
}

/// <summary>What JSON_VALUE returns when the path finds nothing (ON EMPTY) or fails (ON ERROR): NULL, an error, or DEFAULT e.</summary>
public sealed record JsonBehavior(JsonBehaviorKind Kind, Expression? Default, SourcePosition Position) : Node(Position);

/// <summary>
/// Flink's <c>JSON_VALUE(json, path [RETURNING type] [behavior ON EMPTY] [behavior ON ERROR])</c>, written with at
/// least one clause; without clauses it is a plain <see cref="FunctionCall"/>.
/// </summary>
public sealed record JsonValueExpression(Expression Json, Expression Path, DataType? Returning, JsonBehavior? OnEmpty, JsonBehavior? OnError, SourcePosition Position)
    : Expression(Position);
