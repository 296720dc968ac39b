using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Catalog.Security;
using Tarn.Sql.Ast;

namespace Tarn.Internal;

/// <summary>
/// Users and privileges: CREATE/ALTER/DROP USER, GRANT, REVOKE, SHOW USERS/GRANTS, and the checks a session with a
/// principal gets. Reads are checked where the binder resolves a table or view (<see cref="Planner.Binding.BindContext.Authorize"/>,
/// installed by <see cref="NewBinder"/>), so views, WITH queries, subqueries, EXPLAIN, subscriptions and streaming jobs
/// (checked when submitted) cannot bypass it; the statement kinds are checked in <see cref="AuthorizeStatement"/>.
/// </summary>
internal static partial class StatementRunner
{
    /// <summary>A user name as PostgreSQL folds it: unquoted names are lower case.</summary>
    private static string UserName(Identifier id) => id.Quoted ? id.Value : id.Value.ToLowerInvariant();

    private static TarnException Denied(string what) => new(SqlStates.InsufficientPrivilege, $"permission denied: {what}");

    /// <summary>The table check for <see cref="NewBinder"/>: null for the owner and superusers.</summary>
    private static Action<ObjectPath, TablePrivileges, SourcePosition>? AuthorizerFor(TarnSession session)
    {
        if (session.Principal is not { } principal) return null;
        var image = session.Core.Catalog.Current;
        var user = image.Security.FindUser(principal.UserName);
        if (user is { IsSuperuser: true }) return null;
        var name = user?.Name ?? principal.UserName;
        return (path, privilege, position) =>
        {
            if ((image.Security.PrivilegesOf(name, path) & privilege) != privilege)
                throw new TarnException(SqlStates.InsufficientPrivilege,
                    $"permission denied for table {path.Name}: user \"{name}\" lacks {privilege.ToString().ToUpperInvariant()} on '{path}' at {position}", position);
        };
    }

    /// <summary>
    /// The statement-level check: a non-superuser principal may query, insert, update and delete (each table checked
    /// against its grants), manage its session and transactions, read metadata, and change its own password; all DDL,
    /// user management, GRANT/REVOKE and job control need a superuser.
    /// </summary>
    private static void AuthorizeStatement(TarnSession session, Statement statement)
    {
        if (session.IsSuperuser) return;
        var user = session.Principal!.UserName;
        switch (statement)
        {
            case QueryStatement or InsertStatement or ExplainStatement or StatementSetStatement or TransactionStatement
                or SetStatement or ResetStatement or UseCatalogStatement or UseDatabaseStatement or ShowUsersStatement
                or ShowCatalogsStatement or ShowCurrentCatalogStatement or ShowDatabasesStatement or ShowCurrentDatabaseStatement
                or ShowTablesStatement or ShowViewsStatement or ShowFunctionsStatement or ShowColumnsStatement or ShowCreateStatement
                or DescribeStatement or ShowJobsStatement:
                return;
            case CreateViewStatement { Temporary: true } or DropViewStatement { Temporary: true }:
                return; // the session's own views; their tables are checked where they are used
            case UpdateStatement u:
                RequireOn(session, u.Table, TablePrivileges.Update, u.Position);
                return;
            case DeleteStatement d:
                RequireOn(session, d.Table, TablePrivileges.Delete, d.Position);
                return;
            case TruncateStatement t:
                RequireOn(session, t.Table, TablePrivileges.Delete, t.Position);
                return;
            case CreateSubscriptionStatement or DropSubscriptionStatement or ShowSubscriptionsStatement:
                AuthorizeSubscription(session, statement); // SELECT on the subscribed table
                return;
            case ShowGrantsStatement g when g.User is null || string.Equals(UserName(g.User), user, StringComparison.OrdinalIgnoreCase):
                return;
            case AlterUserStatement a when a.Superuser is null && string.Equals(UserName(a.Name), user, StringComparison.OrdinalIgnoreCase):
                return; // a user may change its own password, as in PostgreSQL
            default:
                throw new TarnException(SqlStates.InsufficientPrivilege,
                    $"permission denied: {StatementName(statement)} needs a superuser, and user \"{user}\" is not one at {statement.Position}", statement.Position);
        }
    }

    private static void RequireOn(TarnSession session, QualifiedName table, TablePrivileges privilege, SourcePosition position)
    {
        var path = new Planner.Binding.BindContext(session.Core.Catalog, session.CurrentCatalog, session.CurrentDatabase, null, null, TimeZoneInfo.Utc)
            .Resolve(table.Parts.Select(p => p.Value).ToList(), table.Position);
        AuthorizerFor(session)?.Invoke(path, privilege, position);
    }

    private static string StatementName(Statement statement) =>
        statement.GetType().Name.Replace("Statement", "", StringComparison.Ordinal);

    private static Task<TarnResult> RunSecurityAsync(TarnSession session, Statement statement) => statement switch
    {
        CreateUserStatement c => CreateUserAsync(session, c),
        AlterUserStatement a => AlterUserAsync(session, a),
        DropUserStatement d => DropUsersAsync(session, d),
        GrantStatement g => GrantAsync(session, g),
        ShowUsersStatement => Task.FromResult(ShowUsers(session)),
        ShowGrantsStatement g => Task.FromResult(ShowGrants(session, g)),
        _ => throw NotYet(statement, StatementName(statement)),
    };

