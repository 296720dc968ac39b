using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>Users and privileges in PostgreSQL's spelling: CREATE/ALTER/DROP USER|ROLE, GRANT, REVOKE, SHOW USERS|GRANTS.</summary>
internal static class SecurityGrammar
{
    /// <summary>Whether the statement at <paramref name="input"/> is one of this grammar's.</summary>
    public static bool Matches(TokenList<SqlToken> input)
    {
        if (!Peek(input, out var first)) return false;
        var second = Skip(input);
        if (IsWord(first, "GRANT") || IsWord(first, "REVOKE")) return true;
        if (IsWord(first, "CREATE") || IsWord(first, "ALTER") || IsWord(first, "DROP")) return NextIsWord(second, "USER") || NextIsWord(second, "ROLE");
        if (IsWord(first, "SHOW")) return NextIsWord(second, "USERS") || NextIsWord(second, "GRANTS");
        return false;
    }

    public static TokenListParserResult<SqlToken, Statement> Parse(TokenList<SqlToken> input)
    {
        Peek(input, out var first);
        var position = Pos(first);
        var rest = Skip(input);
        if (IsWord(first, "GRANT") || IsWord(first, "REVOKE")) return Grant(input, rest, IsWord(first, "REVOKE"), position);
        if (IsWord(first, "SHOW"))
        {
            if (NextIsWord(rest, "USERS")) return Ok<Statement>(new ShowUsersStatement(position), input, Skip(rest));
            rest = Skip(rest);
            if (!NextIsWord(rest, "FOR")) return Ok<Statement>(new ShowGrantsStatement(null, position), input, rest);
            var user = Name(Skip(rest));
            return user.HasValue ? Ok<Statement>(new ShowGrantsStatement(user.Value, position), input, user.Remainder) : Fail<Identifier, Statement>(user);
        }
        var isRole = NextIsWord(rest, "ROLE");
        rest = Skip(rest);
        if (IsWord(first, "DROP")) return Drop(input, rest, position);
        var name = Name(rest);
        if (!name.HasValue) return Fail<Identifier, Statement>(name);
        rest = name.Remainder;
        if (NextIsWord(rest, "WITH")) rest = Skip(rest);
        string? password = null;
        bool? superuser = null;
        var login = !isRole; // CREATE USER implies LOGIN; CREATE ROLE does not (PostgreSQL)
        while (Peek(rest, out var t) && t.Kind != SqlToken.Semicolon)
        {
            if (IsWord(t, "PASSWORD"))
            {
                var value = StringValue(Skip(rest));
                if (!value.HasValue) return Fail<string, Statement>(value);
                password = value.Value;
                rest = value.Remainder;
                continue;
            }
            if (IsWord(t, "SUPERUSER")) superuser = true;
            else if (IsWord(t, "NOSUPERUSER")) superuser = false;
            else if (IsWord(t, "LOGIN")) login = true;
            else if (IsWord(t, "NOLOGIN")) login = false;
            else return Expected<Statement>(rest, "PASSWORD", "SUPERUSER", "NOSUPERUSER", "LOGIN");
            rest = Skip(rest);
        }
        if (IsWord(first, "ALTER"))
            return Ok<Statement>(new AlterUserStatement(name.Value, password, superuser, position), input, rest);
        if (!login)
            throw new TarnException(SqlStates.FeatureNotSupported, $"roles without LOGIN (group roles) are not supported; use CREATE USER or CREATE ROLE ... LOGIN at {position}", position);
        return Ok<Statement>(new CreateUserStatement(name.Value, password, superuser ?? false, position), input, rest);
    }

    private static TokenListParserResult<SqlToken, Statement> Drop(TokenList<SqlToken> input, TokenList<SqlToken> rest, SourcePosition position)
    {
        var ifExists = false;
        if (NextAreWords(rest, "IF", "EXISTS"))
        {
            ifExists = true;
            rest = Skip(rest, 2);
        }
        var names = CommaList(Name)(rest);
        return names.HasValue
            ? Ok<Statement>(new DropUserStatement(names.Value, ifExists, position), input, names.Remainder)
            : Fail<NodeList<Identifier>, Statement>(names);
    }

    /// <summary>GRANT | REVOKE privilege [, ...] ON [TABLE] t [, ...] | ON ALL TABLES IN SCHEMA db TO | FROM user [, ...].</summary>
    private static TokenListParserResult<SqlToken, Statement> Grant(TokenList<SqlToken> input, TokenList<SqlToken> rest, bool revoke, SourcePosition position)
    {
        var privileges = GrantedPrivileges.None;
        while (true)
        {
            if (!Peek(rest, out var t)) return Expected<Statement>(rest, "SELECT", "INSERT", "UPDATE", "DELETE", "ALL");
            var privilege = IsWord(t, "SELECT") ? GrantedPrivileges.Select
                : IsWord(t, "INSERT") ? GrantedPrivileges.Insert
                : IsWord(t, "UPDATE") ? GrantedPrivileges.Update
                : IsWord(t, "DELETE") ? GrantedPrivileges.Delete
                : IsWord(t, "ALL") ? GrantedPrivileges.All
                : GrantedPrivileges.None;
            if (privilege == GrantedPrivileges.None) return Expected<Statement>(rest, "SELECT", "INSERT", "UPDATE", "DELETE", "ALL");
            privileges |= privilege;
            rest = Skip(rest);
            if (privilege == GrantedPrivileges.All && NextIsWord(rest, "PRIVILEGES")) rest = Skip(rest);
            if (!NextIs(rest, SqlToken.Comma)) break;
            rest = Skip(rest);
        }
        var on = Keyword("ON")(rest);
        if (!on.HasValue) return Fail<Token<SqlToken>, Statement>(on);
        rest = on.Remainder;
        var tables = NodeList<QualifiedName>.Empty;
        QualifiedName? schema = null;
        if (NextAreWords(rest, "ALL", "TABLES"))
        {
            var words = Keywords("ALL", "TABLES", "IN", "SCHEMA")(rest);
            if (!words.HasValue) return Fail<Token<SqlToken>, Statement>(words);
            var db = DottedName(words.Remainder);
            if (!db.HasValue) return Fail<QualifiedName, Statement>(db);
            schema = db.Value;
            rest = db.Remainder;
        }
        else
        {
            if (NextIsWord(rest, "TABLE")) rest = Skip(rest);
            var list = CommaList(DottedName)(rest);
            if (!list.HasValue) return Fail<NodeList<QualifiedName>, Statement>(list);
            tables = list.Value;
            rest = list.Remainder;
        }
        var to = Keyword(revoke ? "FROM" : "TO")(rest);
        if (!to.HasValue) return Fail<Token<SqlToken>, Statement>(to);
        var users = CommaList(Name)(to.Remainder);
        return users.HasValue
            ? Ok<Statement>(new GrantStatement(revoke, privileges, tables, schema, users.Value, position), input, users.Remainder)
            : Fail<NodeList<Identifier>, Statement>(users);
    }
}
