namespace Tarn.Sql.Ast;

/// <summary>
/// INSERT INTO | OVERWRITE name [/*+ hints */] [PARTITION (k = literal, ...)] [(columns)] query. VALUES rows
/// arrive as a query with a <see cref="ValuesBody"/>.
/// </summary>
public sealed record InsertStatement(
    QualifiedName Table,
    bool Overwrite,
    NodeList<Hint> Hints,
    NodeList<PartitionValue> Partition,
    NodeList<Identifier> Columns,
    Query Source,
    SourcePosition Position) : Statement(Position);

/// <summary>column = literal in a static PARTITION (...) spec.</summary>
public sealed record PartitionValue(Identifier Column, Expression Value, SourcePosition Position) : Node(Position);

/// <summary>UPDATE name SET c = e, ... [WHERE condition].</summary>
public sealed record UpdateStatement(QualifiedName Table, NodeList<Assignment> Assignments, Expression? Where, SourcePosition Position)
    : Statement(Position);

public sealed record Assignment(Identifier Column, Expression Value, SourcePosition Position) : Node(Position);

/// <summary>DELETE FROM name [WHERE condition].</summary>
public sealed record DeleteStatement(QualifiedName Table, Expression? Where, SourcePosition Position) : Statement(Position);

/// <summary>
/// [EXECUTE] STATEMENT SET BEGIN insert; ... END, and the SQL client's BEGIN STATEMENT SET; insert; ... END:
/// inserts that run as one job.
/// </summary>
public sealed record StatementSetStatement(NodeList<InsertStatement> Inserts, SourcePosition Position) : Statement(Position);
