namespace Tarn.Sql.Ast;

/// <summary>CREATE CATALOG [IF NOT EXISTS] name [COMMENT '...'] [WITH (...)].</summary>
public sealed record CreateCatalogStatement(Identifier Name, bool IfNotExists, string? Comment, NodeList<Property> Options, SourcePosition Position)
    : Statement(Position);

/// <summary>USE CATALOG name.</summary>
public sealed record UseCatalogStatement(Identifier Name, SourcePosition Position) : Statement(Position);

/// <summary>DROP CATALOG [IF EXISTS] name.</summary>
public sealed record DropCatalogStatement(Identifier Name, bool IfExists, SourcePosition Position) : Statement(Position);

/// <summary>CREATE DATABASE [IF NOT EXISTS] [catalog.]name [COMMENT '...'] [WITH (...)].</summary>
public sealed record CreateDatabaseStatement(QualifiedName Name, bool IfNotExists, string? Comment, NodeList<Property> Options, SourcePosition Position)
    : Statement(Position);

/// <summary>USE [catalog.]database.</summary>
public sealed record UseDatabaseStatement(QualifiedName Name, SourcePosition Position) : Statement(Position);

/// <summary>DROP DATABASE [IF EXISTS] [catalog.]name [RESTRICT | CASCADE] (RESTRICT is the default).</summary>
public sealed record DropDatabaseStatement(QualifiedName Name, bool IfExists, bool Cascade, SourcePosition Position) : Statement(Position);
