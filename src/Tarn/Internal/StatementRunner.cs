using System.Runtime.CompilerServices;
using Tarn.Sql;
using Tarn.Sql.Ast;

namespace Tarn.Internal;

/// <summary>
/// Runs statements for a session: parse, then per statement kind bind, plan and execute. One partial file per
/// family: queries and DML (Query), catalog DDL (Ddl), SHOW/DESCRIBE/EXPLAIN (Show), SET/USE (Session).
/// </summary>
internal static partial class StatementRunner
{
    public static Task<TarnResult> ExecuteSingleAsync(TarnSession session, string sql, TarnParameters parameters, CancellationToken cancellation)
    {
        IReadOnlyList<Statement>? parsed;
        try
        {
            if (TryExecuteCached(session, sql, parameters, cancellation, out parsed) is { } cached) return cached;
        }
        catch (Exception e)
        {
            return Task.FromException<TarnResult>(e);
        }
        return ExecuteParsedAsync(session, sql, parsed, parameters, cancellation);
    }

    private static async Task<TarnResult> ExecuteParsedAsync(TarnSession session, string sql, IReadOnlyList<Statement>? parsed, TarnParameters parameters, CancellationToken cancellation)
    {
        var statements = parsed ?? SqlParser.ParseScript(sql);
        if (statements.Count == 0) throw new TarnException(SqlStates.SyntaxError, "no statement to execute");
        TarnResult? last = null;
        foreach (var statement in statements) last = await ExecuteGuardedAsync(session, statement, parameters, cancellation).ConfigureAwait(false);
        return last!;
    }

    public static async IAsyncEnumerable<(string Statement, TarnResult Result)> ExecuteScriptAsync(
        TarnSession session, string script, [EnumeratorCancellation] CancellationToken cancellation, TarnParameters? parameters = null)
    {
        // Parse everything first: a syntax error anywhere runs nothing (like psql -1 and the Flink SQL client's script mode).
        var statements = SqlParser.ParseScript(script);
        foreach (var statement in statements)
        {
            cancellation.ThrowIfCancellationRequested();
            var result = await ExecuteGuardedAsync(session, statement, parameters ?? TarnParameters.None, cancellation).ConfigureAwait(false);
            yield return (statement.Text, result);
        }
    }

    public static Task<TarnResult> ExecuteAsync(TarnSession session, Statement statement, TarnParameters parameters, CancellationToken cancellation) => statement switch
    {
        QueryStatement q => Task.Run(() => RunQuery(session, q, parameters, cancellation), cancellation),
        InsertStatement i => RunInsertAsync(session, i, parameters, cancellation),
        ExplainStatement e => Task.FromResult(Explain(session, e, parameters, cancellation)),
        CreateTableStatement c => CreateTableAsync(session, c),
        CreateTableAsStatement c => CreateTableAsAsync(session, c, parameters, cancellation),
        CreateViewStatement v => CreateViewAsync(session, v),
        DropTableStatement d => DropTableAsync(session, d),
        DropViewStatement d => DropViewAsync(session, d),
        CreateMacroStatement m => CreateMacroAsync(session, m),
        CreateExternalFunctionStatement f => Task.FromResult(CreateExternalFunction(f)),
        DropFunctionStatement d => DropFunctionAsync(session, d),
        CreateSequenceStatement c => CreateSequenceAsync(session, c),
        DropSequenceStatement d => DropSequenceAsync(session, d),
        CreateIndexStatement c => CreateIndexAsync(session, c),
        DropIndexStatement d => DropIndexAsync(session, d),
        AlterTableStatement a => AlterTableAsync(session, a),
        CreateCatalogStatement c => CreateCatalogAsync(session, c),
        DropCatalogStatement d => DropCatalogAsync(session, d),
        CreateDatabaseStatement c => CreateDatabaseAsync(session, c),
        DropDatabaseStatement d => DropDatabaseAsync(session, d),
        UseCatalogStatement u => Task.FromResult(UseCatalog(session, u)),
        UseDatabaseStatement u => Task.FromResult(UseDatabase(session, u)),
        SetStatement s => Task.FromResult(Set(session, s)),
        ResetStatement r => Task.FromResult(Reset(session, r)),
        ShowCatalogsStatement or ShowCurrentCatalogStatement or ShowDatabasesStatement or ShowCurrentDatabaseStatement
            or ShowTablesStatement or ShowViewsStatement or ShowFunctionsStatement or ShowColumnsStatement or ShowCreateStatement
            or DescribeStatement => Task.FromResult(Show(session, statement)),
        UpdateStatement u => RunUpdateAsync(session, u, parameters, cancellation),
        DeleteStatement d => RunDeleteAsync(session, d, parameters, cancellation),
        TruncateStatement t => RunTruncateAsync(session, t, cancellation),
        TransactionStatement t => RunTransactionAsync(session, t, cancellation),
        StatementSetStatement s => RunStatementSetAsync(session, s),
        StopJobStatement s => StopJobAsync(session, s),
        ShowJobsStatement => Task.FromResult(ShowJobs(session)),
        CreateUserStatement or AlterUserStatement or DropUserStatement or GrantStatement or ShowUsersStatement or ShowGrantsStatement => RunSecurityAsync(session, statement),
        CreateSubscriptionStatement or DropSubscriptionStatement or ShowSubscriptionsStatement => RunSubscriptionAsync(session, statement),
        _ => throw NotYet(statement, statement.GetType().Name.Replace("Statement", "", StringComparison.Ordinal)),
    };

    private static TarnException NotYet(Statement s, string what) =>
        new(SqlStates.FeatureNotSupported, $"{what} is not supported in this version of Tarn at {s.Position}", s.Position);
}
