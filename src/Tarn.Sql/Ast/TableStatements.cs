namespace Tarn.Sql.Ast;

/// <summary>
/// CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name [(elements)] [COMMENT '...'] followed, in any order, by
/// PARTITIONED BY (columns), WITH (...) and LIKE source [(options)]. <see cref="Elements"/> is empty when no
/// list was written (allowed only with LIKE).
/// </summary>
public sealed record CreateTableStatement(
    QualifiedName Name,
    bool Temporary,
    bool IfNotExists,
    NodeList<TableElement> Elements,
    string? Comment,
    NodeList<Identifier> PartitionedBy,
    NodeList<Property> Options,
    TableLike? Like,
    SourcePosition Position) : Statement(Position)
{
    /// <summary>CREATE OR REPLACE: an existing table or view of that name is dropped first.</summary>
    public bool OrReplace { get; init; }
}

/// <summary>CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name [COMMENT] [PARTITIONED BY] [WITH (...)] AS query.</summary>
public sealed record CreateTableAsStatement(
    QualifiedName Name,
    bool Temporary,
    bool IfNotExists,
    string? Comment,
    NodeList<Identifier> PartitionedBy,
    NodeList<Property> Options,
    Query Query,
    SourcePosition Position) : Statement(Position)
{
    /// <summary>CREATE OR REPLACE TABLE ... AS (Flink 1.18's replace-table-as): an existing table or view is dropped first.</summary>
    public bool OrReplace { get; init; }
}

/// <summary>LIKE source [(options)] of CREATE TABLE.</summary>
public sealed record TableLike(QualifiedName Source, NodeList<LikeOption> Options, SourcePosition Position) : Node(Position);

public enum LikeMergeStrategy
{
    Including,
    Excluding,
    Overwriting,
}

public enum LikeFeature
{
    All,
    Constraints,
    Generated,
    Options,
    Partitions,
    Watermarks,
    Metadata,
}

/// <summary>INCLUDING | EXCLUDING | OVERWRITING  ALL | CONSTRAINTS | GENERATED | OPTIONS | PARTITIONS | WATERMARKS | METADATA.</summary>
public sealed record LikeOption(LikeMergeStrategy Strategy, LikeFeature Feature, SourcePosition Position) : Node(Position);

/// <summary>CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(columns)] [COMMENT '...'] AS query.</summary>
public sealed record CreateViewStatement(
    QualifiedName Name,
    bool Temporary,
    bool IfNotExists,
    NodeList<Identifier> Columns,
    string? Comment,
    Query Query,
    SourcePosition Position) : Statement(Position)
{
    /// <summary>CREATE OR REPLACE VIEW: an existing view of that name is replaced.</summary>
    public bool OrReplace { get; init; }
}

/// <summary>DROP [TEMPORARY] TABLE [IF EXISTS] name.</summary>
public sealed record DropTableStatement(QualifiedName Name, bool Temporary, bool IfExists, SourcePosition Position) : Statement(Position);

/// <summary>DROP [TEMPORARY] VIEW [IF EXISTS] name.</summary>
public sealed record DropViewStatement(QualifiedName Name, bool Temporary, bool IfExists, SourcePosition Position) : Statement(Position);