    private static async Task<TarnResult> CreateUserAsync(TarnSession session, CreateUserStatement create)
    {
        if (create.Password is null)
            throw new TarnException(SqlStates.FeatureNotSupported, $"CREATE USER needs a PASSWORD: users log in with SCRAM-SHA-256 at {create.Position}", create.Position);
        if (create.Password.Length == 0)
            throw new TarnException(SqlStates.InvalidParameterValue, $"the password must not be empty at {create.Position}", create.Position);
        var verifier = await Task.Run(() => ScramSha256.CreateVerifier(create.Password)).ConfigureAwait(false);
        await session.Core.Catalog.CreateUserAsync(UserName(create.Name), create.Superuser, verifier).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, "CREATE ROLE");
    }

    private static async Task<TarnResult> AlterUserAsync(TarnSession session, AlterUserStatement alter)
    {
        if (alter.Password is { Length: 0 })
            throw new TarnException(SqlStates.InvalidParameterValue, $"the password must not be empty at {alter.Position}", alter.Position);
        var verifier = alter.Password is null ? null : await Task.Run(() => ScramSha256.CreateVerifier(alter.Password)).ConfigureAwait(false);
        await session.Core.Catalog.AlterUserAsync(UserName(alter.Name), verifier, alter.Superuser).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, "ALTER ROLE");
    }

    private static async Task<TarnResult> DropUsersAsync(TarnSession session, DropUserStatement drop)
    {
        foreach (var name in drop.Names) await session.Core.Catalog.DropUserAsync(UserName(name), drop.IfExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, "DROP ROLE");
    }

    private static async Task<TarnResult> GrantAsync(TarnSession session, GrantStatement grant)
    {
        var catalog = session.Core.Catalog;
        var objects = new List<ObjectPath>();
        if (grant.Schema is { } schema)
        {
            var parts = schema.Parts.Select(p => p.Value).ToList();
            var (catalogName, databaseName) = parts.Count switch
            {
                1 => (session.CurrentCatalog, parts[0]),
                2 => (parts[0], parts[1]),
                _ => throw new TarnException(SqlStates.SyntaxError, $"invalid schema name '{string.Join('.', parts)}' at {schema.Position}", schema.Position),
            };
            var database = catalog.GetDatabase(catalogName, databaseName);
            // As in PostgreSQL: the tables and views that exist now; later ones need their own GRANT.
            foreach (var t in database.Tables) objects.Add(new ObjectPath(catalogName, database.Name, t.Name));
            foreach (var v in database.Views) objects.Add(new ObjectPath(catalogName, database.Name, v.Name));
        }
        else
        {
            var context = new Planner.Binding.BindContext(catalog, session.CurrentCatalog, session.CurrentDatabase, null, null, TimeZoneInfo.Utc);
            foreach (var table in grant.Tables)
            {
                var path = context.Resolve(table.Parts.Select(p => p.Value).ToList(), table.Position);
                // Store the catalog's own spelling of the names.
                var database = catalog.FindDatabase(path.Catalog, path.Database);
                var name = database?.FindTable(path.Name)?.Name ?? database?.FindView(path.Name)?.Name
                    ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist at {table.Position}", table.Position);
                objects.Add(new ObjectPath(path.Catalog, database!.Name, name));
            }
        }
        var privileges = (TablePrivileges)(int)grant.Privileges;
        foreach (var user in grant.Users)
            await catalog.ChangeGrantsAsync(UserName(user), objects, privileges, grant: !grant.Revoke).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, grant.Revoke ? "REVOKE" : "GRANT");
    }

    private static TarnResult ShowUsers(TarnSession session)
    {
        var rows = new List<string?[]>();
        foreach (var u in session.Core.Catalog.Current.Security.Users.OrderBy(u => u.Name, StringComparer.Ordinal))
            rows.Add([u.Name, u.IsSuperuser ? "true" : "false"]);
        return Strings(StatementKind.Show, ["user name", "superuser"], rows);
    }

    private static TarnResult ShowGrants(TarnSession session, ShowGrantsStatement show)
    {
        var security = session.Core.Catalog.Current.Security;
        string? only = null;
        if (show.User is { } id)
        {
            only = UserName(id);
            if (security.FindUser(only) is null) throw new TarnException(SqlStates.UndefinedObject, $"role \"{only}\" does not exist at {id.Position}", id.Position);
        }
        else if (session.Principal is { } principal && !session.IsSuperuser)
        {
            only = principal.UserName; // a user sees its own grants
        }
        var rows = new List<string?[]>();
        foreach (var g in security.Grants.OrderBy(g => g.User, StringComparer.Ordinal).ThenBy(g => g.Object.ToString(), StringComparer.Ordinal))
        {
            if (only is not null && !string.Equals(g.User, only, StringComparison.OrdinalIgnoreCase)) continue;
            rows.Add([g.User, g.Object.ToString(), PrivilegeList(g.Privileges)]);
        }
        return Strings(StatementKind.Show, ["user name", "object", "privileges"], rows);
    }

    private static string PrivilegeList(TablePrivileges p)
    {
        var names = new List<string>(4);
        if ((p & TablePrivileges.Select) != 0) names.Add("SELECT");
        if ((p & TablePrivileges.Insert) != 0) names.Add("INSERT");
        if ((p & TablePrivileges.Update) != 0) names.Add("UPDATE");
        if ((p & TablePrivileges.Delete) != 0) names.Add("DELETE");
        return string.Join(", ", names);
    }
}
