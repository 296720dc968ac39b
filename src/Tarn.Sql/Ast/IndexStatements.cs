namespace Tarn.Sql.Ast;

/// <summary>
/// CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (column [ASC|DESC], ...): not Flink SQL, accepted for scripts
/// written for SQLite, DuckDB and PostgreSQL.
/// </summary>
public sealed record CreateIndexStatement(Identifier Name, QualifiedName Table, NodeList<Identifier> Columns, bool Unique, bool IfNotExists, SourcePosition Position)
    : Statement(Position);

/// <summary>DROP INDEX [IF EXISTS] name.</summary>
public sealed record DropIndexStatement(QualifiedName Name, bool IfExists, SourcePosition Position) : Statement(Position);
