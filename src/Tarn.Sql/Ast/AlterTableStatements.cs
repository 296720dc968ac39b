namespace Tarn.Sql.Ast;

/// <summary>ALTER TABLE [IF EXISTS] name ...; one subclass per action.</summary>
public abstract record AlterTableStatement(QualifiedName Name, bool IfExists, SourcePosition Position) : Statement(Position);

/// <summary>ADD [COLUMN] element, or ADD (element, ...). Elements may be columns, a watermark or a primary key.</summary>
public sealed record AlterTableAddStatement(QualifiedName Name, bool IfExists, NodeList<TableElement> Elements, SourcePosition Position)
    : AlterTableStatement(Name, IfExists, Position);

/// <summary>RENAME TO new_name.</summary>
public sealed record AlterTableRenameStatement(QualifiedName Name, bool IfExists, QualifiedName NewName, SourcePosition Position)
    : AlterTableStatement(Name, IfExists, Position);

/// <summary>RENAME [COLUMN] old TO new.</summary>
public sealed record AlterTableRenameColumnStatement(QualifiedName Name, bool IfExists, Identifier Column, Identifier NewName, SourcePosition Position)
    : AlterTableStatement(Name, IfExists, Position);

/// <summary>SET ('k' = 'v', ...).</summary>
public sealed record AlterTableSetStatement(QualifiedName Name, bool IfExists, NodeList<Property> Options, SourcePosition Position)
    : AlterTableStatement(Name, IfExists, Position);

/// <summary>RESET ('k', ...).</summary>
public sealed record AlterTableResetStatement(QualifiedName Name, bool IfExists, NodeList<string> Keys, SourcePosition Position)
    : AlterTableStatement(Name, IfExists, Position);

/// <summary>DROP [COLUMN] c, or DROP (c1, c2).</summary>
public sealed record AlterTableDropColumnsStatement(QualifiedName Name, bool IfExists, NodeList<Identifier> Columns, SourcePosition Position)
    : AlterTableStatement(Name, IfExists, Position);
