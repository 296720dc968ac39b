using Tarn.Types;

namespace Tarn.Sql.Ast;

/// <summary>One entry of a CREATE TABLE column list (or of ALTER TABLE ... ADD).</summary>
public abstract record TableElement(SourcePosition Position) : Node(Position);

/// <summary>
/// name type [NOT NULL] [DEFAULT expression] [PRIMARY KEY NOT ENFORCED] [COMMENT '...']. NOT NULL is in <see cref="Type"/>'s
/// Nullable; <see cref="PrimaryKey"/> is the inline single-column key; <see cref="Default"/> fills the column when an
/// INSERT leaves it out or says DEFAULT.
/// </summary>
public sealed record PhysicalColumn(Identifier Name, DataType Type, bool PrimaryKey, string? Comment, SourcePosition Position, bool Unique = false,
    Expression? Default = null)
    : TableElement(Position);

/// <summary>
/// [CONSTRAINT name] UNIQUE (columns), and a column's inline UNIQUE: SQL-standard spellings accepted for portability and,
/// like Flink's keys, not enforced.
/// </summary>
public sealed record UniqueConstraint(Identifier? Name, NodeList<Identifier> Columns, SourcePosition Position) : TableElement(Position);

/// <summary>name AS expression [COMMENT '...'].</summary>
public sealed record ComputedColumn(Identifier Name, Expression Expression, string? Comment, SourcePosition Position)
    : TableElement(Position);

/// <summary>name type METADATA [FROM 'key'] [VIRTUAL] [COMMENT '...']; <see cref="Key"/> null means the column name.</summary>
public sealed record MetadataColumn(Identifier Name, DataType Type, string? Key, bool Virtual, string? Comment, SourcePosition Position)
    : TableElement(Position);

/// <summary>WATERMARK FOR column AS expression.</summary>
public sealed record WatermarkDefinition(Identifier Column, Expression Strategy, SourcePosition Position) : TableElement(Position);

/// <summary>[CONSTRAINT name] PRIMARY KEY (columns) [NOT ENFORCED]; <see cref="NotEnforced"/> says whether it was written.</summary>
public sealed record PrimaryKeyConstraint(Identifier? Name, NodeList<Identifier> Columns, bool NotEnforced, SourcePosition Position)
    : TableElement(Position);
