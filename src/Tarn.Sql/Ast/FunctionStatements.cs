namespace Tarn.Sql.Ast;

/// <summary>
/// CREATE [OR REPLACE] [TEMPORARY] FUNCTION | MACRO [IF NOT EXISTS] name(params) AS expression (DuckDB's scalar SQL
/// macro). <see cref="TableBody"/> is set instead of <see cref="Body"/> for DuckDB's table macros (AS TABLE query).
/// </summary>
public sealed record CreateMacroStatement(
    QualifiedName Name, bool OrReplace, bool Temporary, bool IfNotExists, NodeList<Identifier> Parameters, Expression? Body, Query? TableBody,
    SourcePosition Position) : Statement(Position);

/// <summary>
/// Flink's CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'class.Name' [LANGUAGE JAVA|SCALA|PYTHON]
/// [USING JAR '...', ...]: a user-defined function implemented on the JVM (or in Python).
/// </summary>
public sealed record CreateExternalFunctionStatement(
    QualifiedName Name, bool Temporary, bool IfNotExists, string ClassName, string? Language, SourcePosition Position) : Statement(Position);

/// <summary>DROP [TEMPORARY [SYSTEM]] FUNCTION | MACRO [TABLE] [IF EXISTS] name.</summary>
public sealed record DropFunctionStatement(QualifiedName Name, bool Temporary, bool IfExists, SourcePosition Position) : Statement(Position);

/// <summary>
/// CREATE [OR REPLACE] [TEMPORARY] SEQUENCE [IF NOT EXISTS] name [INCREMENT [BY] n] [MINVALUE n | NO MINVALUE]
/// [MAXVALUE n | NO MAXVALUE] [START [WITH] n] [[NO] CYCLE] (PostgreSQL, DuckDB). Null options take their defaults.
/// </summary>
public sealed record CreateSequenceStatement(
    QualifiedName Name, bool OrReplace, bool Temporary, bool IfNotExists, long? Start, long? Increment, long? MinValue, long? MaxValue, bool Cycle,
    SourcePosition Position) : Statement(Position);

/// <summary>DROP SEQUENCE [IF EXISTS] name.</summary>
public sealed record DropSequenceStatement(QualifiedName Name, bool IfExists, SourcePosition Position) : Statement(Position);
