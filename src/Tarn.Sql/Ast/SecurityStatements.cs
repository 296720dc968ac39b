namespace Tarn.Sql.Ast;

/// <summary>Table privileges named in GRANT and REVOKE (ALL is every one of them).</summary>
[Flags]
public enum GrantedPrivileges
{
    None = 0,
    Select = 1,
    Insert = 2,
    Update = 4,
    Delete = 8,
    All = Select | Insert | Update | Delete,
}

/// <summary>
/// CREATE USER name [WITH] [PASSWORD 'pw'] [SUPERUSER | NOSUPERUSER] [LOGIN], or CREATE ROLE name LOGIN ... (PostgreSQL).
/// </summary>
public sealed record CreateUserStatement(Identifier Name, string? Password, bool Superuser, SourcePosition Position) : Statement(Position);

/// <summary>ALTER USER | ROLE name [WITH] [PASSWORD 'pw'] [SUPERUSER | NOSUPERUSER].</summary>
public sealed record AlterUserStatement(Identifier Name, string? Password, bool? Superuser, SourcePosition Position) : Statement(Position);

/// <summary>DROP USER | ROLE [IF EXISTS] name [, ...].</summary>
public sealed record DropUserStatement(NodeList<Identifier> Names, bool IfExists, SourcePosition Position) : Statement(Position);

/// <summary>
/// GRANT privileges ON [TABLE] t [, ...] TO user [, ...], or ON ALL TABLES IN SCHEMA db; REVOKE ... FROM user
/// (<see cref="Revoke"/>). <see cref="Schema"/> is set for ALL TABLES IN SCHEMA, then <see cref="Tables"/> is empty.
/// </summary>
public sealed record GrantStatement(bool Revoke, GrantedPrivileges Privileges, NodeList<QualifiedName> Tables, QualifiedName? Schema,
    NodeList<Identifier> Users, SourcePosition Position) : Statement(Position);

/// <summary>SHOW USERS.</summary>
public sealed record ShowUsersStatement(SourcePosition Position) : Statement(Position);

/// <summary>SHOW GRANTS [FOR user].</summary>
public sealed record ShowGrantsStatement(Identifier? User, SourcePosition Position) : Statement(Position);
