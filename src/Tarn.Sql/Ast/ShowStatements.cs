namespace Tarn.Sql.Ast;

/// <summary>[NOT] LIKE | ILIKE 'pattern' filter of SHOW statements.</summary>
public sealed record ShowFilter(string Pattern, bool Negated, bool CaseInsensitive, SourcePosition Position) : Node(Position);

public sealed record ShowCatalogsStatement(SourcePosition Position) : Statement(Position);

public sealed record ShowCurrentCatalogStatement(SourcePosition Position) : Statement(Position);

/// <summary>SHOW DATABASES [FROM | IN catalog] [[NOT] LIKE 'pattern'].</summary>
public sealed record ShowDatabasesStatement(Identifier? Catalog, ShowFilter? Filter, SourcePosition Position) : Statement(Position);

public sealed record ShowCurrentDatabaseStatement(SourcePosition Position) : Statement(Position);

/// <summary>SHOW TABLES [FROM | IN [catalog.]database] [[NOT] LIKE 'pattern'].</summary>
public sealed record ShowTablesStatement(QualifiedName? Database, ShowFilter? Filter, SourcePosition Position) : Statement(Position);

/// <summary>SHOW VIEWS [FROM | IN [catalog.]database] [[NOT] LIKE 'pattern'].</summary>
public sealed record ShowViewsStatement(QualifiedName? Database, ShowFilter? Filter, SourcePosition Position) : Statement(Position);

/// <summary>SHOW [USER] FUNCTIONS [[NOT] LIKE 'pattern'].</summary>
public sealed record ShowFunctionsStatement(bool UserOnly, ShowFilter? Filter, SourcePosition Position) : Statement(Position);

/// <summary>SHOW COLUMNS FROM | IN table [[NOT] LIKE 'pattern'].</summary>
public sealed record ShowColumnsStatement(QualifiedName Table, ShowFilter? Filter, SourcePosition Position) : Statement(Position);

public sealed record ShowJobsStatement(SourcePosition Position) : Statement(Position);

/// <summary>SHOW CREATE TABLE name, or SHOW CREATE VIEW name (<see cref="View"/>).</summary>
public sealed record ShowCreateStatement(QualifiedName Name, bool View, SourcePosition Position) : Statement(Position);

/// <summary>DESCRIBE name and DESC name.</summary>
public sealed record DescribeStatement(QualifiedName Name, SourcePosition Position) : Statement(Position);

public enum ExplainDetail
{
    EstimatedCost,
    ChangelogMode,
    PlanAdvice,
    JsonExecutionPlan,
}

/// <summary>EXPLAIN [PLAN FOR | detail, ...] statement, where statement is a query, INSERT or statement set.</summary>
public sealed record ExplainStatement(NodeList<ExplainDetail> Details, Statement Statement, SourcePosition Position) : Statement(Position);
