namespace Tarn.Sql.Ast;

/// <summary>
/// INSERT INTO | OVERWRITE name [/*+ hints */] [PARTITION (k = literal, ...)] [(columns)] query. VALUES rows
/// arrive as a query with a <see cref="ValuesBody"/>. INSERT ... DEFAULT VALUES has <see cref="DefaultValues"/> set
/// (and a placeholder source).
/// </summary>
public sealed record InsertStatement(
    QualifiedName Table,
    bool Overwrite,
    NodeList<Hint> Hints,
    NodeList<PartitionValue> Partition,
    NodeList<Identifier> Columns,
    Query Source,
    SourcePosition Position,
    bool DefaultValues = false) : Statement(Position);

/// <summary>column = literal in a static PARTITION (...) spec.</summary>
public sealed record PartitionValue(Identifier Column, Expression Value, SourcePosition Position) : Node(Position);

/// <summary>
/// [WITH ...] UPDATE name [[AS] alias] SET c = e, ... [FROM tables] [WHERE condition]. A multi-column assignment
/// <c>(a, b) = (x, y)</c> arrives as one <see cref="Assignment"/> per column; <c>c = DEFAULT</c> as an unquoted
/// column reference named DEFAULT.
/// </summary>
public sealed record UpdateStatement(QualifiedName Table, NodeList<Assignment> Assignments, Expression? Where, SourcePosition Position,
    Identifier? Alias = null, NodeList<TableReference>? From = null, NodeList<CommonTableExpression>? With = null)
    : Statement(Position);

public sealed record Assignment(Identifier Column, Expression Value, SourcePosition Position) : Node(Position);

/// <summary>[WITH ...] DELETE FROM name [[AS] alias] [USING tables] [WHERE condition].</summary>
public sealed record DeleteStatement(QualifiedName Table, Expression? Where, SourcePosition Position,
    Identifier? Alias = null, NodeList<TableReference>? Using = null, NodeList<CommonTableExpression>? With = null) : Statement(Position);

public enum TransactionAction
{
    Begin,
    Commit,
    Rollback,
}

/// <summary>BEGIN / START TRANSACTION, COMMIT, ROLLBACK: parsed so the engine can answer them with a clear error.</summary>
public sealed record TransactionStatement(TransactionAction Action, SourcePosition Position) : Statement(Position);

/// <summary>TRUNCATE [TABLE] name: removes every row in one commit.</summary>
public sealed record TruncateStatement(QualifiedName Table, SourcePosition Position) : Statement(Position);

/// <summary>
/// [EXECUTE] STATEMENT SET BEGIN insert; ... END, and the SQL client's BEGIN STATEMENT SET; insert; ... END:
/// inserts that run as one job.
/// </summary>
public sealed record StatementSetStatement(NodeList<InsertStatement> Inserts, SourcePosition Position) : Statement(Position);
