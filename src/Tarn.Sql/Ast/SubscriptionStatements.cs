namespace Tarn.Sql.Ast;

/// <summary>
/// CREATE SUBSCRIPTION [IF NOT EXISTS] name FROM table [WITH (retention = '1h')] (RisingWave). <see cref="Options"/>
/// holds the WITH options as written (keys lower case).
/// </summary>
public sealed record CreateSubscriptionStatement(QualifiedName Name, QualifiedName Table, IReadOnlyDictionary<string, string> Options, bool IfNotExists,
    SourcePosition Position) : Statement(Position);

/// <summary>DROP SUBSCRIPTION [IF EXISTS] name.</summary>
public sealed record DropSubscriptionStatement(QualifiedName Name, bool IfExists, SourcePosition Position) : Statement(Position);

/// <summary>SHOW SUBSCRIPTIONS: those of the current database.</summary>
public sealed record ShowSubscriptionsStatement(SourcePosition Position) : Statement(Position);
